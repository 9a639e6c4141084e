/// How the events of a run were classified. Every record read is exactly one of: an event counted in
/// one of the event classes below, or `skipped` (malformed, with a diagnostic).
public struct IngestCounts: Sendable, Hashable, Codable {
    /// Well-formed events read.
    public var events = 0
    /// Authorized calls resolved to actions (failed calls past authorization included).
    public var used = 0
    /// Calls that failed authorization.
    public var denied = 0
    /// Calls that need no identity permission (console sign-in, `sts:GetCallerIdentity`, …).
    public var noPermission = 0
    /// `AWSService` identities and `AwsServiceEvent`s: not principals.
    public var awsService = 0
    /// Events the catalog could not resolve.
    public var unresolved = 0
    /// Events without `userIdentity` that are not service events.
    public var unattributed = 0
    /// Events outside `--since`/`--until`.
    public var outsideWindow = 0
    /// Malformed records skipped, each with a diagnostic.
    public var skipped = 0

    public init() {}

    mutating func add(_ other: IngestCounts) {
        events += other.events
        used += other.used
        denied += other.denied
        noPermission += other.noPermission
        awsService += other.awsService
        unresolved += other.unresolved
        unattributed += other.unattributed
        outsideWindow += other.outsideWindow
        skipped += other.skipped
    }
}
