/// A dense integer id of one catalog action, valid only with the catalog that issued it.
///
/// Ids follow the catalog's order: by prefix, then by action name, case-insensitively.
public struct ActionID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    init(_ index: Int) { self.rawValue = UInt32(truncatingIfNeeded: index) }

    var index: Int { Int(rawValue) }

    public static func < (lhs: ActionID, rhs: ActionID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "#\(rawValue)" }
}
