import IAMPolicy
import Reports
import Synthesis
import TestSupport
import Testing
import UsageStore

/// In the `--report` JSON, an action granted today under two condition blocks lists both with the resources
/// each grants (`grants`); `conditions` keeps the conditions they share (none here).
@Test func theReportListsEveryConditionBlockOfAnAction() throws {
    let catalog = try #require(TestCatalog.shared)
    let current = CurrentAccess(identityPolicies: [
        NamedPolicy(
            name: "current",
            document: try PolicyDocument(
                parsing:
                    #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#,
                source: "current"))
    ])
    let input = SynthesisInput(
        principal: "arn:aws:iam::111122223333:role/app", window: StoreWindow(start: 1_680_000_000, end: 1_688_990_400),
        used: [
            UsedAction(
                usage: ActionUsage(action: "s3:GetObject", count: 2, firstSeen: 1_688_900_000, lastSeen: 1_688_950_000),
                resources: ResourceSample(arns: ["arn:aws:s3:::a/1.csv", "arn:aws:s3:::b/2.csv"], complete: true))
        ],
        current: current)
    let result = try PolicySynthesis.synthesize(input, catalog: catalog)
    let report = try JSONValue.parse(Array(PolicyRenderer.report(result).utf8))
    guard case .array(let actions)? = report["actions"]?.kind else {
        Issue.record("no `actions` array")
        return
    }
    #expect(
        actions.map { $0.text(.compact) } == [
            #"{"action":"s3:GetObject","status":"included","count":2,"firstSeen":"2023-07-09T10:53:20Z","lastSeen":"2023-07-10T00:46:40Z","events":[],"eventsNotRecorded":0,"scope":"observed","resources":["arn:aws:s3:::a/1.csv","arn:aws:s3:::b/2.csv"],"observed":["arn:aws:s3:::a/1.csv","arn:aws:s3:::b/2.csv"],"observedFolded":[],"observedComplete":true,"conditions":{},"grants":[{"conditions":{"StringEquals":{"aws:SourceVpc":"vpc-1"}},"resources":["arn:aws:s3:::a/1.csv"]},{"conditions":{"Bool":{"aws:MultiFactorAuthPresent":"true"}},"resources":["arn:aws:s3:::b/2.csv"]}],"ungranted":[],"notes":["granted today under 2 different conditions: each is carried with the resources it grants"]}"#
        ])
}
