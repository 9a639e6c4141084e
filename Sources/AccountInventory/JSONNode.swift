import Foundation
import Timestamps

/// A JSON value decoded with `JSONSerialization`, with the path that led to it, so that every error
/// names where it is (``RoleDetailList[2].RoleName: expected a string``). Snapshots are small and read
/// once: this is not a hot path.
struct JSONNode {
    let value: Any
    let path: String

    static func parse(_ data: Data) throws(InventoryError) -> JSONNode {
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return JSONNode(value: value, path: "")
        } catch {
            throw InventoryError("not valid JSON")
        }
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func failure(_ reason: String) -> InventoryError {
        InventoryError(path.isEmpty ? reason : "\(path): \(reason)")
    }

    var isNull: Bool { value is NSNull }

    func object() throws(InventoryError) -> [String: Any] {
        guard let object = value as? [String: Any] else { throw failure("expected an object") }
        return object
    }

    /// The member `key`, or `nil` when it is absent or `null`.
    func optional(_ key: String) throws(InventoryError) -> JSONNode? {
        guard let member = try object()[key], !(member is NSNull) else { return nil }
        return JSONNode(value: member, path: child(key))
    }

    func required(_ key: String) throws(InventoryError) -> JSONNode {
        guard let member = try optional(key) else {
            throw failure("missing `\(key)`")
        }
        return member
    }

    func string() throws(InventoryError) -> String {
        guard let string = value as? String else { throw failure("expected a string") }
        return string
    }

    func bool() throws(InventoryError) -> Bool {
        guard let bool = value as? Bool else { throw failure("expected true or false") }
        return bool
    }

    func array() throws(InventoryError) -> [JSONNode] {
        guard let array = value as? [Any] else { throw failure("expected an array") }
        return array.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]") }
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

    /// A policy document: a JSON object (AWS CLI output) is re-serialized with sorted keys; a string
    /// is the raw API's URL-encoded JSON (or, from some tools, plain JSON text).
    func policyDocument() throws(InventoryError) -> String {
        if let string = value as? String {
            let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") { return trimmed }
            guard let decoded = trimmed.removingPercentEncoding else {
                throw failure("not a URL-encoded policy document")
            }
            return decoded
        }
        guard value is [String: Any] else { throw failure("expected a policy document (an object or a string)") }
        do {
            let data = try JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw failure("cannot serialize the policy document")
        }
    }
}
