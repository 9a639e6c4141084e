/// One condition of a statement: an operator applied to one context key and its values.
///
/// `"Condition": {"StringLike": {"s3:prefix": ["home/", "home/${aws:username}/*"]}}` is one `Condition`
/// with operator `StringLike`, key `s3:prefix` and two values.
public struct Condition: Sendable, Hashable {
    public var `operator`: ConditionOperator
    /// The condition key as written (`aws:SourceIp`, `aws:PrincipalTag/team`); compared case-insensitively.
    public var key: String
    /// The values as text; JSON booleans and numbers keep their text (`true`, `30`).
    public var values: [String]

    public init(_ operator: ConditionOperator, key: String, values: [String]) {
        self.operator = `operator`
        self.key = key
        self.values = values
    }
}

/// A condition operator: a base operator, an optional set qualifier and the `IfExists` suffix.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    /// The base operators of the IAM policy grammar.
    public enum Base: String, Sendable, Hashable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnNotEquals = "ArnNotEquals"
        case arnLike = "ArnLike"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        /// The operator family.
        public var family: Family {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike,
                .stringNotLike:
                .string
            case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
                .numericGreaterThanEquals:
                .numeric
            case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan,
                .dateGreaterThanEquals:
                .date
            case .bool: .bool
            case .binaryEquals: .binary
            case .ipAddress, .notIpAddress: .ipAddress
            case .arnEquals, .arnNotEquals, .arnLike, .arnNotLike: .arn
            case .null: .null
            }
        }

        /// Whether the operator is a negation (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, …): with a
        /// multivalued key it must match none of the values.
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                .notIpAddress, .arnNotEquals, .arnNotLike:
                true
            default: false
            }
        }
    }

    /// Operator families.
    public enum Family: String, Sendable, Hashable, CaseIterable {
        case string, numeric, date, bool, binary, ipAddress, arn, null
    }

    /// `ForAnyValue:` / `ForAllValues:` (multivalued context keys).
    public enum SetQualifier: String, Sendable, Hashable, CaseIterable {
        case forAnyValue = "ForAnyValue"
        case forAllValues = "ForAllValues"
    }

    public var base: Base
    public var setQualifier: SetQualifier?
    public var ifExists: Bool

    public init(_ base: Base, setQualifier: SetQualifier? = nil, ifExists: Bool = false) {
        self.base = base
        self.setQualifier = setQualifier
        self.ifExists = ifExists
    }

    /// The operator's family.
    public var family: Family { base.family }

    /// The canonical spelling: `ForAnyValue:StringLikeIfExists`.
    public var name: String {
        (setQualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
    }

    public var description: String { name }

    /// Parses an operator name; qualifiers, base and suffix match case-insensitively (as IAM does).
    /// Returns `nil` for an unknown operator.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var qualifier: SetQualifier?
        if let colon = rest.firstIndex(of: ":") {
            let prefix = rest[..<colon].lowercased()
            guard let q = SetQualifier.allCases.first(where: { $0.rawValue.lowercased() == prefix }) else { return nil }
            qualifier = q
            rest = rest[rest.index(after: colon)...]
        }
        var lowered = rest.lowercased()
        var ifExists = false
        if lowered.hasSuffix("ifexists") {
            ifExists = true
            lowered.removeLast("ifexists".count)
        }
        guard let base = Base.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        // `Null` takes no `IfExists` form.
        if base == .null && ifExists { return nil }
        self.init(base, setQualifier: qualifier, ifExists: ifExists)
    }
}
