/// Three-valued logic: a statement or condition applies, does not, or cannot be told (no context).
enum Truth: Sendable, Hashable {
    case yes, no, unknown

    init(_ b: Bool) { self = b ? .yes : .no }

    static func && (a: Truth, b: @autoclosure () -> Truth) -> Truth {
        if a == .no { return .no }
        let b = b()
        if b == .no { return .no }
        return a == .yes && b == .yes ? .yes : .unknown
    }
}
