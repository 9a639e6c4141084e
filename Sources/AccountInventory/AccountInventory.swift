import Foundation

/// What an account (or several) grants and which credentials it has: the principals and policies of
/// one or more authorization-details snapshots, the credential report and the SCPs.
///
/// Build it with ``load(authorizationDetails:credentialReports:serviceControlPolicies:)``; it is then
/// read-only. Principals are sorted by ARN; managed policies are keyed by ARN.
public struct AccountInventory: Sendable {
    public private(set) var users: [IAMUser] = []
    public private(set) var groups: [IAMGroup] = []
    public private(set) var roles: [IAMRole] = []
    /// Managed policies by ARN (AWS managed policies appear once, whichever file carried them).
    public private(set) var managedPolicies: [String: ManagedPolicy] = [:]
    public private(set) var credentialReport: CredentialReport?
    /// Service control policies, in the order given.
    public private(set) var serviceControlPolicies: [PolicyText] = []
    /// `true` when the inventory comes from at least one authorization-details snapshot (or was built
    /// in memory with principals or policies): the snapshot checks can run.
    public private(set) var hasAuthorizationDetails = false
    /// Problems in the inputs that did not stop loading, sorted.
    public private(set) var diagnostics: [InventoryDiagnostic] = []

    public init() {}

    /// An inventory built in memory (tests, other front ends); principals are sorted by ARN.
    public init(
        users: [IAMUser] = [], groups: [IAMGroup] = [], roles: [IAMRole] = [], managedPolicies: [ManagedPolicy] = [],
        credentialReport: CredentialReport? = nil, serviceControlPolicies: [PolicyText] = []
    ) {
        self.users = users.sorted { $0.arn < $1.arn }
        self.groups = groups.sorted { $0.arn < $1.arn }
        self.roles = roles.sorted { $0.arn < $1.arn }
        for policy in managedPolicies where self.managedPolicies[policy.arn] == nil {
            self.managedPolicies[policy.arn] = policy
        }
        self.credentialReport = credentialReport
        self.serviceControlPolicies = serviceControlPolicies
        self.hasAuthorizationDetails = !(users.isEmpty && groups.isEmpty && roles.isEmpty && managedPolicies.isEmpty)
    }

    /// Reads the given files (paths as the user wrote them; messages name them so). Several
    /// authorization-details files merge (several accounts); a principal present in two files is
    /// kept from the first and reported as a diagnostic. Several credential reports merge the same way
    /// (a user's row kept from the first report that has it); when both kinds are given, an account
    /// with a report but no snapshot, or the reverse, is a diagnostic.
    public static func load(
        authorizationDetails: [String] = [], credentialReports: [String] = [], serviceControlPolicies: [String] = []
    ) throws(InventoryError) -> AccountInventory {
        var inventory = AccountInventory()
        inventory.hasAuthorizationDetails = !authorizationDetails.isEmpty
        for file in authorizationDetails {
            inventory.merge(try AuthorizationDetails(data: try read(file), file: file), file: file)
        }
        for file in credentialReports {
            inventory.merge(try CredentialReport(data: try read(file), file: file), file: file)
        }
        if !authorizationDetails.isEmpty && !credentialReports.isEmpty { inventory.checkReportAccounts() }
        for file in serviceControlPolicies {
            inventory.serviceControlPolicies.append(try serviceControlPolicy(data: try read(file), file: file))
        }
        inventory.users.sort { $0.arn < $1.arn }
        inventory.groups.sort { $0.arn < $1.arn }
        inventory.roles.sort { $0.arn < $1.arn }
        inventory.checkReferences()
        inventory.checkDocuments()
        inventory.diagnostics.sort { ($0.file ?? "", $0.message) < ($1.file ?? "", $1.message) }
        return inventory
    }

    static func read(_ file: String) throws(InventoryError) -> Data {
        guard let data = FileManager.default.contents(atPath: file) else {
            let exists = FileManager.default.fileExists(atPath: file)
            throw .cannotRead(file, exists ? "permission denied or not a regular file" : "no such file")
        }
        return data
    }

    mutating func merge(_ details: AuthorizationDetails, file: String) {
        var seen = Set(users.map(\.arn)).union(groups.map(\.arn)).union(roles.map(\.arn))
        func fresh(_ arn: String, _ kind: String) -> Bool {
            if seen.insert(arn).inserted { return true }
            diagnostics.append(InventoryDiagnostic(file: file, message: "\(kind) `\(arn)` already read; ignored"))
            return false
        }
        users += details.users.filter { fresh($0.arn, "user") }
        groups += details.groups.filter { fresh($0.arn, "group") }
        roles += details.roles.filter { fresh($0.arn, "role") }
        for policy in details.policies {
            if let existing = managedPolicies[policy.arn] {
                // The same AWS managed policy in several accounts' snapshots is expected; a different
                // default version is worth a word.
                if existing.defaultVersionId != policy.defaultVersionId {
                    diagnostics.append(
                        InventoryDiagnostic(
                            file: file,
                            message: "policy `\(policy.arn)`: default version `\(policy.defaultVersionId)` differs "
                                + "from `\(existing.defaultVersionId)` read before; the first is kept"))
                }
            } else {
                managedPolicies[policy.arn] = policy
            }
        }
        diagnostics += details.diagnostics
    }

    mutating func merge(_ report: CredentialReport, file: String) {
        diagnostics += report.diagnostics.map { InventoryDiagnostic(file: file, message: $0) }
        guard var merged = credentialReport else {
            credentialReport = report
            return
        }
        var seen = Set(merged.entries.map(\.arn))
        var repeated = 0
        for entry in report.entries {
            if seen.insert(entry.arn).inserted { merged.entries.append(entry) } else { repeated += 1 }
        }
        if repeated > 0 {
            diagnostics.append(
                InventoryDiagnostic(
                    file: file,
                    message: "\(repeated) row\(repeated == 1 ? "" : "s") of users already read from an earlier "
                        + "credential report; ignored"))
        }
        merged.generatedTime = [merged.generatedTime, report.generatedTime].compactMap { $0 }.min()
        credentialReport = merged
    }

    /// Snapshots and credential reports should describe the same accounts.
    private mutating func checkReportAccounts() {
        let snapshotAccounts = Set(users.map(\.account)).union(groups.map(\.account)).union(roles.map(\.account))
        let reportAccounts = Set((credentialReport?.entries ?? []).map(\.account))
        for account in reportAccounts.subtracting(snapshotAccounts).sorted() {
            diagnostics.append(
                InventoryDiagnostic(
                    file: nil,
                    message: "account `\(account)` has a credential report but no --authorization-details snapshot"))
        }
        for account in snapshotAccounts.subtracting(reportAccounts).sorted() {
            diagnostics.append(
                InventoryDiagnostic(
                    file: nil, message: "account `\(account)` has a snapshot but no credential report"))
        }
    }

    /// A document that does not parse is left out of every evaluation; say which and why.
    private mutating func checkDocuments() {
        var texts: [PolicyText] = serviceControlPolicies + managedPolicies.values.map(\.document)
        for user in users { texts += user.inlinePolicies.map(\.document) }
        for group in groups { texts += group.inlinePolicies.map(\.document) }
        for role in roles { texts += role.inlinePolicies.map(\.document) + (role.trustPolicy.map { [$0] } ?? []) }
        for text in texts {
            if let error = text.parseError {
                diagnostics.append(
                    InventoryDiagnostic(file: nil, message: "\(text.source) is ignored: \(error.description)"))
            }
        }
    }

    /// Every attachment, boundary and group membership must resolve within the snapshot.
    private mutating func checkReferences() {
        var missing: [InventoryDiagnostic] = []
        func check(_ reference: PolicyReference, _ owner: String) {
            if managedPolicies[reference.arn] == nil {
                missing.append(
                    InventoryDiagnostic(
                        file: nil, message: "\(owner): policy `\(reference.arn)` is not in the snapshot; ignored"))
            }
        }
        for user in users {
            for reference in user.attachedPolicies { check(reference, "user `\(user.arn)`") }
            if let boundary = user.permissionsBoundary { check(boundary, "user `\(user.arn)` (boundary)") }
            for name in user.groupNames where group(named: name, account: user.account) == nil {
                missing.append(
                    InventoryDiagnostic(
                        file: nil, message: "user `\(user.arn)`: group `\(name)` is not in the snapshot; ignored"))
            }
        }
        for group in groups {
            for reference in group.attachedPolicies { check(reference, "group `\(group.arn)`") }
        }
        for role in roles {
            for reference in role.attachedPolicies { check(reference, "role `\(role.arn)`") }
            if let boundary = role.permissionsBoundary { check(boundary, "role `\(role.arn)` (boundary)") }
        }
        diagnostics += missing
    }
}

extension AccountInventory {
    /// The group named `name` in `account`.
    public func group(named name: String, account: String) -> IAMGroup? {
        groups.first { $0.name == name && $0.account == account }
    }

    /// The groups of `user` that the snapshot has, in the user's order.
    public func groups(of user: IAMUser) -> [IAMGroup] {
        user.groupNames.compactMap { group(named: $0, account: user.account) }
    }

    /// The latest time the snapshots hold about the accounts' principals (user, group and role
    /// creation, `RoleLastUsed`): a lower bound of when they were taken
    /// (`get-account-authorization-details` output carries no time of its own). Managed policy dates do
    /// not count: AWS managed policies carry AWS's version dates, which say nothing of the account.
    public var latestSnapshotTime: Int64? {
        let times: [Int64?] =
            users.map(\.createDate) + groups.map(\.createDate) + roles.flatMap { [$0.createDate, $0.lastUsed] }
        return times.compactMap { $0 }.max()
    }

    /// The accounts the inventory knows about (from principals and the credential report), sorted.
    public var accounts: [String] {
        var accounts = Set(users.map(\.account)).union(groups.map(\.account)).union(roles.map(\.account))
        for entry in credentialReport?.entries ?? [] { accounts.insert(entry.account) }
        return accounts.sorted()
    }
}

/// Reads one SCP file: a policy document, or the `aws organizations describe-policy` response
/// (`{"Policy": {"Content": "…", "PolicySummary": {"Name": …}}}`).
func serviceControlPolicy(data: Data, file: String) throws(InventoryError) -> PolicyText {
    do throws(InventoryError) {
        let root = try JSONNode.parse(data)
        if let policy = try root.optional("Policy") {
            let name = try policy.optional("PolicySummary")?.optionalString("Name") ?? file
            return try policy.required("Content").policyDocument(file: file, label: "SCP `\(name)`")
        }
        return try root.policyDocument(file: file, label: "SCP `\(file)`")
    } catch {
        throw .cannotRead(file, error.description)
    }
}
