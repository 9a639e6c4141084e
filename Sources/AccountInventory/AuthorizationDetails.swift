import Foundation
import IAMPolicy

/// The contents of one `aws iam get-account-authorization-details` file.
struct AuthorizationDetails {
    var users: [IAMUser] = []
    var groups: [IAMGroup] = []
    var roles: [IAMRole] = []
    var policies: [ManagedPolicy] = []
    var diagnostics: [InventoryDiagnostic] = []

    /// Reads `UserDetailList`, `GroupDetailList`, `RoleDetailList` and `Policies` (all optional, as
    /// with `--filter`); policy documents may be JSON objects (CLI) or URL-encoded strings (raw API).
    init(data: Data, file: String) throws(InventoryError) {
        do throws(InventoryError) {
            let root = try JSONNode.parse(data)
            let keys = try root.keys()
            guard keys.contains(where: Self.sections.contains) else {
                throw InventoryError(
                    "not an authorization-details file (no `UserDetailList`, `GroupDetailList`, "
                        + "`RoleDetailList` or `Policies`)")
            }
            let reader = Reader(file: file)
            // A principal whose `Arn` is not an IAM ARN of its kind cannot be matched to anything; it is
            // left out with a diagnostic.
            func valid(_ arn: String, _ kind: String, _ name: String, _ node: JSONNode) -> Bool {
                if let parsed = ARN(parsing: arn), parsed.service == "iam",
                    ARNParts.isAccount(parsed.account, allowingAWS: true),
                    parsed.resource.hasPrefix("\(kind)/")
                {
                    return true
                }
                diagnostics.append(
                    InventoryDiagnostic(
                        file: file,
                        message: "\(node.path): \(kind) `\(name)`: `Arn` `\(arn)` is not an IAM \(kind) ARN; skipped"))
                return false
            }
            for node in try root.list("UserDetailList") {
                let user = try reader.user(node)
                if valid(user.arn, "user", user.name, node) { users.append(user) }
            }
            for node in try root.list("GroupDetailList") {
                let group = try reader.group(node)
                if valid(group.arn, "group", group.name, node) { groups.append(group) }
            }
            for node in try root.list("RoleDetailList") {
                let role = try reader.role(node)
                if valid(role.arn, "role", role.name, node) { roles.append(role) }
            }
            for node in try root.list("Policies") {
                switch try reader.policy(node) {
                case .policy(let policy): policies.append(policy)
                case .skipped(let message): diagnostics.append(InventoryDiagnostic(file: file, message: message))
                }
            }
        } catch {
            throw .cannotRead(file, error.description)
        }
    }

    static let sections: Set<String> = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]

    enum PolicyRead {
        case policy(ManagedPolicy)
        case skipped(String)
    }
}

/// Reads the principals and policies of one file.
private struct Reader {
    let file: String

    func inline(_ list: [JSONNode], owner: String) throws(InventoryError) -> [InlinePolicy] {
        try list.map { node throws(InventoryError) in
            let name = try node.requiredString("PolicyName")
            let label = "\(owner): inline policy `\(name)`"
            return InlinePolicy(
                name: name, document: try node.required("PolicyDocument").policyDocument(file: file, label: label))
        }
    }

    func attached(_ list: [JSONNode]) throws(InventoryError) -> [PolicyReference] {
        try list.map { node throws(InventoryError) in
            PolicyReference(arn: try node.requiredString("PolicyArn"), name: try node.requiredString("PolicyName"))
        }
    }

    func boundary(_ node: JSONNode) throws(InventoryError) -> PolicyReference? {
        guard let boundary = try node.optional("PermissionsBoundary") else { return nil }
        let arn = try boundary.requiredString("PermissionsBoundaryArn")
        return PolicyReference(arn: arn, name: String(arn.split(separator: "/").last ?? ""))
    }

    func tags(_ node: JSONNode) throws(InventoryError) -> [Tag] {
        try node.list("Tags").map { tag throws(InventoryError) in
            Tag(key: try tag.requiredString("Key"), value: try tag.requiredString("Value"))
        }
    }

    func user(_ node: JSONNode) throws(InventoryError) -> IAMUser {
        let name = try node.requiredString("UserName")
        return IAMUser(
            arn: try node.requiredString("Arn"), name: name, id: try node.optionalString("UserId") ?? "",
            path: try node.optionalString("Path") ?? "/", createDate: try node.optionalTime("CreateDate"),
            groupNames: try node.list("GroupList").map { name throws(InventoryError) in try name.string() },
            inlinePolicies: try inline(node.list("UserPolicyList"), owner: "user `\(name)`"),
            attachedPolicies: try attached(node.list("AttachedManagedPolicies")),
            permissionsBoundary: try boundary(node), tags: try tags(node))
    }

    func group(_ node: JSONNode) throws(InventoryError) -> IAMGroup {
        let name = try node.requiredString("GroupName")
        return IAMGroup(
            arn: try node.requiredString("Arn"), name: name, id: try node.optionalString("GroupId") ?? "",
            path: try node.optionalString("Path") ?? "/", createDate: try node.optionalTime("CreateDate"),
            inlinePolicies: try inline(node.list("GroupPolicyList"), owner: "group `\(name)`"),
            attachedPolicies: try attached(node.list("AttachedManagedPolicies")))
    }

    func role(_ node: JSONNode) throws(InventoryError) -> IAMRole {
        let name = try node.requiredString("RoleName")
        let trust = try node.optional("AssumeRolePolicyDocument").map { doc throws(InventoryError) in
            try doc.policyDocument(file: file, label: "role `\(name)`: trust policy")
        }
        let lastUsed = try node.optional("RoleLastUsed")
        let profiles = try node.list("InstanceProfileList").map { profile throws(InventoryError) in
            InstanceProfile(
                arn: try profile.requiredString("Arn"), name: try profile.requiredString("InstanceProfileName"),
                path: try profile.optionalString("Path") ?? "/")
        }
        return IAMRole(
            arn: try node.requiredString("Arn"), name: name, id: try node.optionalString("RoleId") ?? "",
            path: try node.optionalString("Path") ?? "/", createDate: try node.optionalTime("CreateDate"),
            trustPolicy: trust, inlinePolicies: try inline(node.list("RolePolicyList"), owner: "role `\(name)`"),
            attachedPolicies: try attached(node.list("AttachedManagedPolicies")),
            permissionsBoundary: try boundary(node), tags: try tags(node),
            lastUsed: try lastUsed?.optionalTime("LastUsedDate"),
            lastUsedRegion: try lastUsed?.optionalString("Region"), lastUsedTracked: lastUsed != nil,
            instanceProfiles: profiles)
    }

    /// A managed policy, or the reason it is skipped (no default version in `PolicyVersionList`).
    func policy(_ node: JSONNode) throws(InventoryError) -> AuthorizationDetails.PolicyRead {
        let arn = try node.requiredString("Arn")
        let name = try node.requiredString("PolicyName")
        let defaultVersion = try node.requiredString("DefaultVersionId")
        let versions = try node.required("PolicyVersionList").array()
        var document: JSONNode?
        for version in versions {
            let isDefault = try version.optional("IsDefaultVersion")?.bool()
            let id = try version.optionalString("VersionId")
            if id == defaultVersion || (id == nil && isDefault == true) {
                document = try version.required("Document")
                break
            }
        }
        guard let document else {
            return .skipped(
                "\(node.path): policy `\(arn)`: default version `\(defaultVersion)` is not in `PolicyVersionList`; "
                    + "policy skipped")
        }
        return .policy(
            ManagedPolicy(
                arn: arn, name: name, path: try node.optionalString("Path") ?? "/", defaultVersionId: defaultVersion,
                document: try document.policyDocument(file: file, label: "policy `\(arn)` \(defaultVersion)"),
                createDate: try node.optionalTime("CreateDate")))
    }
}
