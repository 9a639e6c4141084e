import Testing

@testable import UsageStore

@Suite struct LedgerBatchTests {
    /// The account of a principal is the fifth `:`-separated field of its ARN, read on the bytes: the same
    /// as splitting the string, including ARNs with fewer fields, empty fields and non-ASCII text.
    @Test(arguments: [
        ("arn:aws:iam::111122223333:user/alice", "111122223333"),
        ("arn:aws:sts::444455556666:assumed-role/app/i-0abc", "444455556666"),
        ("arn:aws:iam::123456789012", "123456789012"),
        ("arn:aws:s3:::bucket/key", ""),
        ("arn:aws:iam::", ""),
        ("arn:aws:iam:", ""),
        ("111122223333", ""),
        ("", ""),
        ("arn:aws:iam::é1:user/ü", "é1"),
    ])
    func accountOfAnARN(arn: String, account: String) {
        #expect(LedgerBatch.account(of: arn) == account)
        let split = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first
        #expect(split.map(String.init) ?? "" == account)
    }
}
