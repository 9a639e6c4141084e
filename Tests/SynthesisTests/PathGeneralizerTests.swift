import Testing

@testable import Synthesis

@Suite struct PathGeneralizerTests {
    @Test func fewCompleteARNsStayAsObserved() {
        #expect(
            PathGeneralizer.generalize(
                ["arn:aws:s3:::b/k2", "arn:aws:s3:::b/k1", "arn:aws:s3:::b/k1"], limit: 2, complete: true)
                == ["arn:aws:s3:::b/k1", "arn:aws:s3:::b/k2"])
    }

    @Test func theFolderWithTheMostEntriesFoldsFirst() {
        let arns = [
            "arn:aws:s3:::b/logs/1", "arn:aws:s3:::b/logs/2", "arn:aws:s3:::b/logs/3", "arn:aws:s3:::b/img/a",
            "arn:aws:s3:::b/img/b", "arn:aws:s3:::b/top",
        ]
        #expect(
            PathGeneralizer.generalize(arns, limit: 4, complete: true) == [
                "arn:aws:s3:::b/img/a", "arn:aws:s3:::b/img/b", "arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/top",
            ])
        #expect(
            PathGeneralizer.generalize(arns, limit: 3, complete: true) == [
                "arn:aws:s3:::b/img/*", "arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/top",
            ])
        #expect(PathGeneralizer.generalize(arns, limit: 1, complete: true) == ["arn:aws:s3:::b/*"])
    }

    @Test func patternsNeverCrossTheHead() {
        // Two buckets cannot become one pattern: past the limit there is no answer (the caller uses the
        // catalog's template).
        #expect(
            PathGeneralizer.generalize(["arn:aws:s3:::a/k", "arn:aws:s3:::b/k"], limit: 1, complete: true) == nil)
        #expect(
            PathGeneralizer.generalize(
                ["arn:aws:ssm:us-east-1:1:parameter/app/x", "arn:aws:ssm:us-east-1:1:parameter/app/y"], limit: 1,
                complete: true) == ["arn:aws:ssm:us-east-1:1:parameter/app/*"])
    }

    @Test func arnsWithoutAPathCannotBeGeneralized() {
        #expect(PathGeneralizer.generalize(["arn:aws:s3:::a", "arn:aws:s3:::b"], limit: 1, complete: true) == nil)
        #expect(PathGeneralizer.generalize(["arn:aws:s3:::a"], limit: 10, complete: false) == nil)
    }

    @Test func anIncompleteSampleIsCutAtTheHead() {
        #expect(
            PathGeneralizer.generalize(["arn:aws:s3:::b/x/1", "arn:aws:s3:::c/y"], limit: 10, complete: false) == [
                "arn:aws:s3:::b/*", "arn:aws:s3:::c/*",
            ])
    }

    /// A store's folded prefixes are folders already: they fold further with the ARNs around them, and a
    /// prefix above a head (a folded `arn:aws:s3:::`) cannot be named at a path boundary.
    @Test func foldedPrefixesAreFolders() {
        let arns = ["arn:aws:s3:::b/logs/1", "arn:aws:s3:::b/logs/2"]
        let folded = ["arn:aws:s3:::b/logs/old/", "arn:aws:s3:::b/img/"]
        #expect(
            PathGeneralizer.generalize(arns, folded: folded, limit: 4, complete: true) == [
                "arn:aws:s3:::b/img/*", "arn:aws:s3:::b/logs/1", "arn:aws:s3:::b/logs/2", "arn:aws:s3:::b/logs/old/*",
            ])
        #expect(
            PathGeneralizer.generalize(arns, folded: folded, limit: 2, complete: true) == [
                "arn:aws:s3:::b/img/*", "arn:aws:s3:::b/logs/*",
            ])
        #expect(
            PathGeneralizer.generalize([], folded: ["arn:aws:s3:::b/"], limit: 1, complete: true) == [
                "arn:aws:s3:::b/*"
            ])
        #expect(PathGeneralizer.generalize(arns, folded: ["arn:aws:s3:::"], limit: 10, complete: true) == nil)
    }

    @Test func headAndPath() {
        #expect(
            PathGeneralizer.headAndPath("arn:aws:iam::1:role/ops/r").map { "\($0.0)|\($0.1)" }
                == "arn:aws:iam::1:role/|ops/r")
        #expect(PathGeneralizer.headAndPath("arn:aws:logs:us-east-1:1:log-group:app:*") == nil)
    }
}
