import Timestamps

/// Decides one ``Condition`` against a request context, following AWS's rules:
///
/// - no context at all → unknown;
/// - key absent: `…IfExists` → true; `ForAllValues:` → true; `ForAnyValue:` → false; `Null` → `true` when
///   the policy value is `true`; a negated operator (`StringNotEquals`, `NotIpAddress`, …) → true;
///   anything else → false;
/// - key present: a plain operator holds when some context value matches some policy value (a negated
///   operator: when no context value matches any of them); `ForAnyValue:` when some context value
///   satisfies the operator; `ForAllValues:` when every one does;
/// - policy variables in String and Arn values are filled from the context; a value whose variable is
///   absent (and has no default) matches nothing.
struct ConditionEvaluator {
    let context: RequestContext?
    let variablesEnabled: Bool

    func evaluate(_ condition: Condition) -> Truth {
        guard let context else { return .unknown }
        let op = condition.operator
        let present = context[condition.key]
        if op.base == .null {
            let isNull = present == nil
            return Truth(condition.values.contains { $0.lowercased() == (isNull ? "true" : "false") })
        }
        guard let values = present else {
            if op.ifExists { return .yes }
            switch op.setQualifier {
            case .forAllValues: return .yes
            case .forAnyValue: return .no
            case nil: return Truth(op.base.isNegated)
            }
        }
        let policyValues = condition.values.compactMap(resolve(op.family))
        // Whether one context value satisfies the operator.
        let satisfies: (String) -> Bool = { value in
            let hit = policyValues.contains { matches(op.base, $0, value) }
            return op.base.isNegated ? !hit : hit
        }
        switch op.setQualifier {
        case .forAnyValue: return Truth(values.contains(where: satisfies))
        case .forAllValues: return Truth(values.allSatisfy(satisfies))
        case nil: return Truth(op.base.isNegated ? values.allSatisfy(satisfies) : values.contains(where: satisfies))
        }
    }

    /// A policy value ready to compare: variables substituted (String and Arn families), or `nil` when a
    /// variable cannot be filled.
    private func resolve(_ family: ConditionOperator.Family) -> (String) -> ResolvedValue? {
        { text in
            guard variablesEnabled, family == .string || family == .arn else {
                return ResolvedValue(text: text, pieces: [.pattern(text)])
            }
            guard let pieces = PolicyEvaluator.substitute(PolicyTemplate(parsing: text), context) else { return nil }
            return ResolvedValue(text: pieces.map(\.text).joined(), pieces: pieces)
        }
    }

    private func matches(_ base: ConditionOperator.Base, _ policy: ResolvedValue, _ value: String) -> Bool {
        switch base {
        case .stringEquals, .stringNotEquals:
            return policy.text == value
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            return policy.text.lowercased() == value.lowercased()
        case .stringLike, .stringNotLike:
            return WildcardPattern(pieces: policy.pieces, caseInsensitive: false).matches(value)
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
            .numericGreaterThanEquals:
            guard let a = ConditionEvaluator.number(value), let b = ConditionEvaluator.number(policy.text) else {
                return false
            }
            return compare(base, a, b)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan,
            .dateGreaterThanEquals:
            guard let a = ConditionEvaluator.time(value), let b = ConditionEvaluator.time(policy.text) else {
                return false
            }
            return compare(base, a, b)
        case .bool:
            return policy.text.lowercased() == value.lowercased()
        case .binaryEquals:
            return policy.text == value
        case .ipAddress, .notIpAddress:
            guard let network = IPNetwork(parsing: policy.text), let address = IPNetwork(parsing: value) else {
                return false
            }
            return network.contains(address)
        case .arnEquals, .arnNotEquals, .arnLike, .arnNotLike:
            return ConditionEvaluator.arnMatches(policy.pieces, value)
        case .null:
            return false
        }
    }

    private func compare<T: Comparable>(_ base: ConditionOperator.Base, _ a: T, _ b: T) -> Bool {
        switch base {
        case .numericEquals, .numericNotEquals, .dateEquals, .dateNotEquals: a == b
        case .numericLessThan, .dateLessThan: a < b
        case .numericLessThanEquals, .dateLessThanEquals: a <= b
        case .numericGreaterThan, .dateGreaterThan: a > b
        case .numericGreaterThanEquals, .dateGreaterThanEquals: a >= b
        default: false
        }
    }

    /// A finite decimal number (`10`, `-1.5`, `2e3`); not hexadecimal, `inf`, `nan` or `1e400`, which
    /// `Double(_:)` reads (the last as infinity) but IAM does not.
    static func number(_ text: String) -> Double? {
        var digits = 0
        var i = text.utf8.startIndex
        let bytes = text.utf8
        func skipDigits() {
            while i < bytes.endIndex, bytes[i] &- UInt8(ascii: "0") < 10 {
                digits += 1
                i = bytes.index(after: i)
            }
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            i = bytes.index(after: i)
        }
        skipDigits()
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            skipDigits()
        }
        guard digits > 0 else { return nil }
        if i < bytes.endIndex, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i = bytes.index(after: i)
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                i = bytes.index(after: i)
            }
            digits = 0
            skipDigits()
            guard digits > 0 else { return nil }
        }
        // `1e400` is decimal but no finite number: not one IAM can compare.
        guard i == bytes.endIndex, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// An ISO 8601 time or epoch seconds.
    static func time(_ text: String) -> Int64? {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) { return Int64(text) }
        return Timestamp.parse(text)
    }

    /// `ArnEquals` / `ArnLike`: the six colon-separated parts match one by one, with wildcards, case-sensitively.
    static func arnMatches(_ pieces: [WildcardPattern.Piece], _ value: String) -> Bool {
        let whole = WildcardPattern(pieces: pieces, caseInsensitive: false)
        let patternParts = whole.text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let valueParts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard patternParts.count == 6, valueParts.count == 6, pieces.allSatisfy({ $0.isPattern }) else {
            return whole.matches(value)
        }
        for (p, v) in zip(patternParts, valueParts)
        where !WildcardPattern(String(p), caseInsensitive: false).matches(String(v)) {
            return false
        }
        return true
    }
}

/// A condition or resource value after variable substitution.
struct ResolvedValue {
    let text: String
    let pieces: [WildcardPattern.Piece]
}

extension WildcardPattern.Piece {
    var text: String {
        switch self {
        case .pattern(let s), .literal(let s): s
        }
    }

    var isPattern: Bool {
        if case .pattern = self { return true }
        return false
    }
}
