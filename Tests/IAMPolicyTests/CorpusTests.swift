import Foundation
import IAMPolicy
import TestSupport
import Testing

/// Every real policy of `Fixtures/policies/` parses and round-trips through the canonical writer.
@Suite struct CorpusTests {
    static func gunzip(_ url: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    static func roundTrips(_ doc: PolicyDocument, _ name: String) throws {
        for style in [JSONStyle.pretty, .compact] {
            let again = try PolicyDocument(parsing: doc.json(style), source: name)
            #expect(again == doc, "\(name) \(style)")
            #expect(again.json(style) == doc.json(style))
        }
    }

    @Test func everyManagedPolicyParsesAndRoundTrips() throws {
        let bytes = try Self.gunzip(Repository.fixture("policies/aws-managed/aws-managed-policies.jsonl.gz"))
        let lines = try JSONValue.parseSequence(bytes)
        var names: [String] = []
        var statements = 0
        for line in lines {
            let name = try #require(line["name"]?.stringValue)
            let document = try #require(line["document"])
            let doc = try PolicyDocument(json: document, source: name, sourceBytes: bytes)
            statements += doc.statements.count
            try Self.roundTrips(doc, name)
            names.append(name)
        }
        // Figures from Fixtures/policies/aws-managed/README.md.
        #expect(names.count == 1645)
        #expect(Set(names).count == 1645)
        #expect(statements == 9032)
    }

    static let exampleFolders = [
        "policies/scp-examples", "policies/data-perimeter-examples", "policies/permissions-boundary-examples",
    ]

    static var exampleFiles: [String] {
        exampleFolders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: Repository.fixture(folder).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
        }
    }

    static let invalidExample =
        "policies/scp-examples/Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json"

    /// 57 SCP files (56 valid, one invalid upstream), 29 data-perimeter, 2 boundary examples.
    @Test func exampleFolderSizes() {
        #expect(Self.exampleFiles.count == 57 + 29 + 2)
    }

    @Test(arguments: exampleFiles.filter { $0 != invalidExample })
    func everyExamplePolicyParsesAndRoundTrips(file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Repository.fixture(file)))
        let doc = try PolicyDocument(parsing: bytes, source: file)
        #expect(!doc.statements.isEmpty)
        try Self.roundTrips(doc, file)
    }

    @Test func theInvalidSCPExampleGivesAOneLineErrorWithPosition() throws {
        let bytes = [UInt8](try Data(contentsOf: Repository.fixture(Self.invalidExample)))
        #expect(throws: PolicyParseError.self) { try PolicyDocument(parsing: bytes, source: "deny.json") }
        do {
            _ = try PolicyDocument(parsing: bytes, source: "deny.json")
        } catch {
            #expect(
                error.description
                    == "deny.json:15:13: Statement[0].Condition.StringEqualsIfExists."
                    + "iam:ServiceSpecificCredentialServiceName: expected `,` or `]`, found `/`")
        }
    }
}
