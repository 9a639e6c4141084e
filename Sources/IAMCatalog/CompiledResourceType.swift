import IAMPolicy

/// A catalog resource type with its ARN template compiled: `${…}` placeholders become `*`.
public struct CompiledResourceType: Sendable {
    public let type: ResourceType
    public let pattern: WildcardPattern
    /// The template with every placeholder `*`: two types with the same glob name the same resources.
    public let glob: String
    /// Characters of the template outside placeholders: among several matching types, the one with the
    /// most literal text is the ARN's type (`bucket/key` is an `object`, not a `bucket`).
    public let literalLength: Int

    public init(_ type: ResourceType) {
        self.type = type
        var glob = ""
        var literal = 0
        for part in Self.parts(of: type.arnTemplate) {
            switch part {
            case .text(let text):
                glob += text
                literal += text.count
            case .placeholder: glob += "*"
            }
        }
        pattern = WildcardPattern(glob, caseInsensitive: false)
        self.glob = glob
        literalLength = literal
    }

    /// The template with `${Partition}`, `${Region}` and `${Account}` filled and every other placeholder
    /// `*`.
    public func filled(partition: String, region: String, account: String) -> String {
        var out = ""
        for part in Self.parts(of: type.arnTemplate) {
            switch part {
            case .text(let text): out += text
            case .placeholder("Partition"): out += partition
            case .placeholder("Region"): out += region
            case .placeholder("Account"): out += account
            case .placeholder: out += "*"
            }
        }
        return out
    }

    private enum Part {
        case text(Substring)
        case placeholder(Substring)
    }

    /// The template cut at its `${…}` placeholders (an unclosed `${` is text), scanning bytes: this runs for
    /// every resource type of a service, for every used action.
    private static func parts(of template: String) -> [Part] {
        let bytes = template.utf8
        var parts: [Part] = []
        var textStart = bytes.startIndex
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let next = bytes.index(after: i)
            guard bytes[i] == UInt8(ascii: "$"), next != bytes.endIndex, bytes[next] == UInt8(ascii: "{"),
                let close = bytes[next...].firstIndex(of: UInt8(ascii: "}"))
            else {
                i = next
                continue
            }
            if textStart != i { parts.append(.text(template[textStart..<i])) }
            parts.append(.placeholder(template[bytes.index(after: next)..<close]))
            i = bytes.index(after: close)
            textStart = i
        }
        if textStart != bytes.endIndex { parts.append(.text(template[textStart...])) }
        return parts
    }

    public var hasRegion: Bool { type.arnTemplate.contains("${Region}") }

    public var service: String { type.service }
}

/// The resource types of one service, to tell which type an observed ARN is.
public struct ServiceResourceTypes: Sendable {
    public let types: [CompiledResourceType]

    public init(_ catalog: ActionCatalog, prefix: String) {
        types = catalog.resourceTypes(prefix: prefix).map(CompiledResourceType.init)
    }

    /// The type `arn` belongs to: the matching type with the most literal template text.
    public func type(of arn: String) -> CompiledResourceType? {
        var best: CompiledResourceType?
        for type in types where type.pattern.matches(arn) {
            if best == nil || type.literalLength > (best?.literalLength ?? 0) { best = type }
        }
        return best
    }
}
