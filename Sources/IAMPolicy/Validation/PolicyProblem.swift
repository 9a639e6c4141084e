/// A problem found in a policy file: where and what. ``description`` is one line,
/// `file:line:column: path: message` (`warning: ` before the message for warnings).
public struct PolicyProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case warning, error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// The file name (or other label) of the input.
    public var source: String
    public var position: SourcePosition?
    /// The JSON path of the element (`[2].Statement[0].Action[1]` in a file holding an array of policies).
    public var path: String
    /// Lowercase, user values in backticks.
    public var message: String

    public init(severity: Severity = .error, source: String, position: SourcePosition?, path: String, message: String) {
        self.severity = severity
        self.source = source
        self.position = position
        self.path = path
        self.message = message
    }

    init(_ error: PolicyParseError) {
        self.init(source: error.source, position: error.position, path: error.path, message: error.reason)
    }

    /// The problem without the file name: `15:13: Statement[0].Action: …`, for
    /// ``cannot read `file`: …`` messages.
    public var locatedMessage: String { ((position.map { "\($0): " } ?? "") + detail).oneLine }

    public var description: String { (source + (position.map { ":\($0)" } ?? "") + ": " + detail).oneLine }

    private var detail: String {
        (path.isEmpty ? "" : path + ": ") + (severity == .warning ? "warning: " : "") + message
    }
}
