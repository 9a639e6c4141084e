import IAMCatalog
import IAMPolicy

/// A condition entry as an opaque atom: two statements share an atom when they carry the same operator,
/// key (case-insensitively) and set of values.
struct ConditionAtom: Hashable, Comparable {
    var operatorName: String
    var key: String
    var values: [String]

    init(_ condition: Condition) {
        operatorName = condition.operator.name
        key = condition.key.lowercased()
        values = condition.values.sorted()
    }

    static func < (a: ConditionAtom, b: ConditionAtom) -> Bool {
        (a.operatorName, a.key, a.values.joined(separator: "\u{1}"))
            < (b.operatorName, b.key, b.values.joined(separator: "\u{1}"))
    }
}

/// One statement of one side, compiled for comparison: its actions as a set over the catalog, its
/// resources as a glob language, its conditions as atom indexes.
struct ComparedStatement {
    var policy: String
    var index: Int
    var sid: String?
    var effect: Effect
    var actions: ActionSet
    var resources: GlobSet
    /// Indexes into the comparison's atom table; the statement applies in a world where all hold.
    var atoms: [Int]

    func applies(in world: World) -> Bool { atoms.allSatisfy { world.holds($0) } }
}

/// A truth assignment to the condition atoms of a comparison.
struct World: Hashable {
    var trueAtoms: UInt64

    static let none = World(trueAtoms: 0)

    static func all(_ count: Int) -> World {
        World(trueAtoms: count >= 64 ? .max : (UInt64(1) << UInt64(count)) &- 1)
    }

    func holds(_ atom: Int) -> Bool { atom < 64 && trueAtoms & (UInt64(1) << UInt64(atom)) != 0 }
}

/// Both sides of a comparison, compiled against one catalog and one atom table.
struct ComparedPolicies {
    var before: [ComparedStatement]
    var after: [ComparedStatement]
    var atomCount: Int

    init(before: [NamedPolicy], after: [NamedPolicy], catalog: ActionCatalog) {
        var atoms: [ConditionAtom: Int] = [:]
        let allAtoms = Set(
            (before + after).flatMap { $0.document.statements.flatMap(\.conditions) }.map(ConditionAtom.init))
        for (i, atom) in allAtoms.sorted().enumerated() { atoms[atom] = i }
        atomCount = atoms.count
        func compile(_ policies: [NamedPolicy]) -> [ComparedStatement] {
            policies.flatMap { policy in
                policy.document.statements.enumerated().map { index, statement in
                    let actions: ActionSet
                    switch statement.action {
                    case .action(let patterns): actions = catalog.expand(patterns)
                    case .notAction(let patterns): actions = catalog.expand(notAction: patterns)
                    }
                    let resources: GlobSet
                    switch statement.resource {
                    case nil: resources = .all
                    case .resource(let patterns)?: resources = GlobSet.union(patterns.map { .pattern($0) })
                    case .notResource(let patterns)?:
                        resources = .complement(.union(patterns.map { .pattern($0) }))
                    }
                    return ComparedStatement(
                        policy: policy.name, index: index, sid: statement.sid, effect: statement.effect,
                        actions: actions, resources: resources,
                        atoms: statement.conditions.compactMap { atoms[ConditionAtom($0)] }.sorted())
                }
            }
        }
        self.before = compile(before)
        self.after = compile(after)
    }

    /// Action names in `policies` that the catalog does not know (they cannot be compared).
    static func unknownActions(in policies: [NamedPolicy], catalog: ActionCatalog) -> [UnknownAction] {
        var unknown = Set<UnknownAction>()
        for policy in policies {
            for statement in policy.document.statements {
                switch statement.action {
                case .action(let patterns), .notAction(let patterns):
                    unknown.formUnion(catalog.unknownActions(in: patterns))
                }
            }
        }
        return unknown.sorted { $0.pattern < $1.pattern }
    }
}
