import Testing

@testable import IAMCatalog

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

    /// The fast expansion agrees with a naive scan of every name with an independent matcher.
    @Test(arguments: ["s3:Get*", "iam:*Policy*", "*:List*", "ec2:Describe?pc*", "s3*:Put*", "*Vectors*", "?3:*Tag*"])
    func agreesWithANaiveScan(_ pattern: String) throws {
        let catalog = try #require(bundledCatalog)
        let naive = catalog.allActions.filter {
            naiveMatch(Array(pattern.lowercased()), Array(catalog.name(of: $0).lowercased()))
        }
        #expect(Array(catalog.expand(pattern)) == naive)
        #expect(!naive.isEmpty)
    }

    /// The naive matcher itself: `*` any run (also empty), `?` one character.
    @Test func naiveMatcherFollowsIAMWildcards() {
        #expect(naiveMatch(Array("s3:get*"), Array("s3:getobject")))
        #expect(naiveMatch(Array("s3:*"), Array("s3:")))
        #expect(naiveMatch(Array("?3:*tag*"), Array("s3:puttagging")))
        #expect(!naiveMatch(Array("?3:*tag*"), Array("s33:puttagging")))
        #expect(!naiveMatch(Array("s3:get*"), Array("s3:putobject")))
        #expect(!naiveMatch(Array("s3:get"), Array("s3:getobject")))
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

    /// A regression: an empty prefix or action part was reported as an unknown prefix with a
    /// suggestion (`:` → "did you mean `q:`?"); a bare prefix was suggested as `s3:*`.
    @Test func emptyPartsAreMalformedAndPrefixesSuggestPrefixes() throws {
        let catalog = try #require(bundledCatalog)
        #expect(
            catalog.unknownActions(in: [":", "s3:", ":GetObject", ":*"]).map(\.description) == [
                "`:` is not an action (expected `prefix:action`)",
                "`s3:` is not an action (expected `prefix:action`)",
                "`:GetObject` is not an action (expected `prefix:action`)",
                "`:*` is not an action (expected `prefix:action`)",
            ])
        #expect(catalog.unknownPrefix("s4")?.description == "unknown service prefix `s4`; did you mean `s3`?")
        #expect(catalog.unknownPrefix("S3") == nil)
        #expect(catalog.unknownPrefix("zzzzzz")?.description == "unknown service prefix `zzzzzz`")
        #expect(closest("", in: ["q", "s3"]) == nil)
    }
}

/// Wildcard matching by plain recursion over characters, sharing nothing with `WildcardPattern`.
private func naiveMatch(_ pattern: [Character], _ name: [Character], _ p: Int = 0, _ n: Int = 0) -> Bool {
    guard p < pattern.count else { return n == name.count }
    if pattern[p] == "*" { return (n...name.count).contains { naiveMatch(pattern, name, p + 1, $0) } }
    guard n < name.count, pattern[p] == "?" || pattern[p] == name[n] else { return false }
    return naiveMatch(pattern, name, p + 1, n + 1)
}
