/// An IAM wildcard pattern (`*` matches any run of characters, `?` exactly one), compiled to bytes and
/// matched without regular expressions in linear time with the classic two-pointer backtracking matcher.
///
/// Actions match case-insensitively (`S3:getobject` is `s3:GetObject`), ARNs case-sensitively.
public struct WildcardPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// Whether letters match regardless of case (ASCII folding).
    public let caseInsensitive: Bool
    private let bytes: [UInt8]

    /// Compiles `text`; `caseInsensitive` is `true` for actions and `false` for ARNs.
    public init(_ text: String, caseInsensitive: Bool) {
        self.text = text
        self.caseInsensitive = caseInsensitive
        self.bytes = caseInsensitive ? text.utf8.map(WildcardPattern.fold) : Array(text.utf8)
    }

    public var description: String { text }

    /// Whether the pattern has no `*` or `?` (it then matches exactly one string).
    public var isLiteral: Bool { !bytes.contains(UInt8(ascii: "*")) && !bytes.contains(UInt8(ascii: "?")) }

    /// Whether `candidate` matches the whole pattern.
    public func matches(_ candidate: String) -> Bool {
        var candidate = candidate
        return candidate.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the bytes of `candidate` match the whole pattern.
    public func matches(_ candidate: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            let star = UInt8(ascii: "*")
            let question = UInt8(ascii: "?")
            var pi = 0
            var ci = 0
            var starAt = -1
            var resumeAt = 0
            let pn = p.count
            let cn = candidate.count
            while ci < cn {
                if pi < pn {
                    let pc = p[pi]
                    if pc == star {
                        starAt = pi
                        resumeAt = ci
                        pi += 1
                        continue
                    }
                    let cc = caseInsensitive ? WildcardPattern.fold(candidate[ci]) : candidate[ci]
                    if pc == question || pc == cc {
                        pi += 1
                        ci += 1
                        continue
                    }
                }
                guard starAt >= 0 else { return false }
                pi = starAt + 1
                resumeAt += 1
                ci = resumeAt
            }
            while pi < pn, p[pi] == star { pi += 1 }
            return pi == pn
        }
    }

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
