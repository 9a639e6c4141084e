import IAMCatalog
import IAMPolicy
import Testing

@Suite struct ExpansionTests {
    @Test func literalAndWildcardPatterns() throws {
        let catalog = try #require(bundledCatalog)
        #expect(catalog.names(of: catalog.expand("kms:ReEncrypt*")) == ["kms:ReEncryptFrom", "kms:ReEncryptTo"])
        #expect(catalog.names(of: catalog.expand("KMS:reencrypt?o")) == ["kms:ReEncryptTo"])
        #expect(catalog.names(of: catalog.expand("s3:getobject")) == ["s3:GetObject"])
        #expect(catalog.expand("*") == catalog.allActions)
        #expect(catalog.expand("*:*") == catalog.allActions)
        #expect(catalog.expand("s3:Nope*").isEmpty)
        #expect(catalog.expand("nope:*").isEmpty)
        #expect(catalog.expand("s3").isEmpty)
        #expect(catalog.expand("s3:*") == catalog.actions(prefix: "s3"))
    }

    /// The fast expansion agrees with a naive scan of every name with the reference matcher.
    @Test(arguments: ["s3:Get*", "iam:*Policy*", "*:List*", "ec2:Describe?pc*", "s3*:Put*", "*Vectors*", "?3:*Tag*"])
    func agreesWithANaiveScan(_ pattern: String) throws {
        let catalog = try #require(bundledCatalog)
        let matcher = WildcardPattern(pattern, caseInsensitive: true)
        let naive = catalog.allActions.filter { matcher.matches(catalog.name(of: $0)) }
        #expect(Array(catalog.expand(pattern)) == naive)
        #expect(!naive.isEmpty)
    }

    /// `Action` and `NotAction` with the same patterns partition the catalog.
    @Test(arguments: [["s3:Get*"], ["iam:*", "sts:AssumeRole"], ["*"], ["nope:*"]])
    func notActionIsTheComplement(_ patterns: [String]) throws {
        let catalog = try #require(bundledCatalog)
        let action = catalog.expand(patterns)
        let notAction = catalog.expand(notAction: patterns)
        #expect(action.isDisjoint(with: notAction))
        #expect(action.union(notAction) == catalog.allActions)
        #expect(action.count + notAction.count == catalog.count)
    }

    @Test func unknownActionsWithDidYouMean() throws {
        let catalog = try #require(bundledCatalog)
        let found = catalog.unknownActions(in: [
            "s3:GetObject", "*", "s3:GetObjcet", "s4:GetObject", "lambda:Invoke", "s3:ListObjectsV2", "iam:Fly*",
            "nope*:*", "GetObject", "ec2:describeinstances", "kms:ReEncrypt",
        ])
        #expect(
            found.map(\.description) == [
                "unknown action `s3:GetObjcet`; did you mean `s3:GetObject`?",
                "unknown service prefix `s4` in `s4:GetObject`; did you mean `s3:GetObject`?",
                "unknown action `lambda:Invoke`; did you mean `lambda:InvokeFunction`?",
                "unknown action `s3:ListObjectsV2`; did you mean `s3:ListBucket`?",
                "unknown action `iam:Fly*`",
                "unknown service prefix `nope*` in `nope*:*`",
                "`GetObject` is not an action (expected `prefix:action`)",
                "unknown action `kms:ReEncrypt`; did you mean `kms:ReEncryptFrom` and `kms:ReEncryptTo`?",
            ])
        #expect(
            found.map(\.kind) == [
                .unknownAction, .unknownPrefix, .unknownAction, .unknownAction, .unknownAction, .unknownPrefix,
                .malformed, .unknownAction,
            ])
    }
}
