import Foundation
import TestSupport

/// Builds CloudTrail records for tests.
struct Event {
    var name = "GetObject"
    var source = "s3.amazonaws.com"
    var time = "2026-11-01T10:00:00Z"
    var identity = #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"}"#
    var error: String?
    var parameters = "null"
    var resources = "null"
    var region = "us-east-1"
    var account = "111122223333"
    var eventType = "AwsApiCall"
    var category = "Management"

    var json: String {
        let error = self.error.map { #","errorCode":"\#($0)""# } ?? ""
        return
            #"{"eventVersion":"1.08","userIdentity":\#(identity),"eventTime":"\#(time)","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"\#(region)","requestParameters":\#(parameters),"resources":\#(resources),"eventType":"\#(eventType)","eventCategory":"\#(category)","recipientAccountId":"\#(account)"\#(error)}"#
    }

    static func role(_ path: String, account: String = "111122223333") -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return
            #"{"type":"AssumedRole","arn":"arn:aws:sts::\#(account):assumed-role/\#(name)/s","accountId":"\#(account)","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::\#(account):role/\#(path)","accountId":"\#(account)"}}}"#
    }
}

/// Writes `{"Records":[…]}` files into `dir` (one per element of `files`), returns the folder path.
func writeLogs(_ files: [String: [Event]], in dir: TemporaryDirectory, folder: String = "logs") throws -> String {
    let root = dir.file(folder)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for (name, events) in files {
        let text = #"{"Records":["# + events.map(\.json).joined(separator: ",") + "]}"
        try Data(text.utf8).write(to: root.appendingPathComponent(name))
    }
    return root.path
}
