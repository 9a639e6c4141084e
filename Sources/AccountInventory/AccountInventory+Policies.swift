/// A policy that applies to a principal, with how it got there.
public struct AppliedPolicy: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case inline
        case managed
    }

    public var kind: Kind
    /// The policy name (inline) or the managed policy's name.
    public var name: String
    /// The managed policy's ARN; `nil` for an inline policy.
    public var arn: String?
    /// The ARN of the group it comes from; `nil` when attached to the principal itself.
    public var viaGroup: String?
    public var document: PolicyText

    public init(kind: Kind, name: String, arn: String?, viaGroup: String?, document: PolicyText) {
        self.kind = kind
        self.name = name
        self.arn = arn
        self.viaGroup = viaGroup
        self.document = document
    }
}

extension AccountInventory {
    /// The identity policies of a group: inline, then attached managed ones that the snapshot has.
    public func identityPolicies(of group: IAMGroup) -> [AppliedPolicy] {
        applied(group.inlinePolicies, group.attachedPolicies, via: nil)
    }

    /// The identity policies of a user: its own inline and attached policies, then each group's.
    public func identityPolicies(of user: IAMUser) -> [AppliedPolicy] {
        var policies = applied(user.inlinePolicies, user.attachedPolicies, via: nil)
        for group in groups(of: user) {
            policies += applied(group.inlinePolicies, group.attachedPolicies, via: group.arn)
        }
        return policies
    }

    /// The identity policies of a role: inline, then attached managed ones that the snapshot has.
    public func identityPolicies(of role: IAMRole) -> [AppliedPolicy] {
        applied(role.inlinePolicies, role.attachedPolicies, via: nil)
    }

    /// The document of a permissions boundary, when the principal has one and the snapshot has it.
    public func boundary(_ reference: PolicyReference?) -> ManagedPolicy? {
        reference.flatMap { managedPolicies[$0.arn] }
    }

    private func applied(_ inline: [InlinePolicy], _ attached: [PolicyReference], via: String?) -> [AppliedPolicy] {
        inline.map { AppliedPolicy(kind: .inline, name: $0.name, arn: nil, viaGroup: via, document: $0.document) }
            + attached.compactMap { reference in
                managedPolicies[reference.arn].map {
                    AppliedPolicy(kind: .managed, name: $0.name, arn: $0.arn, viaGroup: via, document: $0.document)
                }
            }
    }
}
