/// A JSON value that remembers where it was written: the byte offset of its first character in the
/// source, so that a policy problem found after parsing can still name its line and column.
///
/// Numbers keep their text as written (`10`, `1.50`, `1e3`): IAM compares condition values as text,
/// and a policy must round-trip without a number being reformatted.
public struct JSONValue: Sendable, Hashable {
    /// The value itself.
    public indirect enum Kind: Sendable, Hashable {
        case null
        case bool(Bool)
        /// A number, as its source text.
        case number(String)
        case string(String)
        case array([JSONValue])
        /// Members in source order; keys may repeat (the policy reader rejects that).
        case object([Member])
    }

    /// One `"key": value` member of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        /// Byte offset of the key's opening quote.
        public var keyOffset: Int
        public var value: JSONValue

        public init(key: String, keyOffset: Int = 0, value: JSONValue) {
            self.key = key
            self.keyOffset = keyOffset
            self.value = value
        }
    }

    public var kind: Kind
    /// Byte offset of the value's first character in its source (0 when built in code).
    public var offset: Int

    public init(_ kind: Kind, offset: Int = 0) {
        self.kind = kind
        self.offset = offset
    }

    /// A short name of the value's type for messages: `a string`, `an object`, …
    public var typeName: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The member named `key` of an object (the first one when repeated), or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, when the value is one.
    public var stringValue: String? {
        if case .string(let s) = kind { return s }
        return nil
    }
}

/// A line and column (both 1-based; the column counts Unicode scalars) in a source text.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    /// The position of byte `offset` in `bytes`.
    public init(offset: Int, in bytes: [UInt8]) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        self.init(line: line, column: column)
    }
}

/// A JSON syntax error: what was expected, at which byte offset, and inside which JSON path.
public struct JSONSyntaxError: Error, Sendable, Hashable {
    /// Where the parser was (`Statement[0].Condition`), empty at the top level.
    public var path: String
    /// Byte offset of the offending character.
    public var offset: Int
    /// What went wrong, lowercase (`expected `,` or `]`, found `/``).
    public var reason: String
}

extension JSONValue {
    /// Parses one JSON value that fills `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try parse(bytes, in: 0..<bytes.count)
    }

    /// Parses one JSON value that fills `bytes[range]`; offsets stay relative to the whole of `bytes`.
    public static func parse(_ bytes: [UInt8], in range: Range<Int>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, range: range)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < parser.end {
            throw parser.error("expected the end of the document, found \(parser.describeCurrent())")
        }
        return value
    }

    /// Parses a sequence of JSON values separated by whitespace (JSON Lines, or one value).
    public static func parseSequence(_ bytes: [UInt8]) throws(JSONSyntaxError) -> [JSONValue] {
        var parser = JSONParser(bytes: bytes)
        var values: [JSONValue] = []
        parser.skipWhitespace()
        while parser.index < bytes.count {
            values.append(try parser.parseValue())
            parser.skipWhitespace()
        }
        return values
    }
}

/// A recursive-descent JSON parser over bytes (RFC 8259), tracking the JSON path for messages.
struct JSONParser {
    let bytes: [UInt8]
    var index: Int
    /// One past the last byte to read.
    let end: Int
    var path: [PathComponent] = []
    /// Nesting bound: deeper documents are rejected rather than overflowing the stack.
    static let maximumDepth = 512

    enum PathComponent {
        case key(String)
        case index(Int)
    }

    init(bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        self.index = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
        // A UTF-8 byte order mark (Windows editors write one) is not part of the JSON text.
        if index + 3 <= end, bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { index += 3 }
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(path: JSONParser.render(path), offset: offset ?? index, reason: reason)
    }

    /// The path as text; a path deeper than 16 levels is cut after 4 (`[0][0][0][0]...(512 levels)`), to
    /// keep messages one short line.
    static func render(_ path: [PathComponent]) -> String {
        guard path.count <= 16 else { return render(Array(path.prefix(4))) + "...(\(path.count) levels)" }
        var out = ""
        for component in path {
            switch component {
            case .key(let k): out += out.isEmpty ? k : "." + k
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    func describeCurrent() -> String {
        guard index < end else { return "the end of the input" }
        let b = bytes[index]
        if b >= 0x20 && b < 0x7F { return "`\(Character(Unicode.Scalar(b)))`" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < end else { throw error("expected a value, found the end of the input") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): return JSONValue(.object(try parseObject()), offset: start)
        case UInt8(ascii: "["): return JSONValue(.array(try parseArray()), offset: start)
        case UInt8(ascii: "\""): return JSONValue(.string(try parseString()), offset: start)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return JSONValue(.bool(true), offset: start)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return JSONValue(.bool(false), offset: start)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return JSONValue(.null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(.number(try parseNumber()), offset: start)
        default:
            throw error("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let start = index
        let text = word.withUTF8Buffer { Array($0) }
        guard end - index >= text.count, Array(bytes[index..<index + text.count]) == text else {
            throw error("expected a value, found \(describeCurrent())", at: start)
        }
        index += text.count
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> [JSONValue.Member] {
        guard path.count < JSONParser.maximumDepth else { throw error("nesting deeper than 512 levels") }
        index += 1  // {
        var members: [JSONValue.Member] = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key, found \(describeCurrent())")
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected `:` after key `\(key)`, found \(describeCurrent())")
            }
            index += 1
            path.append(.key(key))
            let value = try parseValue()
            path.removeLast()
            members.append(JSONValue.Member(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            guard index < end else { throw error("expected `,` or `}`, found the end of the input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return members
            }
            throw error("expected `,` or `}`, found \(describeCurrent())")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> [JSONValue] {
        guard path.count < JSONParser.maximumDepth else { throw error("nesting deeper than 512 levels") }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            path.append(.index(elements.count))
            let value = try parseValue()
            path.removeLast()
            elements.append(value)
            skipWhitespace()
            guard index < end else { throw error("expected `,` or `]`, found the end of the input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return elements
            }
            throw error("expected `,` or `]`, found \(describeCurrent())")
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, isDigit(bytes[index]) else { throw error("invalid number") }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < end, isDigit(bytes[index]) else { throw error("invalid number") }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        index += 1  // opening quote
        let contentStart = index
        // Fast path: no escapes.
        while index < end {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = try validated(bytes[contentStart..<index], at: contentStart)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("unescaped control character in a string") }
            index += 1
        }
        var out = Array(bytes[contentStart..<index])
        while index < end {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return try validated(out[...], at: contentStart)
            }
            if b < 0x20 { throw error("unescaped control character in a string") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < end else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired surrogate in a `\\u` escape") }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a `\\u` escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate in a `\\u` escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid `\\u` escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("invalid escape `\\\(Character(Unicode.Scalar(escape)))`", at: index - 2)
            }
        }
        throw error("unterminated string", at: start)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard end - index >= 4 else { throw error("invalid `\\u` escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid `\\u` escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func validated(_ slice: ArraySlice<UInt8>, at offset: Int) throws(JSONSyntaxError) -> String {
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw error("invalid utf-8 in a string", at: offset)
        }
        return s
    }
}
