/// An input that stops the command: an unreadable or malformed snapshot, report or SCP file.
///
/// `description` is the one-line message, e.g.
/// ``cannot read `authz.json`: RoleDetailList[2]: missing `RoleName` ``.
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }

    static func cannotRead(_ file: String, _ reason: String) -> InventoryError {
        InventoryError("cannot read `\(file)`: \(reason)")
    }
}

/// A problem in an input that does not stop the run (a dangling policy reference, a duplicate
/// principal across snapshot files, a policy without a default version).
public struct InventoryDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in; `nil` when it spans files (a reference that no file resolves).
    public var file: String?
    /// One line, lowercase, context chained with `: `.
    public var message: String

    public init(file: String?, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { file.map { "`\($0)`: \(message)" } ?? message }
}
