/// The bundled AWS action catalog (`ActionCatalog/`): every service prefix and action, access levels,
/// resource types with ARN templates, condition keys, dependent actions, and the CloudTrail event map.
///
/// Load it once (`ActionCatalog.load(from: ActionCatalog.locate(explicit: path))`); it is then
/// immutable and safe to share between threads. Actions are addressed by dense `ActionID`s in the
/// catalog's order (prefix, then action name, case-insensitively), so sets of actions are bitsets.
public final class ActionCatalog: Sendable {
    struct Service: Sendable {
        var prefix: String
        var title: String
        var conditionKeys: [String]
        var resourceTypes: [ResourceType]
        var actions: Range<Int>
    }

    /// `catalog.txt` as read; per-action details are parsed from it on demand.
    let text: [UInt8]
    /// "prefix:Action" of every action, back to back, in id order.
    let names: [UInt8]
    /// Start of each action's name in `names`, plus the end.
    let nameStarts: [UInt32]
    /// Index into `services` of each action.
    let serviceOfAction: [UInt16]
    let levels: [AccessLevel]
    /// Offset in `text` of each action's resource field (the fourth field of its `A` line).
    let detailStarts: [UInt32]
    let services: [Service]
    let serviceIndex: [String: Int]
    let cloudTrail: CloudTrailMap

    init(
        text: [UInt8], names: [UInt8], nameStarts: [UInt32], serviceOfAction: [UInt16],
        levels: [AccessLevel], detailStarts: [UInt32], services: [Service], cloudTrail: CloudTrailMap
    ) {
        self.text = text
        self.names = names
        self.nameStarts = nameStarts
        self.serviceOfAction = serviceOfAction
        self.levels = levels
        self.detailStarts = detailStarts
        self.services = services
        var index: [String: Int] = [:]
        for (position, service) in services.enumerated() { index[service.prefix.lowercased()] = position }
        self.serviceIndex = index
        self.cloudTrail = cloudTrail
    }

    // MARK: - Counts and prefixes

    /// The number of actions.
    public var count: Int { levels.count }

    /// Every action of the catalog.
    public var allActions: ActionSet { ActionSet(allBelow: count) }

    /// Every service prefix, sorted.
    public var prefixes: [String] { services.map(\.prefix).sorted() }

    /// The service's full name (`Amazon S3`) for `prefix` (any case), or `nil` when unknown.
    public func serviceName(prefix: String) -> String? {
        serviceIndex[prefix.lowercased()].map { services[$0].title }
    }

    /// The catalog's spelling of `prefix` (any case), or `nil` when unknown.
    public func canonicalPrefix(_ prefix: String) -> String? {
        serviceIndex[prefix.lowercased()].map { services[$0].prefix }
    }

    // MARK: - Actions

    /// The id of `name` (`s3:getobject` or `S3:GetObject`), case-insensitively; `nil` when unknown.
    public func action(named name: String) -> ActionID? {
        var name = name
        return name.withUTF8 { action(named: UnsafeRawBufferPointer($0)) }
    }

    /// ``action(named:)`` for a name given as UTF-8 bytes.
    func action(named query: UnsafeRawBufferPointer) -> ActionID? {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            let order = compareFolded(middle, query)
            if order == 0 { return ActionID(middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// `prefix:Action` in the catalog's spelling.
    public func name(of id: ActionID) -> String {
        let start = Int(nameStarts[id.index])
        let end = Int(nameStarts[id.index + 1])
        return names.withUnsafeBufferPointer { String(decoding: $0[start..<end], as: UTF8.self) }
    }

    /// The names of `set` in id order (the catalog's order).
    public func names(of set: ActionSet) -> [String] { set.map { name(of: $0) } }

    /// The service prefix of the action (`s3`).
    public func prefix(of id: ActionID) -> String { services[Int(serviceOfAction[id.index])].prefix }

    public func accessLevel(of id: ActionID) -> AccessLevel { levels[id.index] }

    /// Every action of `prefix` (any case); empty when the prefix is unknown.
    public func actions(prefix: String) -> ActionSet {
        guard let service = serviceIndex[prefix.lowercased()] else { return ActionSet() }
        return ActionSet(range: services[service].actions)
    }

    /// Every action with `level`.
    public func actions(accessLevel level: AccessLevel) -> ActionSet {
        ActionSet(levels.indices.lazy.filter { self.levels[$0] == level }.map { ActionID($0) })
    }

    /// Every catalog action not in `set` (the meaning of `NotAction`).
    public func complement(of set: ActionSet) -> ActionSet { allActions.subtracting(set) }

    /// The resource types the action can act on, with their ARN templates; empty means `*` only.
    public func resourceTypes(of id: ActionID) -> [ActionResourceType] {
        let service = services[Int(serviceOfAction[id.index])]
        return detailField(of: id, 0).split(separator: ",").compactMap { item in
            let required = item.hasSuffix("!")
            guard let position = Int(required ? item.dropLast() : item[...]),
                service.resourceTypes.indices.contains(position)
            else { return nil }
            return ActionResourceType(resourceType: service.resourceTypes[position], required: required)
        }
    }

    /// The condition keys the action supports (action level, as the reference lists them).
    public func conditionKeys(of id: ActionID) -> [String] {
        let service = services[Int(serviceOfAction[id.index])]
        return detailField(of: id, 1).split(separator: ",").compactMap { item in
            Int(item).flatMap { service.conditionKeys.indices.contains($0) ? service.conditionKeys[$0] : nil }
        }
    }

    /// Actions the reference says this one may also need (`s3:PutReplicationConfiguration` →
    /// `iam:PassRole`).
    public func dependentActions(of id: ActionID) -> [ActionID] {
        detailField(of: id, 2).split(separator: ",").compactMap { action(named: String($0)) }
    }

    /// Every condition key of `prefix` (service keys and the global keys its actions use).
    public func conditionKeys(prefix: String) -> [String] {
        serviceIndex[prefix.lowercased()].map { services[$0].conditionKeys } ?? []
    }

    /// Every resource type of `prefix`.
    public func resourceTypes(prefix: String) -> [ResourceType] {
        serviceIndex[prefix.lowercased()].map { services[$0].resourceTypes } ?? []
    }

    // MARK: - Byte helpers

    /// Field `number` (0 resources, 1 condition keys, 2 dependent actions) of the action's line.
    private func detailField(of id: ActionID, _ number: Int) -> String {
        text.withUnsafeBufferPointer { bytes in
            var position = Int(detailStarts[id.index])
            var field = 0
            var start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
                if bytes[position] == UInt8(ascii: "\t") {
                    if field == number { break }
                    field += 1
                    start = position + 1
                }
                position += 1
            }
            return field == number ? String(decoding: bytes[start..<position], as: UTF8.self) : ""
        }
    }

    /// Compares the name of action `index` with `query`, both ASCII-folded: <0, 0 or >0.
    func compareFolded(_ index: Int, _ query: UnsafeRawBufferPointer) -> Int {
        let start = Int(nameStarts[index])
        let length = Int(nameStarts[index + 1]) - start
        return names.withUnsafeBufferPointer { bytes in
            guard let name = bytes.baseAddress.map({ $0 + start }), let other = query.baseAddress else {
                return length - query.count
            }
            // Exact bytes first: most differences are found before any case folding is needed.
            for i in 0..<min(length, query.count) {
                let a = name[i]
                let b = other.load(fromByteOffset: i, as: UInt8.self)
                if a != b, asciiFold(a) != asciiFold(b) { return Int(asciiFold(a)) - Int(asciiFold(b)) }
            }
            return length - query.count
        }
    }
}

/// ASCII lowercase of one byte (action names and prefixes are ASCII).
@inline(__always)
func asciiFold(_ byte: UInt8) -> UInt8 {
    byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
}
