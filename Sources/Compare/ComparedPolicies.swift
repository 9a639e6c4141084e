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
    enum Side { case before, after }

    var side: Side
    var policy: String
    var index: Int
    var sid: String?
    var effect: Effect
    var actions: ActionSet
    /// The `Action`/`NotAction` as written (unknown actions match nothing in ``actions``).
    var written: Statement.ActionElement
    var resources: GlobSet
    /// Indexes into the comparison's atom table; the statement applies in a world where all hold.
    var atoms: [Int]

    func applies(in world: World) -> Bool { atoms.allSatisfy { world.holds($0) } }

    /// Whether `self` can bear on the grant of `other`: they share an action and, when `self` carries
    /// conditions (whose atoms would otherwise join the enumeration), may share a resource.
    func mayMeet(_ other: ComparedStatement) -> Bool {
        guard !actions.isDisjoint(with: other.actions) else { return false }
        return atoms.isEmpty || mayShareResources(with: other)
    }

    /// Whether `self` and `other` may share a resource.
    func mayShareResources(with other: ComparedStatement) -> Bool {
        let shared = GlobSet.intersection([resources, other.resources])
        return shared.witness(notIn: .empty, stateBudget: 5_000, readable: false) != .contained
    }

    /// Whether `self` is written over `action` (a name or pattern the catalog may not know): an `Action`
    /// pattern covers it, or no `NotAction` pattern meets it.
    func writtenOver(_ action: String) -> Bool {
        let glob = GlobSet.pattern(action)
        switch written {
        case .action(let patterns):
            return glob.witness(notIn: .union(patterns.map { .pattern($0) }), caseInsensitive: true) == .contained
        case .notAction(let patterns):
            let shared = GlobSet.intersection([glob, .union(patterns.map { .pattern($0) })])
            return shared.witness(notIn: .empty, caseInsensitive: true) == .contained
        }
    }

    /// Whether `self` is written over some of `action`: an `Action` pattern covers it, or its `NotAction`
    /// patterns leave some of it out.
    func writtenOverSome(_ action: String) -> Bool {
        guard case .notAction(let patterns) = written else { return writtenOver(action) }
        let glob = GlobSet.pattern(action)
        return glob.witness(notIn: .union(patterns.map { .pattern($0) }), caseInsensitive: true) != .contained
    }

    /// Whether `self`, an Allow, allows `action` as written wherever `other` allows it: written over it, with
    /// no condition entry `other` lacks and resources covering `other`'s.
    func writtenToAllow(_ action: String, wherever other: ComparedStatement) -> Bool {
        writtenOver(action) && Set(atoms).isSubset(of: other.atoms)
            && coversResources(of: other)
    }

    /// Whether `self`'s resources cover `other`'s (`false` when that cannot be decided cheaply).
    func coversResources(of other: ComparedStatement) -> Bool {
        other.resources == resources
            || other.resources.witness(notIn: resources, stateBudget: 5_000, readable: false) == .contained
    }

    /// Whether `self` applies wherever `other` does (its conditions are a subset) and covers `other`'s
    /// actions among `actions` and its resources within `scope`.
    func repeats(_ other: ComparedStatement, within actions: ActionSet, on scope: GlobSet = .all) -> Bool {
        guard Set(self.atoms).isSubset(of: other.atoms), other.actions.intersection(actions).isSubset(of: self.actions)
        else { return false }
        if coversResources(of: other) { return true }
        guard scope != .all else { return false }
        let shared = GlobSet.intersection([other.resources, scope])
        return shared.witness(notIn: resources, stateBudget: 5_000, readable: false) == .contained
    }
}

/// A truth assignment to the condition atoms of a comparison: any number of atoms (a policy may carry
/// hundreds of condition entries; an atom past a fixed width must not read as "never holds").
struct World: Hashable {
    /// Bit `i % 64` of word `i / 64` is set when atom `i` holds; no trailing zero words, so equal
    /// assignments are equal values.
    private var words: [UInt64]

    private init(words: [UInt64]) {
        var words = words
        while words.last == 0 { words.removeLast() }
        self.words = words
    }

    init(trueAtoms atoms: [Int]) {
        var words = [UInt64](repeating: 0, count: (atoms.max() ?? -1) / 64 + 1)
        for atom in atoms { words[atom / 64] |= UInt64(1) << UInt64(atom % 64) }
        self.init(words: words)
    }

    func holds(_ atom: Int) -> Bool {
        let word = atom / 64
        return word < words.count && words[word] & (UInt64(1) << UInt64(atom % 64)) != 0
    }
}

/// Both sides of a comparison, compiled against one catalog and one atom table.
struct ComparedPolicies {
    var before: [ComparedStatement]
    var after: [ComparedStatement]
    /// The condition key (lowercased) of each atom.
    var atomKeys: [String]

    /// A side's `boundary` (a permissions boundary) caps its Allows: each Allow is compiled as its
    /// intersection with each of the boundary's Allows, and the boundary's Denies join the side's.
    init(
        before: [NamedPolicy], after: [NamedPolicy], catalog: ActionCatalog, beforeBoundary: NamedPolicy? = nil,
        afterBoundary: NamedPolicy? = nil
    ) {
        // Variables mean the same on both sides only once both are read as `2012-10-17`.
        func current(_ policy: NamedPolicy) -> NamedPolicy {
            NamedPolicy(name: policy.name, document: policy.document.inCurrentVersion)
        }
        let before = before.map(current)
        let after = after.map(current)
        let boundaries = [beforeBoundary.map(current), afterBoundary.map(current)]
        var atoms: [ConditionAtom: Int] = [:]
        let allAtoms = Set(
            (before + after + boundaries.compactMap { $0 }).flatMap { $0.document.statements.flatMap(\.conditions) }
                .map(ConditionAtom.init))
        let sortedAtoms = allAtoms.sorted()
        for (i, atom) in sortedAtoms.enumerated() { atoms[atom] = i }
        atomKeys = sortedAtoms.map(\.key)
        func compile(_ policies: [NamedPolicy], _ side: ComparedStatement.Side) -> [ComparedStatement] {
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
                        side: side, policy: policy.name, index: index, sid: statement.sid, effect: statement.effect,
                        actions: actions, written: statement.action, resources: resources,
                        atoms: statement.conditions.compactMap { atoms[ConditionAtom($0)] }.sorted())
                }
            }
        }
        func capped(_ side: ComparedStatement.Side, _ policies: [NamedPolicy], by boundary: NamedPolicy?)
            -> [ComparedStatement]
        {
            let statements = compile(policies, side)
            guard let boundary else { return statements }
            let caps = compile([boundary], side)
            let allows = statements.filter { $0.effect == .allow }.flatMap { statement in
                // An Allow of unknown actions only stays as it is, for the unknown-action check.
                if statement.actions.isEmpty { return [statement] }
                return caps.filter { $0.effect == .allow }.compactMap { cap -> ComparedStatement? in
                    var both = statement
                    both.actions = statement.actions.intersection(cap.actions)
                    if both.actions.isEmpty { return nil }
                    if cap.resources != .all { both.resources = .intersection([statement.resources, cap.resources]) }
                    both.atoms = Array(Set(statement.atoms + cap.atoms)).sorted()
                    return both
                }
            }
            return allows + statements.filter { $0.effect == .deny } + caps.filter { $0.effect == .deny }
        }
        self.before = capped(.before, before, by: boundaries[0])
        self.after = capped(.after, after, by: boundaries[1])
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
