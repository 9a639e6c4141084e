import CloudTrail
import Foundation
import TestSupport
import Timestamps

/// What a test compares of one record.
struct Seen: Hashable, CustomStringConvertible {
    var time: String
    var source: String
    var name: String
    var identity: String
    var error: String

    var description: String { "\(time) \(source) \(name) \(identity) \(error)" }
}

/// Reads `path` with a fresh reader and returns the records and the summary.
func readAll(_ path: String, limits: ReaderLimits = ReaderLimits(), name: String = "f") -> ([Seen], FileReadSummary) {
    let reader = LogReader(limits: limits)
    var seen: [Seen] = []
    let summary = reader.read(path: path, name: name) { r in
        seen.append(
            Seen(
                time: r.time.map(Timestamp.format) ?? "-", source: r.eventSource?.string ?? "-",
                name: r.eventName?.string ?? "-", identity: r.identityArn?.string ?? "-",
                error: r.errorCode?.string ?? "-"))
    }
    return (seen, summary)
}

/// Writes `text` to `name` in `dir`, gzip-compressed when `gzip` is set; returns the path.
@discardableResult
func write(_ bytes: [UInt8], _ name: String, in dir: TemporaryDirectory, gzip: Bool = false) throws -> String {
    let url = dir.file(name)
    try Data(bytes).write(to: url)
    if gzip {
        try run("/bin/gzip", ["-n", "-f", url.path])
        try FileManager.default.moveItem(atPath: url.path + ".gz", toPath: url.path)
    }
    return url.path
}

/// Makes a FIFO at `path` and writes `bytes` into it from another thread, once a reader opens it.
func feedPipe(at path: String, _ bytes: Data) throws {
    guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
    Thread {
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        try? handle.write(contentsOf: bytes)
        try? handle.close()
    }.start()
}

func run(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
}

/// A CloudTrail record with the given fields, as one line of JSON.
func event(_ name: String, time: String = "2026-11-01T10:00:00Z", extra: String = "") -> String {
    #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},"eventTime":"\#(time)","eventSource":"s3.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1"\#(extra)}"#
}

func seen(_ name: String, time: String = "2026-11-01T10:00:00Z") -> Seen {
    Seen(
        time: time, source: "s3.amazonaws.com", name: name, identity: "arn:aws:iam::111122223333:user/alice", error: "-"
    )
}

/// The reference reader: Foundation's JSON parser over the decompressed bytes, for differential tests.
func referenceRecords(_ path: String) throws -> [Seen] {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    if data.starts(with: [0x1F, 0x8B]) { data = try gunzip(URL(fileURLWithPath: path)) }
    var objects: [[String: Any]] = []
    if let top = try? JSONSerialization.jsonObject(with: data) {
        if let array = top as? [[String: Any]] {
            objects = array
        } else if let dict = top as? [String: Any], let records = dict["Records"] as? [[String: Any]] {
            objects = records
        }
    } else {
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] {
                objects.append(object)
            }
        }
    }
    return objects.map { o in
        let identity = o["userIdentity"] as? [String: Any]
        let time = (o["eventTime"] as? String) ?? (o["@timestamp"] as? String)
        return Seen(
            time: time.flatMap(Timestamp.parse).map(Timestamp.format) ?? "-",
            source: o["eventSource"] as? String ?? "-", name: o["eventName"] as? String ?? "-",
            identity: identity?["arn"] as? String ?? "-", error: o["errorCode"] as? String ?? "-")
    }
}
