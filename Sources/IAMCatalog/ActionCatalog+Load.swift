#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension ActionCatalog {
    /// The files of an `ActionCatalog/` folder.
    public static let catalogFileName = "catalog.txt"
    public static let cloudTrailFileName = "cloudtrail.txt"

    /// Loads the catalog folder at `folder` (holding `catalog.txt` and `cloudtrail.txt`).
    ///
    /// Throws a `CatalogError` naming the file and line when a file is missing or malformed, or when
    /// the CloudTrail map names an action or prefix the catalog lacks.
    public static func load(from folder: URL) throws -> ActionCatalog {
        let catalogURL = folder.appendingPathComponent(catalogFileName)
        let cloudTrailURL = folder.appendingPathComponent(cloudTrailFileName)
        let text = try readBytes(catalogURL)
        var parser = CatalogParser(text: text)
        do {
            try parser.parse()
        } catch let error as CatalogError {
            throw CatalogError("cannot load `\(catalogURL.path)`: \(error.description)")
        }
        let services = parser.services
        let lookup = ActionCatalog(
            text: text, names: parser.names, nameStarts: parser.nameStarts,
            serviceOfAction: parser.serviceOfAction, levels: parser.levels, detailStarts: parser.detailStarts,
            services: services, cloudTrail: CloudTrailMap()
        )
        do {
            try parser.checkDependentActions(in: lookup)
        } catch let error as CatalogError {
            throw CatalogError("cannot load `\(catalogURL.path)`: \(error.description)")
        }
        let cloudTrail: CloudTrailMap
        do {
            cloudTrail = try CloudTrailMap.parse(try readBytes(cloudTrailURL), catalog: lookup)
        } catch let error as CatalogError {
            throw CatalogError("cannot load `\(cloudTrailURL.path)`: \(error.description)")
        }
        return ActionCatalog(
            text: text, names: parser.names, nameStarts: parser.nameStarts,
            serviceOfAction: parser.serviceOfAction, levels: parser.levels, detailStarts: parser.detailStarts,
            services: services, cloudTrail: cloudTrail
        )
    }

    private static func readBytes(_ url: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw CatalogError("cannot read `\(url.path)`: no such file or not readable")
        }
    }
}

/// Reads `catalog.txt` (format in README "Catalog provenance") in one pass over its bytes.
struct CatalogParser {
    let text: [UInt8]
    var names: [UInt8] = []
    var nameStarts: [UInt32] = [0]
    var serviceOfAction: [UInt16] = []
    var levels: [AccessLevel] = []
    var detailStarts: [UInt32] = []
    var services: [ActionCatalog.Service] = []
    /// The dependent-actions field of each action that has one, with its line: checked once every
    /// action is known.
    var dependents: [(line: Int, field: Range<Int>)] = []

    init(text: [UInt8]) {
        self.text = text
        names.reserveCapacity(text.count / 2)
    }

    mutating func parse() throws {
        let tab = UInt8(ascii: "\t")
        let newline = UInt8(ascii: "\n")
        var position = 0
        var line = 0
        var fields: [Range<Int>] = []
        fields.reserveCapacity(8)
        let header = Array("pare-action-catalog 1\n".utf8)
        guard text.starts(with: header) else {
            throw CatalogError("line 1: expected `pare-action-catalog 1`, the format this pare reads")
        }
        position = header.count
        line = 1
        let bytes = text
        try bytes.withUnsafeBufferPointer { buffer in
            while position < buffer.count {
                line += 1
                var end = position
                fields.removeAll(keepingCapacity: true)
                var fieldStart = position
                while end < buffer.count, buffer[end] != newline {
                    if buffer[end] == tab {
                        fields.append(fieldStart..<end)
                        fieldStart = end + 1
                    }
                    end += 1
                }
                fields.append(fieldStart..<end)
                defer { position = end + 1 }
                guard end > position, buffer[position] != UInt8(ascii: "#") else { continue }
                try record(fields, line: line)
            }
        }
        closeService()
        guard !services.isEmpty else { throw CatalogError("no services") }
    }

    private mutating func record(_ fields: [Range<Int>], line: Int) throws {
        let kind = fields[0].count == 1 ? text[fields[0].lowerBound] : 0
        let expected: Int
        switch kind {
        case UInt8(ascii: "A"): expected = 6
        case UInt8(ascii: "R"): expected = 4
        case UInt8(ascii: "S"), UInt8(ascii: "C"): expected = 3
        default: throw CatalogError("line \(line): unknown record `\(string(fields[0]))`")
        }
        guard fields.count == expected else {
            throw CatalogError(
                "line \(line): expected \(expected - 1) fields after `\(string(fields[0]))`, found \(fields.count - 1)")
        }
        switch kind {
        case UInt8(ascii: "A"):
            try action(fields, line: line)
        case UInt8(ascii: "S"):
            closeService()
            guard services.count < Int(UInt16.max) else { throw CatalogError("line \(line): too many services") }
            let prefix = string(fields[1])
            if let previous = services.last, previous.prefix.lowercased() + ":" >= prefix.lowercased() + ":" {
                throw CatalogError("line \(line): service `\(prefix)` is out of order or repeated")
            }
            services.append(
                .init(
                    prefix: prefix, title: string(fields[2]), conditionKeys: [], resourceTypes: [],
                    actions: levels.count..<levels.count))
        case UInt8(ascii: "C"):
            guard !services.isEmpty else { throw CatalogError("line \(line): condition key before any service") }
            services[services.count - 1].conditionKeys.append(string(fields[1]))
        default:
            guard let service = services.last else {
                throw CatalogError("line \(line): resource type before any service")
            }
            let keys = try indices(fields[3], line: line).map { index in
                guard service.conditionKeys.indices.contains(index) else {
                    throw CatalogError("line \(line): no condition key \(index)")
                }
                return service.conditionKeys[index]
            }
            services[services.count - 1].resourceTypes.append(
                ResourceType(name: string(fields[1]), arnTemplate: string(fields[2]), conditionKeys: keys))
        }
    }

    private mutating func action(_ fields: [Range<Int>], line: Int) throws {
        guard let service = services.last else { throw CatalogError("line \(line): action before any service") }
        guard fields[2].count == 1, let level = AccessLevel(code: text[fields[2].lowerBound]) else {
            throw CatalogError("line \(line): unknown access level `\(string(fields[2]))`")
        }
        guard !fields[1].isEmpty else { throw CatalogError("line \(line): empty action name") }
        let start = names.count
        names.append(contentsOf: service.prefix.utf8)
        names.append(UInt8(ascii: ":"))
        names.append(contentsOf: text[fields[1]])
        if levels.count > service.actions.lowerBound, !isAscending(from: Int(nameStarts[levels.count - 1]), to: start) {
            throw CatalogError("line \(line): action `\(string(fields[1]))` is out of order or repeated")
        }
        try checkIndices(fields[3], below: service.resourceTypes.count, required: true, line: line)
        try checkIndices(fields[4], below: service.conditionKeys.count, required: false, line: line)
        if !fields[5].isEmpty { dependents.append((line, fields[5])) }
        nameStarts.append(UInt32(names.count))
        serviceOfAction.append(UInt16(services.count - 1))
        levels.append(level)
        detailStarts.append(UInt32(fields[3].lowerBound))
    }

    /// Checks a comma list of indices below `limit` (resource types with an optional `!`), byte by byte:
    /// it runs for every action of the catalog.
    private func checkIndices(_ field: Range<Int>, below limit: Int, required: Bool, line: Int) throws {
        guard !field.isEmpty else { return }
        var start = field.lowerBound
        while start <= field.upperBound {
            var end = start
            var value = 0
            while end < field.upperBound, text[end] &- UInt8(ascii: "0") < 10, value < 1 << 20 {
                value = value * 10 + Int(text[end] &- UInt8(ascii: "0"))
                end += 1
            }
            let digits = end > start
            if required, end < field.upperBound, text[end] == UInt8(ascii: "!") { end += 1 }
            guard digits, end == field.upperBound || text[end] == UInt8(ascii: ",") else {
                var next = end
                while next < field.upperBound, text[next] != UInt8(ascii: ",") { next += 1 }
                throw CatalogError("line \(line): expected a number, found `\(string(start..<next))`")
            }
            guard value < limit else {
                let what = required ? "resource type" : "condition key"
                throw CatalogError("line \(line): no \(what) \(value) in `\(services[services.count - 1].prefix)`")
            }
            start = end + 1
        }
    }

    /// Every dependent action must name an action of `catalog` (the catalog just parsed). Few names recur
    /// (960 distinct of 4,353: `kms:Decrypt`, `iam:PassRole`), so a direct-mapped cache of names already
    /// found spares most binary searches.
    func checkDependentActions(in catalog: ActionCatalog) throws {
        var found = [Range<Int>](repeating: 0..<0, count: 2048)
        try text.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for (line, field) in dependents {
                var start = field.lowerBound
                while start <= field.upperBound {
                    var end = start
                    var hash: UInt32 = 2_166_136_261
                    while end < field.upperBound, bytes[end] != UInt8(ascii: ",") {
                        hash = (hash ^ UInt32(bytes[end])) &* 16_777_619
                        end += 1
                    }
                    let name = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                    let slot = Int(hash & 2047)
                    let cached = found[slot]
                    if name.isEmpty || cached.count != name.count
                        || memcmp(base + cached.lowerBound, base + start, name.count) != 0
                    {
                        guard catalog.action(named: name) != nil else {
                            throw CatalogError("line \(line): unknown dependent action `\(string(start..<end))`")
                        }
                        found[slot] = start..<end
                    }
                    start = end + 1
                }
            }
        }
    }

    /// Whether the name starting at `previous` sorts strictly before the one starting at `current`
    /// (which runs to the end of `names`), ASCII-folded.
    private func isAscending(from previous: Int, to current: Int) -> Bool {
        var left = previous
        var right = current
        while left < current, right < names.count {
            let a = asciiFold(names[left])
            let b = asciiFold(names[right])
            if a != b { return a < b }
            left += 1
            right += 1
        }
        return left == current && right < names.count
    }

    private mutating func closeService() {
        guard !services.isEmpty else { return }
        let first = services[services.count - 1].actions.lowerBound
        services[services.count - 1].actions = first..<levels.count
    }

    private func indices(_ field: Range<Int>, line: Int) throws -> [Int] {
        guard !field.isEmpty else { return [] }
        return try string(field).split(separator: ",").map { item in
            guard let value = Int(item) else { throw CatalogError("line \(line): expected a number, found `\(item)`") }
            return value
        }
    }

    private func string(_ range: Range<Int>) -> String {
        text.withUnsafeBufferPointer { String(decoding: $0[range], as: UTF8.self) }
    }
}
