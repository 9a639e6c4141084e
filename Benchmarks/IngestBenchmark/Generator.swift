import CZlib
import Foundation
import Timestamps

/// SplitMix64: a seeded generator, so that a run is reproducible.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Picks index `i` of `n` with probability ∝ 1/(i+1)^s (Zipf), by inverse CDF over a table.
struct Zipf {
    let cdf: [Double]
    init(_ n: Int, exponent s: Double = 1.1) {
        var acc = 0.0
        var cdf: [Double] = []
        for i in 0..<n {
            acc += 1 / pow(Double(i + 1), s)
            cdf.append(acc)
        }
        self.cdf = cdf.map { $0 / acc }
    }
    func sample(_ rng: inout SeededRandom) -> Int {
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        var lo = 0
        var hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Writes realistic CloudTrail: hundreds of principals (users, roles with paths, Identity Center
/// roles, AWS services), dozens of services with Zipf-distributed event names, error codes (denied and
/// others), S3 and Lambda data events, in the S3 delivery layout, gzip-compressed.
enum Generator {
    static let services: [(String, [String])] = [
        (
            "s3.amazonaws.com",
            [
                "GetObject", "PutObject", "HeadObject", "ListObjects", "ListObjectsV2", "GetBucketAcl", "ListBuckets",
                "DeleteObject", "GetBucketLocation", "GetBucketPolicy",
            ]
        ),
        (
            "ec2.amazonaws.com",
            [
                "DescribeInstances", "DescribeVolumes", "DescribeSecurityGroups", "RunInstances", "TerminateInstances",
                "DescribeSubnets", "DescribeVpcs", "CreateTags", "DescribeImages", "DescribeNetworkInterfaces",
            ]
        ),
        (
            "iam.amazonaws.com",
            [
                "GetRole", "ListRoles", "GetUser", "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion",
                "PassRole", "ListUsers",
            ]
        ),
        ("sts.amazonaws.com", ["AssumeRole", "GetCallerIdentity", "GetSessionToken"]),
        ("kms.amazonaws.com", ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey", "ReEncrypt"]),
        (
            "lambda.amazonaws.com",
            ["Invoke", "GetFunction20150331v2", "ListFunctions20150331", "UpdateFunctionCode20150331v2"]
        ),
        ("dynamodb.amazonaws.com", ["GetItem", "PutItem", "Query", "DescribeTable", "UpdateItem"]),
        ("sqs.amazonaws.com", ["SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes"]),
        ("sns.amazonaws.com", ["Publish", "ListTopics", "GetTopicAttributes"]),
        ("secretsmanager.amazonaws.com", ["GetSecretValue", "DescribeSecret", "ListSecrets"]),
        ("ssm.amazonaws.com", ["GetParameter", "GetParameters", "DescribeInstanceInformation", "SendCommand"]),
        ("logs.amazonaws.com", ["PutLogEvents", "CreateLogStream", "DescribeLogGroups", "FilterLogEvents"]),
        ("monitoring.amazonaws.com", ["PutMetricData", "GetMetricData", "DescribeAlarms"]),
        ("cloudformation.amazonaws.com", ["DescribeStacks", "ListStacks", "DescribeStackEvents"]),
        ("ecr.amazonaws.com", ["GetAuthorizationToken", "BatchGetImage", "GetDownloadUrlForLayer"]),
        ("ecs.amazonaws.com", ["DescribeServices", "ListTasks", "DescribeTasks"]),
        ("rds.amazonaws.com", ["DescribeDBInstances", "DescribeDBClusters"]),
        ("elasticloadbalancing.amazonaws.com", ["DescribeLoadBalancers", "DescribeTargetHealth"]),
        ("autoscaling.amazonaws.com", ["DescribeAutoScalingGroups"]),
        ("cloudtrail.amazonaws.com", ["LookupEvents", "DescribeTrails"]),
        ("signin.amazonaws.com", ["ConsoleLogin"]),
        ("route53.amazonaws.com", ["ListHostedZones", "ChangeResourceRecordSets"]),
        ("kinesis.amazonaws.com", ["PutRecord", "PutRecords", "GetRecords"]),
        ("events.amazonaws.com", ["PutEvents", "DescribeRule"]),
        ("glue.amazonaws.com", ["GetTable", "GetDatabase", "GetPartitions"]),
        ("athena.amazonaws.com", ["StartQueryExecution", "GetQueryExecution"]),
        ("config.amazonaws.com", ["PutEvaluations", "DescribeConfigRules"]),
        ("guardduty.amazonaws.com", ["ListDetectors", "GetFindings"]),
        ("organizations.amazonaws.com", ["DescribeOrganization", "ListAccounts"]),
        ("health.amazonaws.com", ["DescribeEventAggregates"]),
    ]

    static let accounts = ["111122223333", "444455556666"]
    static let regions = ["us-east-1", "eu-west-1"]

    struct Principal {
        var identity: String
    }

    static func principals(_ rng: inout SeededRandom) -> [Principal] {
        var result: [Principal] = []
        for i in 0..<320 {
            let account = accounts[i % accounts.count]
            switch i % 8 {
            case 0, 1:
                let name = "user-\(i)"
                result.append(
                    Principal(
                        identity:
                            #"{"type":"IAMUser","principalId":"AIDA\#(i)EXAMPLE","arn":"arn:aws:iam::\#(account):user/\#(name)","accountId":"\#(account)","accessKeyId":"AKIA\#(i)EXAMPLEKEY","userName":"\#(name)"}"#
                    ))
            case 2:
                let role = "AWSReservedSSO_PermissionSet\(i % 12)_0123456789abcdef"
                result.append(
                    Principal(
                        identity: assumed(account, "aws-reserved/sso.amazonaws.com/", role, "person\(i)@example.com")))
            default:
                let path = ["service-role/", "", "app/team\(i % 7)/", ""][i % 4]
                result.append(Principal(identity: assumed(account, path, "role-\(i)", "session-\(i)")))
            }
        }
        return result
    }

    static func assumed(_ account: String, _ path: String, _ role: String, _ session: String) -> String {
        #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:\#(session)","arn":"arn:aws:sts::\#(account):assumed-role/\#(role)/\#(session)","accountId":"\#(account)","accessKeyId":"ASIAEXAMPLEKEY","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::\#(account):role/\#(path)\#(role)","accountId":"\#(account)","userName":"\#(role)"},"webIdFederationData":{},"attributes":{"creationDate":"2026-11-01T00:00:00Z","mfaAuthenticated":"false"}}}"#
    }

    /// Writes about `events` events in files of about `perFile` events; returns (files, events, bytes).
    static func write(events total: Int, perFile: Int = 1_000, seed: UInt64, to root: URL) throws -> (Int, Int, Int) {
        var rng = SeededRandom(state: seed)
        let principals = principals(&rng)
        let pairs = services.flatMap { s in s.1.map { (s.0, $0) } }
        let pairZipf = Zipf(pairs.count, exponent: 1.05)
        let principalZipf = Zipf(principals.count, exponent: 0.9)
        let start = Timestamp.parse("2026-11-01T00:00:00Z") ?? 0
        let files = max(1, total / perFile)
        let span: Int64 = 7 * Timestamp.secondsPerDay
        var written = 0
        var bytes = 0
        for f in 0..<files {
            let account = accounts[f % accounts.count]
            let region = regions[(f / accounts.count) % regions.count]
            let fileStart = start + span * Int64(f) / Int64(files)
            let delivered = fileStart + 600
            let (y, m, d) = Timestamp.civil(fromDays: Timestamp.day(of: delivered))
            let stamp = Timestamp.format(delivered).replacingOccurrences(of: "-", with: "").replacingOccurrences(
                of: ":", with: "")
            let name =
                "\(account)_CloudTrail_\(region)_\(stamp.prefix(13))Z_\(String(rng.next(), radix: 36).prefix(16)).json.gz"
            let folder = root.appendingPathComponent(
                "AWSLogs/\(account)/CloudTrail/\(region)/\(y)/\(String(format: "%02d", m))/\(String(format: "%02d", d))"
            )
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let count = f == files - 1 ? total - written : perFile
            var text = #"{"Records":["#
            for e in 0..<count {
                if e > 0 { text += "," }
                let time = fileStart + Int64(e) * 600 / Int64(max(1, count))
                text += event(
                    &rng, pairs[pairZipf.sample(&rng)], principals[principalZipf.sample(&rng)], account, region, time)
            }
            text += "]}"
            written += count
            bytes += text.utf8.count
            try gzip(Array(text.utf8)).write(to: folder.appendingPathComponent(name))
        }
        return (files, written, bytes)
    }

    static func uuid(_ rng: inout SeededRandom) -> String {
        let a = rng.next()
        let b = rng.next()
        let h = String(a, radix: 16) + String(b, radix: 16) + "00000000000000000000000000000000"
        let c = Array(h.prefix(32))
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }

    static func event(
        _ rng: inout SeededRandom, _ pair: (String, String), _ principal: Principal, _ account: String,
        _ region: String, _ time: Int64
    ) -> String {
        var (source, name) = pair
        var identity = principal.identity
        var eventType = "AwsApiCall"
        let roll = rng.next() % 1000
        if roll < 30 {
            identity =
                #"{"type":"AWSService","invokedBy":"\#(["ec2", "lambda", "config"][Int(roll % 3)]).amazonaws.com"}"#
        } else if roll < 40 {
            eventType = "AwsServiceEvent"
            identity = "null"
        }
        var error = ""
        let e = rng.next() % 1000
        if e < 25 {
            error =
                #","errorCode":"\#(["AccessDenied", "Client.UnauthorizedOperation", "AccessDeniedException"][Int(e % 3)])","errorMessage":"User is not authorized to perform this operation""#
        } else if e < 50 {
            error =
                #","errorCode":"\#(["NoSuchKey", "ThrottlingException", "ValidationException", "ResourceNotFoundException"][Int(e % 4)])","errorMessage":"The request failed""#
        }
        var parameters = "null"
        var resources = ""
        var category = "Management"
        var management = "true"
        switch source {
        case "s3.amazonaws.com":
            let bucket = "bucket-\(rng.next() % 40)"
            if name == "GetObject" || name == "PutObject" || name == "HeadObject" || name == "DeleteObject" {
                category = "Data"
                management = "false"
                let key = "data/\(rng.next() % 5000)/part-\(rng.next() % 100).parquet"
                parameters =
                    #"{"bucketName":"\#(bucket)","Host":"\#(bucket).s3.\#(region).amazonaws.com","key":"\#(key)"}"#
                resources =
                    #","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::\#(bucket)/\#(key)"},{"accountId":"\#(account)","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::\#(bucket)"}]"#
            } else if name != "ListBuckets" {
                parameters =
                    #"{"bucketName":"\#(bucket)","Host":"\#(bucket).s3.\#(region).amazonaws.com","list-type":"2","prefix":"data/"}"#
            }
        case "lambda.amazonaws.com":
            let function = "fn-\(rng.next() % 30)"
            if name == "Invoke" {
                category = "Data"
                management = "false"
            }
            parameters = #"{"functionName":"arn:aws:lambda:\#(region):\#(account):function:\#(function)"}"#
        case "ec2.amazonaws.com":
            if name == "RunInstances" {
                parameters =
                    #"{"instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":1,"maxCount":1}]},"instanceType":"t3.micro","iamInstanceProfile":{"arn":"arn:aws:iam::\#(account):instance-profile/app"}}"#
            } else {
                parameters =
                    #"{"filterSet":{"items":[{"name":"tag:team","valueSet":{"items":[{"value":"x"}]}}]},"maxResults":1000}"#
            }
        case "iam.amazonaws.com":
            parameters = #"{"roleName":"role-\#(rng.next() % 200)"}"#
        case "dynamodb.amazonaws.com":
            parameters = #"{"tableName":"table-\#(rng.next() % 20)","key":{"pk":{"S":"abc"}}}"#
        case "kms.amazonaws.com":
            parameters =
                #"{"keyId":"arn:aws:kms:\#(region):\#(account):key/\#(uuid(&rng))","encryptionAlgorithm":"SYMMETRIC_DEFAULT"}"#
            resources =
                #","resources":[{"accountId":"\#(account)","type":"AWS::KMS::Key","ARN":"arn:aws:kms:\#(region):\#(account):key/1234abcd-12ab-34cd-56ef-1234567890ab"}]"#
        default:
            if rng.next() % 2 == 0 { parameters = #"{"maxResults":50,"nextToken":"\#(uuid(&rng))"}"# }
        }
        if name == "ConsoleLogin" { source = "signin.amazonaws.com" }
        let agent = [
            "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/s3.cp",
            "Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.2",
            "aws-sdk-java/2.21.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.9+9-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard",
            "console.amazonaws.com",
        ][Int(rng.next() % 4)]
        return
            #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(Timestamp.format(time))","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"\#(region)","sourceIPAddress":"203.0.113.\#(rng.next() % 250)","userAgent":"\#(agent)"\#(error),"requestParameters":\#(parameters),"responseElements":null,"requestID":"\#(uuid(&rng))","eventID":"\#(uuid(&rng))","readOnly":\#(name.hasPrefix("Get") || name.hasPrefix("Describe") || name.hasPrefix("List"))\#(resources),"eventType":"\#(eventType)","managementEvent":\#(management),"recipientAccountId":"\#(account)","eventCategory":"\#(category)","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"\#(source.replacingOccurrences(of: ".amazonaws.com", with: "")).\#(region).amazonaws.com"}}"#
    }

    static func gzip(_ input: [UInt8]) throws -> Data {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        defer { stream.deallocate() }
        stream.initialize(to: z_stream())
        guard
            deflateInit2_(
                stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)
            ) == Z_OK
        else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 64)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = UInt32(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = UInt32(outBuf.count)
                _ = deflate(stream, Z_FINISH)
                return outBuf.count - Int(stream.pointee.avail_out)
            }
        }
        return Data(output.prefix(produced))
    }
}
