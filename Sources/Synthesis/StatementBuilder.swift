import IAMCatalog
import IAMPolicy

/// One action with its resource element and carried conditions, before grouping.
struct Grant: Sendable, Hashable {
    var action: ActionID
    var resources: [String]
    var conditions: [Condition]
}

/// Groups grants into statements: one per identical (resources, conditions), actions sorted, statements
/// ordered by their first action, readable unique `Sid`s (`S3Read`, `Ec2SsmList`, `Iam2`).
struct StatementBuilder {
    let catalog: ActionCatalog
    let wildcards: SynthesisOptions.Wildcards

    /// The statements, and for each the actions it holds (what `pare diff`'s reasons are mapped back to).
    func statements(_ grants: [Grant]) -> [(statement: Statement, actions: ActionSet)] {
        struct Key: Hashable {
            var resources: [String]
            var conditions: [Condition]
        }
        var groups: [Key: ActionSet] = [:]
        for grant in grants {
            _ = groups[Key(resources: grant.resources, conditions: grant.conditions), default: ActionSet()]
                .insert(grant.action)
        }
        // One action may hold several statements (one per condition block of today's grants): ties on the first
        // action are broken by resources, then conditions.
        func text(_ conditions: [Condition]) -> [String] {
            conditions.map { "\($0.operator)\u{1}\($0.key)\u{1}\($0.values.joined(separator: "\u{1}"))" }
        }
        let ordered = groups.map { (key: $0.key, actions: $0.value) }.sorted {
            let a = $0.actions.first { _ in true }?.rawValue ?? 0
            let b = $1.actions.first { _ in true }?.rawValue ?? 0
            if a != b { return a < b }
            if $0.key.resources != $1.key.resources {
                return $0.key.resources.lexicographicallyPrecedes($1.key.resources)
            }
            return text($0.key.conditions).lexicographicallyPrecedes(text($1.key.conditions))
        }
        var used: [String: Int] = [:]
        return ordered.map { group in
            var sid = sidStem(group.actions, anyResource: group.key.resources == ["*"])
            let seen = used[sid, default: 0] + 1
            used[sid] = seen
            if seen > 1 { sid += String(seen) }
            let statement = Statement(
                sid: sid, effect: .allow, actions: actionNames(group.actions), resources: group.key.resources,
                conditions: group.key.conditions)
            return (statement, group.actions)
        }
    }

    /// `S3Read`: the services (up to three, then `More`; `AnyResource` for several services on `*`) and
    /// the access level when they share one.
    private func sidStem(_ actions: ActionSet, anyResource: Bool) -> String {
        var prefixes: [String] = []
        var levels: Set<AccessLevel> = []
        for action in actions {
            let prefix = catalog.prefix(of: action)
            if prefixes.last != prefix { prefixes.append(prefix) }
            levels.insert(catalog.accessLevel(of: action))
        }
        var stem = prefixes.prefix(3).map(Self.camel).joined()
        if prefixes.count > 3 { stem += "More" }
        if anyResource && prefixes.count > 1 { stem = "AnyResource" }
        if levels.count == 1, let level = levels.first { stem += Self.camel(level.rawValue) }
        return stem
    }

    /// `devops-guru` → `DevopsGuru`, `Permissions management` → `PermissionsManagement`.
    static func camel(_ text: String) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// The action element: names in catalog order, with `--wildcards safe` patterns where every catalog
    /// action a pattern matches is in this statement.
    func actionNames(_ actions: ActionSet) -> [String] {
        guard wildcards == .safe else { return catalog.names(of: actions) }
        var covered = ActionSet()
        var names: [String] = []
        for action in actions where !covered.contains(action) {
            if let (pattern, matched) = safePattern(for: action, within: actions) {
                covered.formUnion(matched)
                names.append(pattern)
            } else {
                names.append(catalog.name(of: action))
            }
        }
        return names.sorted { $0.lowercased() < $1.lowercased() }
    }

    /// The shortest `prefix:Word…*` (at a capital letter) matching `action` whose every catalog match is
    /// in `actions`, matching at least two actions.
    private func safePattern(for action: ActionID, within actions: ActionSet) -> (String, ActionSet)? {
        let name = catalog.name(of: action)
        guard let colon = name.firstIndex(of: ":") else { return nil }
        let prefix = name[..<colon]
        let verb = Array(name[name.index(after: colon)...])
        // Cut before each capital letter, and after the whole name (`s3:GetBucketPolicy*`).
        for end in verb.indices.dropFirst().filter({ verb[$0].isUppercase }) + [verb.count] {
            let pattern = "\(prefix):\(String(verb[..<end]))*"
            let matched = catalog.expand(pattern)
            if matched.count >= 2, matched.isSubset(of: actions) { return (pattern, matched) }
        }
        return nil
    }
}
