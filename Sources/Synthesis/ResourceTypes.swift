import IAMCatalog
import IAMPolicy

/// A catalog resource type with its ARN template compiled: `${…}` placeholders become `*`.
struct CompiledResourceType: Sendable {
    let type: ResourceType
    let pattern: WildcardPattern
    /// Characters of the template outside placeholders: among several matching types, the one with the
    /// most literal text is the ARN's type (`bucket/key` is an `object`, not a `bucket`).
    let literalLength: Int

    init(_ type: ResourceType) {
        self.type = type
        var glob = ""
        var literal = 0
        var rest = Substring(type.arnTemplate)
        while let open = rest.range(of: "${") {
            glob += rest[..<open.lowerBound]
            literal += rest.distance(from: rest.startIndex, to: open.lowerBound)
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                rest = rest[open.lowerBound...]
                break
            }
            glob += "*"
            rest = rest[rest.index(after: close)...]
        }
        glob += rest
        literal += rest.count
        pattern = WildcardPattern(glob, caseInsensitive: false)
        literalLength = literal
    }

    /// The template with `${Partition}`, `${Region}` and `${Account}` filled and every other placeholder
    /// `*`.
    func filled(partition: String, region: String, account: String) -> String {
        var out = ""
        var rest = Substring(type.arnTemplate)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            out += rest[..<open.lowerBound]
            switch rest[open.upperBound..<close] {
            case "Partition": out += partition
            case "Region": out += region
            case "Account": out += account
            default: out += "*"
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    var hasRegion: Bool { type.arnTemplate.contains("${Region}") }

    /// The service field of the template (`ec2` in `arn:${Partition}:ec2:${Region}:…`).
    var service: String {
        let fields = type.arnTemplate.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        return fields.count > 2 ? String(fields[2]) : ""
    }
}

/// The resource types of one service, to tell which type an observed ARN is.
struct ServiceResourceTypes: Sendable {
    let types: [CompiledResourceType]

    init(_ catalog: ActionCatalog, prefix: String) {
        types = catalog.resourceTypes(prefix: prefix).map(CompiledResourceType.init)
    }

    /// The name of the type `arn` belongs to: the matching type with the most literal template text.
    func typeName(of arn: String) -> String? {
        var best: CompiledResourceType?
        for type in types where type.pattern.matches(arn) {
            if best == nil || type.literalLength > (best?.literalLength ?? 0) { best = type }
        }
        return best?.type.name
    }
}
