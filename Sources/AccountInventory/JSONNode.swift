import Foundation
import IAMPolicy
import Timestamps

/// A JSON value of an input file (parsed with IAMPolicy's position-keeping parser) with the path that
/// led to it, so that every error names where it is:
/// ``3:17: RoleDetailList[2].RoleName: expected a string``.
struct JSONNode {
    let value: JSONValue
    let path: String
    /// The whole file, for line:column positions.
    let bytes: [UInt8]

    static func parse(_ data: Data) throws(InventoryError) -> JSONNode {
        let bytes = [UInt8](data)
        do {
            return JSONNode(value: try JSONValue.parse(bytes), path: "", bytes: bytes)
        } catch {
            let position = SourcePosition(offset: error.offset, in: bytes)
            throw InventoryError("\(position): not valid JSON: \(error.reason)")
        }
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func failure(_ reason: String) -> InventoryError {
        let position = SourcePosition(offset: value.offset, in: bytes)
        return InventoryError(path.isEmpty ? "\(position): \(reason)" : "\(position): \(path): \(reason)")
    }

    /// The member `key`, or `nil` when it is absent or `null`.
    func optional(_ key: String) throws(InventoryError) -> JSONNode? {
        guard case .object(let members) = value.kind else {
            throw failure("expected an object, found \(value.typeName)")
        }
        guard let member = members.first(where: { $0.key == key }), member.value.kind != .null else { return nil }
        return JSONNode(value: member.value, path: child(key), bytes: bytes)
    }

    func required(_ key: String) throws(InventoryError) -> JSONNode {
        guard let member = try optional(key) else { throw failure("missing `\(key)`") }
        return member
    }

    /// The keys of an object.
    func keys() throws(InventoryError) -> [String] {
        guard case .object(let members) = value.kind else {
            throw failure("expected an object, found \(value.typeName)")
        }
        return members.map(\.key)
    }

    func string() throws(InventoryError) -> String {
        guard case .string(let string) = value.kind else {
            throw failure("expected a string, found \(value.typeName)")
        }
        return string
    }

    func bool() throws(InventoryError) -> Bool {
        guard case .bool(let bool) = value.kind else {
            throw failure("expected true or false, found \(value.typeName)")
        }
        return bool
    }

    func array() throws(InventoryError) -> [JSONNode] {
        guard case .array(let elements) = value.kind else {
            throw failure("expected an array, found \(value.typeName)")
        }
        return elements.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", bytes: bytes) }
    }

    /// A time (`2019-12-18T19:10:08Z`, `2019-12-18 19:10:08+00:00`).
    func time() throws(InventoryError) -> Int64 {
        let text = try string()
        guard let seconds = Timestamp.parse(text) else {
            throw failure("expected an ISO 8601 time, found `\(text)`")
        }
        return seconds
    }

    func optionalString(_ key: String) throws(InventoryError) -> String? { try optional(key)?.string() }
    func requiredString(_ key: String) throws(InventoryError) -> String { try required(key).string() }
    func optionalTime(_ key: String) throws(InventoryError) -> Int64? { try optional(key)?.time() }
    /// The array member `key`; absent means empty.
    func list(_ key: String) throws(InventoryError) -> [JSONNode] { try optional(key)?.array() ?? [] }

    /// A policy document: a JSON object (AWS CLI output) or a string, the raw API's URL-encoded JSON (or,
    /// from some tools, plain JSON text). A value of another type is an error; a document that does not
    /// parse as a policy is kept as text, with the parse error, so the caller can report it and go on.
    func policyDocument(file: String, label: String) throws(InventoryError) -> PolicyText {
        switch value.kind {
        case .object:
            let parsed = Result { () throws(PolicyParseError) in
                try PolicyDocument(json: value, path: path, source: file, sourceBytes: bytes)
            }
            return PolicyText(source: label, text: value.text(.compact), parsed: parsed)
        case .string(let string):
            let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
            var text = trimmed
            if !trimmed.hasPrefix("{") {
                guard let decoded = trimmed.removingPercentEncoding else {
                    // Like a document that does not parse: left out with a diagnostic, not a failed file.
                    let error = PolicyParseError(
                        source: file, position: SourcePosition(offset: value.offset, in: bytes), path: path,
                        reason: "not a URL-encoded policy document (bad `%` escape)")
                    return PolicyText(source: label, text: trimmed, document: nil, parseError: error)
                }
                text = decoded
            }
            let parsed = Result { () throws(PolicyParseError) in
                try PolicyDocument(parsing: text, source: "\(file): \(path) (decoded)")
            }
            return PolicyText(source: label, text: text, parsed: parsed)
        default:
            throw failure("expected a policy document (an object or a string), found \(value.typeName)")
        }
    }
}
