import IAMCatalog
import IAMPolicy

/// Resolves a CloudTrail event to IAM actions (DESIGN.md "Event → action resolution"). The catalog's
/// `ActionCatalog` conforms; tests use small doubles. The pipeline calls it once per distinct
/// `(eventSource, eventName)` and caches the answer.
public protocol EventResolving: Sendable {
    func resolve(eventSource: String, eventName: String) -> EventResolution
    /// The services whose ARNs name resources of `action` besides its own (`iam` for `sts:AssumeRole`):
    /// their ARNs go into its resource cover too.
    func resourceServices(ofAction action: String) -> [String]
    /// The ARN patterns of `action`'s resource types (templates with every placeholder `*`): only ARNs that
    /// match one go into its cover (a bucket ARN is no resource of `s3:GetObject`, and would take the place
    /// of objects). Empty for an action without resource types; `nil` keeps every ARN of its services.
    func resourcePatterns(ofAction action: String) -> [WildcardPattern]?
}

extension EventResolving {
    public func resourceServices(ofAction action: String) -> [String] { [] }
    public func resourcePatterns(ofAction action: String) -> [WildcardPattern]? { nil }
}
