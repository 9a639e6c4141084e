/// An Amazon Resource Name: `arn:partition:service:region:account:resource`.
///
/// The resource part keeps everything after the fifth colon, colons included
/// (`arn:aws:logs:us-east-1:111122223333:log-group:app:*`).
public struct ARN: Sendable, Hashable, CustomStringConvertible {
    /// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, …
    public var partition: String
    /// The service namespace: `s3`, `iam`, `ec2`.
    public var service: String
    /// Empty for global resources (IAM, S3 buckets).
    public var region: String
    /// Empty where the resource has none (S3 buckets); `aws` for AWS managed policies.
    public var account: String
    /// `bucket/key`, `role/path/name`, `function:name:alias`.
    public var resource: String

    public init(partition: String, service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses `text`; `nil` unless it has the six parts, the `arn` prefix, a partition `aws` or `aws-…`, a
    /// non-empty service and a non-empty resource.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[2].isEmpty, !parts[5].isEmpty else { return nil }
        let partition = parts[1]
        guard partition == "aws" || (partition.hasPrefix("aws-") && partition.count > 4),
            partition.utf8.allSatisfy({ ($0 &- UInt8(ascii: "a")) < 26 || $0 == UInt8(ascii: "-") })
        else { return nil }
        self.init(
            partition: String(partition), service: String(parts[2]), region: String(parts[3]),
            account: String(parts[4]), resource: String(parts[5]))
    }

    /// The resource type: the part of ``resource`` before its first `/` or `:` (`role`, `function`), or
    /// `nil` when there is no separator (an S3 bucket name).
    public var resourceType: String? {
        guard let i = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return nil }
        return String(resource[..<i])
    }

    /// The ARN text.
    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}
