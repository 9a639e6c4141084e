import AccountInventory
import Analysis
import Timestamps

extension FindingType {
    /// Granted permissions not used in the window, per service namespace (Access Analyzer's
    /// unused-access finding type).
    public static let unusedPermission = FindingType("UnusedPermission")
}

/// Permissions a principal holds and did not use are what least privilege removes. One finding per
/// principal, one `unusedPermissionDetails` per service namespace with granted actions unused in the
/// window: `lastAccessed` is the last use of any of the service's granted actions that the logs show;
/// `actions` lists, for a service the principal used in the window, every granted action it did not
/// use, and for a service it did not use, the granted actions the logs show it used before the window
/// (each with its `lastAccessed`).
///
/// This needs action-level evidence: the usage store, with logs of the principal's account on at least
/// half the days of the window (``minimumCoveredShare``); with fewer, no finding and a diagnostic (an
/// uncovered day is never read as "unused", and a day of logs says nothing of 90). When some days have
/// no logs, the principal is judged over the days that have them: a diagnostic names the principals and
/// the missing days. The explanation names the covered days and the details carry `coveredDays` and
/// `windowDays`. Judged only for principals that existed for the whole window and acted in it
/// (a role with no activity is an `UnusedIAMRole`; a user's idle credentials have their own findings);
/// never for service-linked roles. When the logs of the account hold no data events at all, a diagnostic
/// warns that actions CloudTrail records only as data events may be in use unseen. Severity low.
struct UnusedPermission: FindingRule {
    /// The least share of the window's days with logs of the account for a verdict: one half.
    static let minimumCoveredShare = (numerator: 1, denominator: 2)

    let inputs: RuleInputs = [.authorizationDetails, .usage]

    let descriptor = RuleDescriptor(
        findingType: .unusedPermission, severity: .low,
        summary: "a principal was granted permissions in a service that it did not use in the window",
        remediation: "remove the unused actions from its policies (`pare policy` writes the tightened policy)")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        let candidates = context.inventory.principals.filter {
            !$0.isServiceLinked && context.existedForWholeWindow($0.createDate)
        }
        guard !candidates.isEmpty else { return [] }
        guard let evidence = context.evidence else { return [] }
        guard let catalog = context.catalog else {
            diagnostics.append("\(descriptor.findingType): not judged: no action catalog")
            return []
        }
        var findings: [Finding] = []
        var notJudged = NotJudged(descriptor.findingType, noun: "principal")
        var partly = NotJudged(
            descriptor.findingType, noun: "principal", outcome: "judged only over the days with logs")
        for principal in candidates {
            let problem = evidence.coverageProblem(account: principal.account)
            let covered = evidence.coveredDays(account: principal.account)
            let windowDays = evidence.window.days.count
            let share = Self.minimumCoveredShare
            if let problem, covered * share.denominator < windowDays * share.numerator {
                notJudged.add(
                    principal.name, because: "\(problem) (at least half of the window must have logs)")
                continue
            }
            guard let activity = evidence.activity(of: principal), !activity.used.isEmpty else { continue }
            if let problem { partly.add(principal.name, because: problem) }
            let days = evidence.coverage.entries.filter {
                $0.account == principal.account && evidence.window.days.contains($0.day)
            }.map(\.day)
            let span = "\(Timestamp.formatDay(days.min() ?? 0)) to \(Timestamp.formatDay(days.max() ?? 0))"
            let comparison = UsedVersusGranted(
                EffectivePermissions(of: principal, in: context.inventory, catalog: catalog), evidence: evidence)
            let unusedByService = Dictionary(grouping: comparison.grantedUnused) {
                String($0.action.prefix { $0 != ":" })
            }
            let details = comparison.services.filter { $0.unused > 0 }.map { service in
                let usedInWindow = service.unused < service.granted
                let actions = (unusedByService[service.service] ?? []).filter { usedInWindow || $0.lastUsed != nil }
                return FindingDetail.unusedPermissionDetails(
                    UnusedPermissionDetails(
                        serviceNamespace: service.service,
                        actions: actions.map { .init(action: $0.action, lastAccessed: $0.lastUsed) },
                        lastAccessed: service.lastUsed, coveredDays: covered, windowDays: windowDays))
            }
            guard !details.isEmpty else { continue }
            let unusedServices = comparison.services.filter { $0.unused == $0.granted }.count
            findings.append(
                Finding(
                    type: descriptor.findingType, severity: descriptor.severity, resource: principal.arn,
                    resourceType: principal.kind == "role" ? .role : .user,
                    resourceOwnerAccount: principal.account, details: details,
                    explanation: "\(principal.kind) `\(principal.name)` used \(comparison.usedAndGranted.count) of "
                        + "\(comparison.permissions.granted.count) granted actions over the \(covered) of "
                        + "\(windowDays) days with logs, \(span); "
                        + "\(unusedServices) of \(comparison.services.count) granted services unused, "
                        + "\(details.count - unusedServices) partly used"))
        }
        notJudged.write(to: &diagnostics)
        partly.write(to: &diagnostics)
        let accounts = Set(findings.map(\.resourceOwnerAccount))
        for account in accounts.sorted()
        where !evidence.coverage.entries.contains(where: { $0.account == account && $0.dataEvents > 0 }) {
            diagnostics.append(
                "\(descriptor.findingType): the logs of account `\(account)` hold no data events: actions CloudTrail "
                    + "records only as data events (S3 object-level, Lambda Invoke, …) may be in use unseen")
        }
        return findings
    }
}
