import Foundation

/// One row of `Fixtures/policy-decisions.json`: policies by name, a request and the expected outcome.
public struct PolicyDecisionCase: Sendable, CustomStringConvertible {
    public var index: Int
    public var category: String
    public var identity: [String]
    public var boundary: String?
    public var scps: [String]?
    public var action: String
    public var resource: String
    public var principal: String?
    /// `nil`: no context at all; empty: a context without keys.
    public var context: [String: [String]]?
    public var decision: String
    /// `policy#statementIndex`, in the evaluator's order.
    public var statements: [String]

    public var description: String { "#\(index) \(category): \(action) on \(resource)" }
}

/// The decision table shared by the library test and the end-to-end test.
public struct PolicyDecisionTable: Sendable {
    /// Policy name → the policy's JSON text.
    public var policies: [String: String]
    public var cases: [PolicyDecisionCase]

    public static let shared: PolicyDecisionTable = {
        do {
            return try load(Repository.fixture("policy-decisions.json"))
        } catch {
            preconditionFailure("cannot read the decision table: \(error)")
        }
    }()

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ url: URL) throws -> PolicyDecisionTable {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let object = root as? [String: Any], let policies = object["policies"] as? [String: Any],
            let cases = object["cases"] as? [[String: Any]]
        else { throw Malformed(description: "missing `policies` or `cases`") }
        var texts: [String: String] = [:]
        for (name, policy) in policies {
            let data = try JSONSerialization.data(withJSONObject: policy, options: [.sortedKeys, .prettyPrinted])
            texts[name] = String(decoding: data, as: UTF8.self)
        }
        var rows: [PolicyDecisionCase] = []
        for (i, c) in cases.enumerated() {
            guard let category = c["category"] as? String, let identity = c["identity"] as? [String],
                let action = c["action"] as? String, let resource = c["resource"] as? String,
                let decision = c["decision"] as? String, let statements = c["statements"] as? [String]
            else { throw Malformed(description: "case \(i) is incomplete") }
            rows.append(
                PolicyDecisionCase(
                    index: i, category: category, identity: identity, boundary: c["boundary"] as? String,
                    scps: c["scps"] as? [String], action: action, resource: resource,
                    principal: c["principal"] as? String, context: c["context"] as? [String: [String]],
                    decision: decision, statements: statements))
        }
        return PolicyDecisionTable(policies: texts, cases: rows)
    }
}
