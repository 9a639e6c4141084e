import IAMPolicy
import Testing

@testable import Synthesis

@Suite struct PolicySplitterTests {
    /// One statement too large for the limit: its pieces are renamed `S3ReadPart2`… and every document,
    /// suffix included, stays within the limit, at every limit where the smallest renamed piece (161 characters) fits.
    @Test func renamedPiecesStayWithinTheLimit() {
        let resources = (1...9).map { "arn:aws:s3:::bucket/reports/2023/\($0).csv" }
        let statement = Statement(
            sid: "S3Read", effect: .allow, actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: resources)
        for limit in 165...700 {
            let documents = PolicySplitter.split([statement], limit: limit)
            let statements = documents.flatMap(\.statements)
            #expect(documents.allSatisfy { $0.awsSize <= limit }, "limit \(limit)")
            #expect(Set(statements.compactMap(\.sid)).count == statements.count, "limit \(limit)")
            let pairs = statements.flatMap { piece -> [String] in
                guard case .action(let actions) = piece.action, case .resource(let arns)? = piece.resource else {
                    return []
                }
                return actions.flatMap { action in arns.map { "\(action) \($0)" } }
            }
            #expect(
                pairs.sorted()
                    == ["s3:GetObject", "s3:GetObjectVersion"].flatMap { a in resources.map { "\(a) \($0)" } }.sorted())
        }
    }
}
