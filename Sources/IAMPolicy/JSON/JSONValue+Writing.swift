/// How JSON text is laid out.
public enum JSONStyle: Sendable, Hashable {
    /// Four-space indentation, one member or element per line, `"key": value`.
    case pretty
    /// No whitespace at all outside strings.
    case compact
}

extension JSONValue {
    /// The JSON text of the value: members in their stored order, numbers as their text, strings escaped
    /// minimally (`"`, `\`, control characters; everything else verbatim). Pretty output has no trailing
    /// newline.
    public func text(_ style: JSONStyle = .pretty) -> String {
        var out = ""
        write(to: &out, style: style, indent: 0)
        return out
    }

    private func write(to out: inout String, style: JSONStyle, indent: Int) {
        switch kind {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let elements):
            if elements.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, style, indent + 1)
                element.write(to: &out, style: style, indent: indent + 1)
            }
            JSONValue.newline(&out, style, indent)
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, style, indent + 1)
                JSONValue.writeString(member.key, to: &out)
                out += style == .pretty ? ": " : ":"
                member.value.write(to: &out, style: style, indent: indent + 1)
            }
            JSONValue.newline(&out, style, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ style: JSONStyle, _ indent: Int) {
        guard style == .pretty else { return }
        out += "\n"
        out += String(repeating: " ", count: indent * 4)
    }

    /// Appends `s` as a JSON string literal.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// A string value.
    public static func string(_ s: String) -> JSONValue { JSONValue(.string(s)) }

    /// An object from `(key, value)` pairs, in the given order.
    public static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(pairs.map { JSONValue.Member(key: $0.0, value: $0.1) }))
    }

    /// An array.
    public static func array(_ elements: [JSONValue]) -> JSONValue { JSONValue(.array(elements)) }

    /// An integer.
    public static func number(_ value: some BinaryInteger) -> JSONValue { JSONValue(.number(String(value))) }

    /// A boolean.
    public static func bool(_ value: Bool) -> JSONValue { JSONValue(.bool(value)) }

    /// `null`.
    public static let null = JSONValue(.null)
}
