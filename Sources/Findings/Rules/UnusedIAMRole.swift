import AccountInventory

extension FindingType {
    /// A role not used in the window (Access Analyzer's unused-access finding type).
    public static let unusedIAMRole = FindingType("UnusedIAMRole")
}

/// A role nobody assumed in the window is standing access: anyone its trust policy admits can use it.
/// Evidence of use is the latest of the usage store (CloudTrail) and the snapshot's `RoleLastUsed`;
/// the role is unused when that is older than the window start or absent. Judged only for roles that
/// existed for the whole window, never for service-linked roles. When the snapshot has no
/// `RoleLastUsed` for the role, only the logs can tell, so the role is judged only when they cover every
/// day of the window for its account; so too when the window ends more than a day after the latest
/// time the snapshots hold (``AccountInventory/latestSnapshotTime``): `RoleLastUsed` cannot tell of
/// use after the snapshot was taken. Severity medium.
struct UnusedIAMRole: FindingRule {
    let inputs: RuleInputs = .authorizationDetails

    let descriptor = RuleDescriptor(
        findingType: .unusedIAMRole, severity: .medium,
        summary: "a role was not used in the window",
        remediation: "delete the role, or remove its permissions and trust until someone needs it")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        var notJudged = NotJudged(descriptor.findingType, noun: "role")
        let snapshotEnded = context.windowOutlastsSnapshot
        for role in context.inventory.roles where !role.isServiceLinked {
            guard context.existedForWholeWindow(role.createDate) else {
                if role.createDate == nil { notJudged.add(role.name, because: "no CreateDate in the snapshot") }
                continue
            }
            let last = context.latest(context.storeLastActivity(role.arn), role.lastUsed)
            if let last, last >= context.windowStart { continue }
            let snapshotProblem =
                !role.lastUsedTracked ? "the snapshot has no RoleLastUsed" : snapshotEnded.map { "\($0)," }
            if let snapshotProblem {
                let problem =
                    context.evidence.map { $0.coverageProblem(account: role.account) }
                    ?? "no usage store or logs were given"
                if let problem {
                    notJudged.add(role.name, because: "\(snapshotProblem) and \(problem)")
                    continue
                }
            }
            findings.append(
                Finding(
                    type: descriptor.findingType, severity: descriptor.severity, resource: role.arn,
                    resourceType: .role, resourceOwnerAccount: role.account,
                    details: [.unusedIamRoleDetails(UnusedIamRoleDetails(lastAccessed: last))],
                    explanation: "role `\(role.name)` was \(notUsedPhrase(last, context))"))
        }
        notJudged.write(to: &diagnostics)
        return findings
    }
}
