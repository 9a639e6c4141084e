/// A `Resource` or condition value read for policy variables: `arn:aws:s3:::b/home/${aws:username}/*`.
///
/// Variables are `${key}` or `${key, 'default'}`; `${*}`, `${?}` and `${$}` stand for a literal `*`, `?`
/// and `$` (never wildcards). A `${` without its `}` is plain text. Variables exist only in documents of
/// version `2012-10-17`; the evaluator reads older documents literally.
public struct PolicyTemplate: Sendable, Hashable {
    /// One piece of a template.
    public enum Part: Sendable, Hashable {
        /// Text as written; in a `Resource` or a `*Like` value its `*` and `?` are wildcards.
        case text(String)
        /// A character written `${*}`, `${?}` or `${$}`: always literal.
        case literal(Character)
        /// `${key}` or `${key, 'default'}`.
        case variable(key: String, defaultValue: String?)
    }

    public var parts: [Part]

    /// Splits `value` into text, literals and variables.
    public init(parsing value: String) {
        var parts: [Part] = []
        var text = ""
        var rest = Substring(value)
        while let dollar = PolicyTemplate.variableStart(rest) {
            let open = rest.index(dollar, offsetBy: 2)
            guard let end = rest[open...].firstIndex(of: "}") else { break }
            text += rest[..<dollar]
            if let part = PolicyTemplate.part(rest[open..<end]) {
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(part)
            } else {
                text += rest[dollar...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        text += rest
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// Whether the value holds at least one variable.
    public var hasVariables: Bool {
        parts.contains { if case .variable = $0 { true } else { false } }
    }

    /// The variable keys, in order of appearance.
    public var variableKeys: [String] {
        parts.compactMap { if case .variable(let key, _) = $0 { key } else { nil } }
    }

    private static func variableStart(_ s: Substring) -> Substring.Index? {
        var i = s.startIndex
        while i < s.endIndex {
            let next = s.index(after: i)
            if s[i] == "$", next < s.endIndex, s[next] == "{" { return i }
            i = next
        }
        return nil
    }

    private static func part(_ body: Substring) -> Part? {
        switch body {
        case "*": return .literal("*")
        case "?": return .literal("?")
        case "$": return .literal("$")
        default: break
        }
        var key = body
        var defaultValue: String?
        if let comma = body.firstIndex(of: ",") {
            key = body[..<comma]
            let tail = body[body.index(after: comma)...].trimmingSpaces
            guard tail.count >= 2, tail.first == "'", tail.last == "'" else { return nil }
            defaultValue = String(tail.dropFirst().dropLast())
        }
        let name = key.trimmingSpaces
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || ":/-_.@".unicodeScalars.contains($0)
            })
        else { return nil }
        return .variable(key: String(name), defaultValue: defaultValue)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
