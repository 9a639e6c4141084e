import IAMCatalog

/// Resolves a CloudTrail event to IAM actions (DESIGN.md "Event → action resolution"). The catalog's
/// `ActionCatalog` conforms; tests use small doubles. The pipeline calls it once per distinct
/// `(eventSource, eventName)` and caches the answer.
public protocol EventResolving: Sendable {
    func resolve(eventSource: String, eventName: String) -> EventResolution
    /// The services whose ARNs name resources of `action` besides its own (`iam` for `sts:AssumeRole`):
    /// their ARNs go into its resource cover too.
    func resourceServices(ofAction action: String) -> [String]
}

extension EventResolving {
    public func resourceServices(ofAction action: String) -> [String] { [] }
}
