import IAMCatalog
import IAMPolicy
import Synthesis
import TestSupport
import Testing
import UsageStore

/// 2023-07-10T12:00:00Z, and the 90 days before it.
let window = StoreWindow(start: 1_688_990_400 - 90 * 86_400, end: 1_688_990_400)
let role = "arn:aws:iam::111122223333:role/app"

func used(_ action: String, _ arns: [String] = [], complete: Bool = true, count: Int = 1) -> UsedAction {
    UsedAction(
        usage: ActionUsage(action: action, count: count, firstSeen: 1_688_900_000, lastSeen: 1_688_950_000),
        resources: ResourceSample(arns: arns.sorted(), complete: complete))
}

func policy(_ json: String) throws -> NamedPolicy {
    NamedPolicy(name: "current", document: try PolicyDocument(parsing: json, source: "current"))
}

func catalog() throws -> ActionCatalog { try #require(TestCatalog.shared) }

/// The one statement of `result` that holds `action`.
func statement(of action: String, in result: SynthesisResult) -> Statement? {
    result.policies.flatMap(\.document.statements).first {
        if case .action(let list) = $0.action { return list.contains(action) }
        return false
    }
}

func resources(of action: String, in result: SynthesisResult) -> [String] {
    guard case .resource(let list)? = statement(of: action, in: result)?.resource else { return [] }
    return list
}
