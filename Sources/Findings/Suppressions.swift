import Foundation
import IAMPolicy
import Timestamps

/// Findings a team has accepted, read from a JSON file (`--suppress FILE`):
///
/// ```json
/// {"suppressions": [
///   {"id": "3f1c…", "reason": "break-glass user, reviewed 2026-10"},
///   {"findingType": "AccessKeyNotRotated", "resource": "arn:aws:iam::*:user/ci-*",
///    "reason": "CI keys rotate through Vault", "expires": "2027-01-01"}
/// ]}
/// ```
///
/// An entry matches a finding when every field it gives matches: `id` exactly, `findingType` exactly,
/// `resource` as a pattern (`*` and `?`, case-sensitive). `reason` is required. From `expires` on
/// (compared with `--as-of`) the entry no longer applies.
public struct Suppressions: Sendable {
    public struct Entry: Sendable, Hashable {
        public var id: String?
        public var findingType: FindingType?
        public var resource: WildcardPattern?
        public var reason: String
        public var expires: Int64?
        /// 0-based position in the file, for messages.
        public var index: Int
        /// The file, when entries of several files are merged (messages then name it).
        public var file: String?

        /// How messages name the entry: `suppressions[2]`, or ``\`b.json\`: suppressions[2]``.
        var label: String { (file.map { "`\($0)`: " } ?? "") + "suppressions[\(index)]" }

        public init(
            id: String? = nil, findingType: FindingType? = nil, resource: WildcardPattern? = nil, reason: String,
            expires: Int64? = nil, index: Int
        ) {
            self.id = id
            self.findingType = findingType
            self.resource = resource
            self.reason = reason
            self.expires = expires
            self.index = index
        }

        func matches(_ finding: Finding) -> Bool {
            (id.map { $0 == finding.id } ?? true)
                && (findingType.map { $0 == finding.findingType } ?? true)
                && (resource.map { $0.matches(finding.resource) } ?? true)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public static let none = Suppressions()

    /// Reads several suppression files into one set; with more than one, messages name the file.
    public init(contentsOf files: [String]) throws(FindingsError) {
        var entries: [Entry] = []
        for file in files {
            var read = try Suppressions(contentsOf: file).entries
            if files.count > 1 { for i in read.indices { read[i].file = file } }
            entries += read
        }
        self.entries = entries
    }

    /// Reads a suppression file; errors are one line naming the file and the entry.
    public init(contentsOf file: String) throws(FindingsError) {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw FindingsError("cannot read `\(file)`: no such file")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) else {
            throw FindingsError("cannot read `\(file)`: not valid JSON")
        }
        guard let list = (root as? [String: Any])?["suppressions"] as? [Any] else {
            throw FindingsError("cannot read `\(file)`: expected an object with a `suppressions` array")
        }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            let context = "cannot read `\(file)`: suppressions[\(index)]"
            guard let object = item as? [String: Any] else { throw FindingsError("\(context): expected an object") }
            let known: Set<String> = ["id", "findingType", "resource", "reason", "expires"]
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw FindingsError("\(context): unknown field `\(unknown)`")
            }
            func string(_ key: String) throws(FindingsError) -> String? {
                guard let value = object[key] else { return nil }
                guard let string = value as? String, !string.isEmpty else {
                    throw FindingsError("\(context).\(key): expected a non-empty string")
                }
                return string
            }
            guard let reason = try string("reason") else { throw FindingsError("\(context): missing `reason`") }
            let id = try string("id")
            let type = try string("findingType")
            let resource = try string("resource")
            guard id != nil || type != nil || resource != nil else {
                throw FindingsError("\(context): give at least one of `id`, `findingType`, `resource`")
            }
            var expires: Int64?
            if let text = try string("expires") {
                guard let time = Timestamp.parse(text) else {
                    throw FindingsError("\(context).expires: expected an ISO 8601 time, found `\(text)`")
                }
                expires = time
            }
            entries.append(
                Entry(
                    id: id, findingType: type.map { FindingType($0) },
                    resource: resource.map {
                        WildcardPattern($0, caseInsensitive: false)
                    }, reason: reason, expires: expires, index: index))
        }
        self.entries = entries
    }
}

/// An error that stops `findings` (an unreadable suppression file, a bad option).
public struct FindingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
