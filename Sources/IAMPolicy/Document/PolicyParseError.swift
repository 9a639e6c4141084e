/// Why a policy document could not be read: where (source, line:column, JSON path) and what.
///
/// ``description`` is one line: ``deny.json:15:13: Statement[0].Action: expected a string or an array of
/// strings``.
public struct PolicyParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name or other label given to the parser.
    public var source: String
    /// Line and column of the offending value, `nil` when the document was built without source text.
    public var position: SourcePosition?
    /// The JSON path of the offending element (`Statement[2].Action`), empty for the whole document.
    public var path: String
    /// What is wrong, lowercase, user values in backticks.
    public var reason: String

    public init(source: String, position: SourcePosition?, path: String, reason: String) {
        self.source = source
        self.position = position
        self.path = path
        self.reason = reason
    }

    /// `source:line:column: path: reason`.
    public var description: String {
        var out = source
        if let position { out += ":\(position)" }
        out += ": "
        if !path.isEmpty { out += path + ": " }
        return out + reason
    }
}
