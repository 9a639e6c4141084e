import IAMPolicy
import Testing

/// Before `2012-10-17`, `${…}` is plain text; a document read into the current version keeps that meaning.
@Suite struct PolicyVersionTests {
    static let old = """
        {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home/${aws:username}",
         "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}]}
        """

    @Test func variablesOfAnOlderDocumentStayText() throws {
        let document = try PolicyDocument(parsing: Self.old, source: "old")
        #expect(
            document.inCurrentVersion.json(.compact)
                == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::home/${$}{aws:username}","Condition":{"StringLike":{"s3:prefix":"home/${$}{aws:username}/*"}}}]}"#
        )
        let current = try PolicyDocument(parsing: document.inCurrentVersion.json(.compact), source: "current")
        #expect(current.inCurrentVersion == current)
    }

    /// The evaluator reads the old document literally and the upgraded one with `${$}`: same decisions.
    @Test(arguments: [
        ("arn:aws:s3:::home/alice", "home/alice/x", Decision.implicitDeny),
        ("arn:aws:s3:::home/${aws:username}", "home/${aws:username}/x", Decision.allowed),
    ])
    func sameDecisionsInBothVersions(resource: String, prefix: String, decision: Decision) throws {
        let document = try PolicyDocument(parsing: Self.old, source: "old")
        let request = Request(
            action: "s3:ListBucket", resource: resource,
            context: RequestContext(["aws:username": ["alice"], "s3:prefix": [prefix]]))
        for version in [document, document.inCurrentVersion] {
            let evaluator = PolicyEvaluator(identityPolicies: [NamedPolicy(name: "p", document: version)])
            #expect(evaluator.evaluate(request).decision == decision, "\(version.version ?? "none")")
        }
    }
}
