/// The CloudTrail part of the catalog (`cloudtrail.txt`): event-source hosts, version-suffix hosts,
/// exceptions and events that need no permission.
struct CloudTrailMap: Sendable {
    /// An event source and name, lowercased: hosts are DNS names, and resolution looks events up
    /// case-insensitively (DESIGN.md step 3), exceptions and no-permission events included.
    struct EventKey: Hashable, Sendable {
        var host: String
        var name: String

        init(host: String, name: String) {
            self.host = host.lowercased()
            self.name = name.lowercased()
        }
    }

    /// eventSource host (lowercased) → IAM prefix in the catalog's spelling.
    var hosts: [String: String] = [:]
    /// Hosts (lowercased) whose event names carry an API-version suffix (`GetFunction20150331v2`).
    var versionSuffixHosts: Set<String> = []
    /// Events whose actions differ from `prefix:eventName`, resolved ahead of time.
    var exceptions: [EventKey: EventResolution] = [:]
    /// Events that need no identity-policy permission, with the reason.
    var noPermission: [EventKey: String] = [:]
    /// Record selectors (`@eventType=AwsServiceEvent`, `@userIdentity.type=AWSService`) → reason.
    var recordTypes: [String: String] = [:]
    /// `prefix:EventName` (lowercased) → the exception's actions, for event names that are not
    /// actions themselves (`lambda:invoke` → `lambda:InvokeFunction`): did-you-mean hints.
    var apiNameHints: [String: [String]] = [:]

    /// Parses `cloudtrail.txt`; every prefix and action it names must be in `catalog`.
    static func parse(_ text: [UInt8], catalog: ActionCatalog) throws -> CloudTrailMap {
        var map = CloudTrailMap()
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let header = lines.first, header.elementsEqual("pare-cloudtrail-map 1".utf8) else {
            throw CatalogError("line 1: expected `pare-cloudtrail-map 1`, the format this pare reads")
        }
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            let expected = ["H": 3, "V": 2, "E": 7, "N": 4, "T": 3][fields[0]]
            guard let expected else { throw CatalogError("line \(number): unknown record `\(fields[0])`") }
            guard fields.count == expected else {
                throw CatalogError(
                    "line \(number): expected \(expected - 1) fields after `\(fields[0])`, found \(fields.count - 1)")
            }
            func actions(_ field: String) throws -> [String] {
                try field.split(separator: ",").map { name in
                    guard let id = catalog.action(named: String(name)) else {
                        throw CatalogError("line \(number): unknown action `\(name)`")
                    }
                    return catalog.name(of: id)
                }
            }
            switch fields[0] {
            case "H":
                guard let prefix = catalog.canonicalPrefix(fields[2]) else {
                    throw CatalogError("line \(number): unknown prefix `\(fields[2])`")
                }
                guard map.hosts.updateValue(prefix, forKey: fields[1].lowercased()) == nil else {
                    throw CatalogError("line \(number): host `\(fields[1])` mapped twice")
                }
            case "V":
                map.versionSuffixHosts.insert(fields[1].lowercased())
            case "E":
                let conditional = try fields[4].split(separator: ";").map { item in
                    let parts = item.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { throw CatalogError("line \(number): malformed `when` `\(item)`") }
                    return EventResolution.Conditional(
                        parameter: String(parts[0]), actions: try actions(String(parts[1])))
                }
                map.exceptions[EventKey(host: fields[1], name: fields[2])] = EventResolution(
                    status: .resolved, actions: try actions(fields[3]), conditional: conditional,
                    anyOf: try actions(fields[5]), note: fields[6].isEmpty ? nil : fields[6])
            case "N":
                map.noPermission[EventKey(host: fields[1], name: fields[2])] = fields[3]
            default:
                map.recordTypes[fields[1]] = fields[2]
            }
        }
        for (key, resolution) in map.exceptions.sorted(by: { ($0.key.host, $0.key.name) < ($1.key.host, $1.key.name) })
        {
            guard let prefix = map.hosts[key.host], !resolution.actions.isEmpty else { continue }
            let name = "\(prefix):\(key.name)"
            if catalog.action(named: name) == nil, map.apiNameHints[name.lowercased()] == nil {
                map.apiNameHints[name.lowercased()] = resolution.actions
            }
        }
        return map
    }
}

/// Strips an API-version suffix: `GetFunction20150331v2` → `GetFunction`, `ListFunctions20150331` →
/// `ListFunctions`, `UpdateDistribution2020_05_31` → `UpdateDistribution`; `nil` when there is none.
/// (The suffixes of `rules.strip_suffix_regex` in `ActionCatalog/overlays/event_exceptions.json`.)
func strippingVersionSuffix(_ name: String) -> String? {
    let bytes = Array(name.utf8)
    func isDigit(_ index: Int) -> Bool { bytes[index] &- UInt8(ascii: "0") < 10 }
    func digits(_ range: Range<Int>) -> Bool { range.lowerBound >= 0 && range.allSatisfy(isDigit) }
    var end = bytes.count
    // `\d{4}_\d{2}_\d{2}`
    if end >= 11, bytes[end - 3] == UInt8(ascii: "_"), bytes[end - 6] == UInt8(ascii: "_"),
        digits(end - 2..<end), digits(end - 5..<end - 3), digits(end - 10..<end - 6)
    {
        return String(decoding: bytes[0..<end - 10], as: UTF8.self)
    }
    // `\d{8}(v\d+)?`
    var versionDigits = end
    while versionDigits > 0, isDigit(versionDigits - 1) { versionDigits -= 1 }
    if versionDigits < end, versionDigits > 0, bytes[versionDigits - 1] == UInt8(ascii: "v") {
        end = versionDigits - 1
    }
    guard end >= 9, digits(end - 8..<end) else { return nil }
    return String(decoding: bytes[0..<end - 8], as: UTF8.self)
}
