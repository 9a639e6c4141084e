/// What one CloudTrail event `(eventSource, eventName)` needs in IAM terms (DESIGN.md "Event → action
/// resolution").
public struct EventResolution: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// The event maps to `actions` (plus any `conditional` extras that apply).
        case resolved
        /// The event needs no identity-policy permission (console sign-in, `sts:GetCallerIdentity`, …).
        case noPermission
        /// The catalog cannot say; `reason` tells why. Never guessed.
        case unresolved
    }

    /// Extra actions needed when a request parameter is present
    /// (`ec2:RunInstances` needs `iam:PassRole` when `iamInstanceProfile` is set).
    public struct Conditional: Sendable, Hashable {
        /// The `requestParameters` key whose presence adds `actions`.
        public var parameter: String
        /// Actions in the catalog's spelling (`iam:PassRole`).
        public var actions: [String]

        public init(parameter: String, actions: [String]) {
            self.parameter = parameter
            self.actions = actions
        }
    }

    public var status: Status
    /// Actions always needed, in the catalog's spelling (`s3:GetObject`); empty unless `resolved`.
    public var actions: [String]
    /// Extra actions that depend on request parameters.
    public var conditional: [Conditional]
    /// Why the event needs no permission or could not be resolved; `nil` when resolved.
    public var reason: String?
    /// One or more of these actions, depending on the request's content (DynamoDB
    /// `TransactWriteItems` needs `PutItem`, `UpdateItem`, `DeleteItem` or `ConditionCheckItem` by item
    /// kind). Not part of `actions(hasParameter:)`: the caller decides (ingestion records all of them,
    /// so that a policy built from usage allows the call whatever its content).
    public var anyOf: [String]
    /// A reviewer's note on a curated mapping, when it has one.
    public var note: String?

    public init(
        status: Status, actions: [String] = [], conditional: [Conditional] = [], reason: String? = nil,
        anyOf: [String] = [], note: String? = nil
    ) {
        self.status = status
        self.actions = actions
        self.conditional = conditional
        self.reason = reason
        self.anyOf = anyOf
        self.note = note
    }

    /// The actions for an event whose request has the parameters for which `hasParameter` is `true`.
    public func actions(hasParameter: (String) -> Bool) -> [String] {
        var result = actions
        for extra in conditional where hasParameter(extra.parameter) {
            for action in extra.actions where !result.contains(action) { result.append(action) }
        }
        return result
    }
}
