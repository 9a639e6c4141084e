import Foundation

extension EventResolution {
    /// The actions for an event whose `requestParameters` are the JSON object `json` (a `when`
    /// parameter counts when its dot-separated path is present and not `null`, `""`, `{}` or `[]`).
    /// Throws a `CatalogError` when `json` is not a JSON object. For the CLI and tests; ingestion, which
    /// has its own byte-level record scanner, calls `actions(hasParameter:)`.
    public func actions(requestParametersJSON json: String) throws -> [String] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw CatalogError("not valid JSON")
        }
        guard let parameters = object as? [String: Any] else { throw CatalogError("expected a JSON object") }
        return actions(hasParameter: { Self.isPresent($0, in: parameters) })
    }

    /// Whether the dot-separated `path` (`overrides.taskRoleArn`) is present in `parameters` with a
    /// value that passes something: not `null`, `""`, `{}` or `[]` (`"iamInstanceProfile": {}` passes no
    /// role), as ingestion's `EventRecord.hasParameter` reads it.
    static func isPresent(_ path: String, in parameters: [String: Any]) -> Bool {
        var current: Any = parameters
        for component in path.split(separator: ".") {
            guard let object = current as? [String: Any], let next = object[String(component)] else { return false }
            current = next
        }
        switch current {
        case is NSNull: return false
        case let text as String: return !text.isEmpty
        case let object as [String: Any]: return !object.isEmpty
        case let array as [Any]: return !array.isEmpty
        default: return true
        }
    }
}
