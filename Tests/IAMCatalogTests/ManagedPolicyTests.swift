import Foundation
import IAMCatalog
import TestSupport
import Testing

@Suite struct ManagedPolicyTests {
    /// Every `Action`/`NotAction` pattern of the 1,645 AWS managed policies either matches catalog
    /// actions or is reported as unknown; the golden file is the exact list of unknown ones.
    @Test func everyManagedPolicyActionResolvesOrIsReported() throws {
        let catalog = try #require(bundledCatalog)
        let data = try gunzip(Repository.fixture("policies/aws-managed/aws-managed-policies.jsonl.gz"))
        var patterns = Set<String>()
        var policies = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let document = try #require(record["document"] as? [String: Any])
            policies += 1
            let statements =
                (document["Statement"] as? [[String: Any]]) ?? [document["Statement"] as? [String: Any] ?? [:]]
            for statement in statements {
                for key in ["Action", "NotAction"] {
                    if let one = statement[key] as? String { patterns.insert(one) }
                    if let many = statement[key] as? [String] { patterns.formUnion(many) }
                }
            }
        }
        #expect(policies == 1_645)
        let sorted = patterns.sorted()
        let unknown = catalog.unknownActions(in: sorted)
        let unknownPatterns = Set(unknown.map(\.pattern))
        for pattern in sorted where !unknownPatterns.contains(pattern) {
            #expect(pattern == "*" || !catalog.expand(pattern).isEmpty, "\(pattern) neither matches nor is reported")
        }
        let report =
            ["# \(unknown.count) of \(sorted.count) distinct Action/NotAction patterns name no catalog action"]
            + unknown.map(\.description)
        assertGolden(report.joined(separator: "\n") + "\n", file: goldenFile("managed-policy-unknown-actions.txt"))
    }
}
