/// Why the catalog could not be found or loaded; `description` is a one-line message.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ message: String) { description = message }
}
