extension ActionCatalog {
    /// What the CloudTrail event `(eventSource, eventName)` needs, in the order of DESIGN.md
    /// "Event → action resolution":
    ///
    /// 1. events that need no identity permission by source and name (`ConsoleLogin`,
    ///    `sts:GetCallerIdentity`, `AssumeRoleWithWebIdentity`/`SAML`, Identity Center portal calls)
    ///    → `.noPermission` with the reason (the record-level cases, `AwsServiceEvent` and
    ///    `userIdentity.type == AWSService`, are `noPermissionReason(eventType:userIdentityType:)`);
    /// 2. a curated exception for the event (tried with the name as logged, then without its
    ///    API-version suffix) → its `all` actions, `when` extras as `conditional`, and `anyOf`;
    /// 3. the host's IAM prefix and the event name without its API-version suffix → the catalog's
    ///    spelling;
    /// 4. otherwise `.unresolved` with the reason, never guessed.
    ///
    /// Source and name are looked up case-insensitively at every step (`S3.AMAZONAWS.COM` `getobject` →
    /// `s3:GetObject`). Every action returned is in the catalog. Allocates; callers cache per distinct
    /// pair.
    public func resolve(eventSource: String, eventName: String) -> EventResolution {
        let key = CloudTrailMap.EventKey(host: eventSource, name: eventName)
        if let reason = cloudTrail.noPermission[key] {
            return EventResolution(status: .noPermission, reason: reason)
        }
        let stripped =
            cloudTrail.versionSuffixHosts.contains(key.host) ? strippingVersionSuffix(eventName) : nil
        if let exception = cloudTrail.exceptions[key]
            ?? stripped.flatMap({ cloudTrail.exceptions[.init(host: key.host, name: $0)] })
        {
            return exception
        }
        guard let prefix = cloudTrail.hosts[key.host] else {
            return EventResolution(status: .unresolved, reason: "unknown event source `\(eventSource)`")
        }
        let candidate = "\(prefix):\(stripped ?? eventName)"
        guard let id = action(named: candidate) else {
            return EventResolution(status: .unresolved, reason: "no action `\(candidate)` in the catalog")
        }
        return EventResolution(status: .resolved, actions: [name(of: id)])
    }

    /// Why a record needs no permission whatever its source and name (`eventType` `AwsServiceEvent`,
    /// `userIdentity.type` `AWSService`, …), or `nil`. Ingestion checks this before `resolve`.
    public func noPermissionReason(eventType: String?, userIdentityType: String?) -> String? {
        if let eventType, let reason = cloudTrail.recordTypes["@eventType=\(eventType)"] { return reason }
        if let userIdentityType, let reason = cloudTrail.recordTypes["@userIdentity.type=\(userIdentityType)"] {
            return reason
        }
        return nil
    }

    /// The IAM prefix of a CloudTrail event source (`monitoring.amazonaws.com` → `cloudwatch`), looked up
    /// case-insensitively.
    public func prefix(eventSource: String) -> String? { cloudTrail.hosts[eventSource.lowercased()] }
}
