import IAMCatalog
import Ingest

/// A test double for the catalog: `<host prefix>:<eventName>` for a few services, the no-permission
/// events, the `ec2:RunInstances` + `iam:PassRole` extra, and unresolved otherwise.
struct TableResolver: EventResolving {
    static let prefixes: [String: String] = [
        "s3.amazonaws.com": "s3", "ec2.amazonaws.com": "ec2", "iam.amazonaws.com": "iam", "kms.amazonaws.com": "kms",
        "ssm.amazonaws.com": "ssm", "secretsmanager.amazonaws.com": "secretsmanager", "sts.amazonaws.com": "sts",
        "lambda.amazonaws.com": "lambda", "cloudtrail.amazonaws.com": "cloudtrail", "rds.amazonaws.com": "rds",
        "monitoring.amazonaws.com": "cloudwatch", "dynamodb.amazonaws.com": "dynamodb",
    ]

    func resolve(eventSource: String, eventName: String) -> EventResolution {
        if eventName == "ConsoleLogin" || eventName == "GetCallerIdentity" {
            return EventResolution(status: .noPermission, reason: "no permission needed")
        }
        if eventSource == "ec2.amazonaws.com", eventName == "RunInstances" {
            return EventResolution(
                status: .resolved, actions: ["ec2:RunInstances"],
                conditional: [.init(parameter: "iamInstanceProfile", actions: ["iam:PassRole"])])
        }
        if eventSource == "s3.amazonaws.com", eventName == "ListObjects" {
            return EventResolution(status: .resolved, actions: ["s3:ListBucket"])
        }
        guard let prefix = Self.prefixes[eventSource] else {
            return EventResolution(status: .unresolved, reason: "unknown event source")
        }
        return EventResolution(status: .resolved, actions: ["\(prefix):\(eventName)"])
    }
}
