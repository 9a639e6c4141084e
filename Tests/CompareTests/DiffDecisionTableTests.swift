import Compare
import Foundation
import IAMCatalog
import IAMPolicy
import TestSupport
import Testing

/// One row of `Fixtures/diff-decisions.json`.
struct DiffCase: Sendable, CustomTestStringConvertible {
    var name: String
    var before: [NamedPolicy]
    var after: [NamedPolicy]
    var notGranted: String?
    var result: String
    var reasons: [ExpectedReason]
    var removed: [ExpectedReason]?

    var testDescription: String { name }

    struct ExpectedReason: Sendable, Equatable, CustomStringConvertible {
        var kind: String
        var policy: String
        var statementIndex: Int
        var actions: [String]
        var witness: String?

        var description: String {
            "\(kind) \(policy)#\(statementIndex) \(actions.prefix(4))\(actions.count > 4 ? "+\(actions.count - 4)" : "") \(witness ?? "-")"
        }

        init(_ reason: AccessReason) {
            kind = reason.kind.rawValue
            policy = reason.policy
            statementIndex = reason.statementIndex
            actions = reason.actions
            witness = reason.witness
        }

        init(json: [String: Any]) {
            kind = json["kind"] as? String ?? ""
            policy = json["policy"] as? String ?? ""
            statementIndex = json["statementIndex"] as? Int ?? -1
            actions = json["actions"] as? [String] ?? []
            witness = json["witness"] as? String
        }
    }

    static let all: [DiffCase] = {
        guard let data = try? Data(contentsOf: Repository.fixture("diff-decisions.json")),
            let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return [] }
        return rows.map { row in
            func policies(_ value: Any?, _ side: String) -> [NamedPolicy] {
                let documents = (value as? [Any]) ?? [value as Any]
                return documents.enumerated().compactMap { index, document in
                    guard let bytes = try? JSONSerialization.data(withJSONObject: document),
                        let parsed = try? PolicyDocument(parsing: [UInt8](bytes), source: side)
                    else { return nil }
                    return NamedPolicy(name: value is [Any] ? "\(side)[\(index)]" : side, document: parsed)
                }
            }
            return DiffCase(
                name: row["name"] as? String ?? "",
                before: policies(row["before"], "before"), after: policies(row["after"], "after"),
                notGranted: row["notGranted"] as? String, result: row["result"] as? String ?? "",
                reasons: (row["reasons"] as? [[String: Any]] ?? []).map(ExpectedReason.init(json:)),
                removed: (row["removed"] as? [[String: Any]]).map { $0.map(ExpectedReason.init(json:)) })
        }
    }()
}

@Suite struct DiffDecisionTableTests {
    @Test func tableHasTheCasesTheIssueAsksFor() {
        #expect(DiffCase.all.count >= 60)
        #expect(Set(DiffCase.all.map(\.name)).count == DiffCase.all.count)
    }

    @Test(arguments: DiffCase.all)
    func decision(_ row: DiffCase) throws {
        let catalog = try #require(TestCatalog.shared)
        let list = try row.notGranted.map { try AccessList(parsing: $0, source: "not-granted") }
        let result = AccessComparison.compare(before: row.before, after: row.after, catalog: catalog, notGranted: list)
        #expect((result.passed ? "PASS" : "FAIL") == row.result)
        #expect(result.reasons.map(DiffCase.ExpectedReason.init) == row.reasons)
        if let removed = row.removed {
            #expect(result.removed.map(DiffCase.ExpectedReason.init) == removed)
        }
        #expect(result.unknownActions.isEmpty)
    }
}
