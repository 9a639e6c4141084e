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
        return (out + reason).oneLine
    }
}

extension String {
    /// The text with control characters escaped (`\n`, `\u{1B}`), so that a message quoting user values
    /// stays on one line.
    package var oneLine: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
