import AccountInventory

/// A principal of an IAM snapshot whose access can be analysed: a user (with its groups' policies) or a
/// role.
public enum InventoryPrincipal: Sendable, Hashable {
    case user(IAMUser)
    case role(IAMRole)

    public var arn: String {
        switch self {
        case .user(let user): user.arn
        case .role(let role): role.arn
        }
    }

    public var name: String {
        switch self {
        case .user(let user): user.name
        case .role(let role): role.name
        }
    }

    /// The account that owns the principal.
    public var account: String {
        switch self {
        case .user(let user): user.account
        case .role(let role): role.account
        }
    }

    /// `CreateDate`, when the snapshot has it.
    public var createDate: Int64? {
        switch self {
        case .user(let user): user.createDate
        case .role(let role): role.createDate
        }
    }

    /// `user` or `role`, for messages.
    public var kind: String {
        switch self {
        case .user: "user"
        case .role: "role"
        }
    }

    /// A service-linked role (path `/aws-service-role/`): SCPs do not apply to it and unused-access
    /// rules do not judge it.
    public var isServiceLinked: Bool {
        if case .role(let role) = self { return role.isServiceLinked }
        return false
    }
}

extension AccountInventory {
    /// Every user and role, sorted by ARN.
    public var principals: [InventoryPrincipal] {
        (users.map(InventoryPrincipal.user) + roles.map(InventoryPrincipal.role)).sorted { $0.arn < $1.arn }
    }

    /// The users and roles that `name` designates: an exact ARN, a bare user or role name, or an
    /// Identity Center permission-set name (`AdministratorAccess` for
    /// `AWSReservedSSO_AdministratorAccess_0123abcd`). Several when the name is ambiguous.
    public func principals(named name: String) -> [InventoryPrincipal] {
        let all = principals
        if let exact = all.first(where: { $0.arn == name }) { return [exact] }
        return all.filter { principal in
            if principal.name == name { return true }
            guard principal.name.hasPrefix("AWSReservedSSO_") else { return false }
            let rest = principal.name.dropFirst("AWSReservedSSO_".count)
            guard let underscore = rest.lastIndex(of: "_") else { return false }
            return rest[..<underscore] == name
        }
    }
}
