import IAMCatalog
import IAMPolicy

/// Why a comparison failed, or what it removed: one statement's grant that the other side lacks.
public struct AccessReason: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The statement allows requests the other side denies.
        case newAccess
        /// The statement allows requests the other side allows only under other conditions.
        case conditionsDiffer
        /// The resource comparison exceeded its budget; treated as possibly new.
        case undecided
        /// The statement grants an action or resource listed in `--not-granted`.
        case listedAccess
    }

    public var kind: Kind
    /// One line for people.
    public var description: String
    /// The name of the policy holding the statement (its file, or `principal: policy` for snapshots).
    public var policy: String
    /// The statement's 0-based index in its policy.
    public var statementIndex: Int
    public var statementId: String?
    /// The actions concerned, sorted; a whole service is written `prefix:*`, the whole catalog `*`.
    public var actions: [String]
    /// A resource ARN the statement allows and the other side does not (or the listed resource).
    public var witness: String?
}

/// The outcome of `pare diff`.
public struct ComparisonResult: Sendable, Hashable {
    /// `true` when AFTER grants nothing new (and nothing listed as not to be granted).
    public var passed: Bool { reasons.isEmpty }
    /// New grants of AFTER, sorted by policy, statement, kind, actions.
    public var reasons: [AccessReason]
    /// Grants of BEFORE that AFTER no longer has (information only).
    public var removed: [AccessReason]
    /// Action names the catalog does not know: they match nothing and could not be compared.
    public var unknownActions: [UnknownAction]
    /// Whether the condition combinations were sampled rather than enumerated (more than
    /// ``AccessComparison/exhaustiveAtomLimit`` distinct condition entries).
    public var sampledConditions: Bool
}

/// Compares what two sets of policies allow: "no new access" in the sense of Access Analyzer's
/// `CheckNoNewAccess`, computed offline and exactly over the catalog and the ARN glob languages.
///
/// Conditions are compared as blocks: every distinct condition entry is an atom that may be true or false,
/// a statement applies where all its entries hold, and the sides are compared in every combination of
/// atoms (all of them up to ``exhaustiveAtomLimit`` atoms, a sample beyond). New access found with all
/// atoms true, or granted by a statement whose every condition also guards the other side's grant (it
/// dropped conditions), is ``AccessReason/Kind/newAccess``; otherwise the statement's own conditions might
/// imply the other side's, and it is ``AccessReason/Kind/conditionsDiffer`` ("possibly new: conditions
/// differ").
public enum AccessComparison {
    /// Up to this many distinct condition entries every combination is checked.
    public static let exhaustiveAtomLimit = 10

    /// Compares `after` against `before`.
    public static func compare(
        before: [NamedPolicy], after: [NamedPolicy], catalog: ActionCatalog, notGranted: AccessList? = nil
    ) -> ComparisonResult {
        let compiled = ComparedPolicies(before: before, after: after, catalog: catalog)
        let worlds = worlds(compiled)
        var reasons = difference(
            from: compiled.before, to: compiled.after, worlds: worlds, catalog: catalog, otherSide: "BEFORE")
        if let notGranted {
            reasons += listedGrants(in: compiled.after, of: notGranted, catalog: catalog)
        }
        let removed = difference(
            from: compiled.after, to: compiled.before, worlds: worlds, catalog: catalog, otherSide: "AFTER")
        return ComparisonResult(
            reasons: reasons.sorted(by: order), removed: removed.sorted(by: order),
            unknownActions: ComparedPolicies.unknownActions(in: before + after, catalog: catalog),
            sampledConditions: compiled.atomCount > exhaustiveAtomLimit)
    }

    /// The new grants of `after`: the statements and actions of ``ComparisonResult/reasons`` (without a
    /// `--not-granted` list), sorted, without working out the removed access, the unknown actions or readable
    /// witnesses (a witness is a shortest string, not always the one `pare diff` prints): all that
    /// `pare policy`'s never-broaden check asks.
    public static func newAccess(before: [NamedPolicy], after: [NamedPolicy], catalog: ActionCatalog)
        -> [AccessReason]
    {
        let compiled = ComparedPolicies(before: before, after: after, catalog: catalog)
        return difference(
            from: compiled.before, to: compiled.after, worlds: worlds(compiled), catalog: catalog, otherSide: "BEFORE",
            readable: false
        ).sorted(by: order)
    }

    private static func order(_ a: AccessReason, _ b: AccessReason) -> Bool {
        (a.policy, a.statementIndex, a.kind.rawValue, a.actions.first ?? "", a.witness ?? "")
            < (b.policy, b.statementIndex, b.kind.rawValue, b.actions.first ?? "", b.witness ?? "")
    }

    /// The atom combinations to check, all atoms true first (what is new there is new whatever the
    /// conditions), then none.
    private static func worlds(_ compiled: ComparedPolicies) -> [World] {
        let count = compiled.atomCount
        var result = [World.all(count), World.none]
        if count <= exhaustiveAtomLimit {
            result += (1..<max(1, (1 << count) - 1)).map { World(bits: UInt64($0)) }
        } else {
            for statement in compiled.before + compiled.after {
                let own = World(trueAtoms: statement.atoms)
                result.append(own)
                result.append(own.complement(within: count))
            }
        }
        var seen = Set<World>()
        return result.filter { seen.insert($0).inserted }
    }

    /// The grants of `new` that `old` lacks.
    private static func difference(
        from old: [ComparedStatement], to new: [ComparedStatement], worlds: [World], catalog: ActionCatalog,
        otherSide: String, readable: Bool = true
    ) -> [AccessReason] {
        struct Key: Hashable {
            var statement: Int
            var witness: String?
            var undecided: Bool
        }
        var found: [Key: (kind: AccessReason.Kind, actions: ActionSet)] = [:]
        var cache: [[GlobSet]: GlobWitness] = [:]
        for (worldIndex, world) in worlds.enumerated() {
            let definite = worldIndex == 0
            let oldApplying = old.filter { $0.applies(in: world) }
            let newDenies = new.filter { $0.effect == .deny && $0.applies(in: world) }
            for (statementIndex, statement) in new.enumerated()
            where statement.effect == .allow && statement.applies(in: world) && !statement.actions.isEmpty {
                let relevantOld = oldApplying.filter { !$0.actions.isDisjoint(with: statement.actions) }
                let relevantDenies = newDenies.filter { !$0.actions.isDisjoint(with: statement.actions) }
                for (members, actions) in partition(statement.actions, by: relevantOld + relevantDenies) {
                    let inOld = zip(relevantOld, members).filter(\.1).map(\.0)
                    let inDenies = zip(relevantDenies, members.dropFirst(relevantOld.count)).filter(\.1).map(\.0)
                    let oldAllowed = GlobSet.union(inOld.filter { $0.effect == .allow }.map(\.resources))
                    let oldDenied = GlobSet.union(inOld.filter { $0.effect == .deny }.map(\.resources))
                    let lhs =
                        inDenies.isEmpty
                        ? statement.resources : statement.resources.subtracting(.union(inDenies.map(\.resources)))
                    let rhs = oldDenied == .union([]) ? oldAllowed : oldAllowed.subtracting(oldDenied)
                    let answer = cache[[lhs, rhs]] ?? lhs.witness(notIn: rhs, readable: readable)
                    cache[[lhs, rhs]] = answer
                    let key: Key
                    switch answer {
                    case .contained: continue
                    case .witness(let w):
                        key = Key(statement: statementIndex, witness: w.isEmpty ? nil : w, undecided: false)
                    case .undecided: key = Key(statement: statementIndex, witness: nil, undecided: true)
                    }
                    // Definite when found with every condition true, or when the statement's own conditions
                    // all appear on the other side (it only dropped some): otherwise its conditions might
                    // imply the other side's, and the access is only possibly new.
                    let ownConditionsKnown = statement.atoms.allSatisfy { atom in
                        old.contains {
                            $0.effect == .allow && $0.atoms.contains(atom) && !$0.actions.isDisjoint(with: actions)
                        }
                    }
                    let kind: AccessReason.Kind =
                        key.undecided ? .undecided : (definite || ownConditionsKnown) ? .newAccess : .conditionsDiffer
                    if var entry = found[key] {
                        entry.actions.formUnion(actions)
                        if kind == .newAccess { entry.kind = .newAccess }
                        found[key] = entry
                    } else {
                        found[key] = (kind, actions)
                    }
                }
            }
        }
        return found.map { key, value in
            let statement = new[key.statement]
            let names = compress(value.actions, catalog: catalog)
            return AccessReason(
                kind: value.kind,
                description: describe(
                    value.kind, statement: statement, actions: names, witness: key.witness, otherSide: otherSide),
                policy: statement.policy, statementIndex: statement.index, statementId: statement.sid,
                actions: names, witness: key.witness)
        }
    }

    /// Splits `actions` into classes of actions contained in exactly the same statements of `statements`,
    /// in the order of each class's first action.
    static func partition(_ actions: ActionSet, by statements: [ComparedStatement]) -> [([Bool], ActionSet)] {
        var classes: [[Bool]: ActionSet] = [:]
        var order: [[Bool]] = []
        for action in actions {
            let members = statements.map { $0.actions.contains(action) }
            if classes[members] == nil { order.append(members) }
            classes[members, default: ActionSet()].insert(action)
        }
        return order.map { ($0, classes[$0] ?? ActionSet()) }
    }

    /// Action names for people: the whole catalog as `*`, a whole service as `prefix:*`.
    static func compress(_ set: ActionSet, catalog: ActionCatalog) -> [String] {
        if set == catalog.allActions { return ["*"] }
        var names: [String] = []
        var byPrefix: [String: ActionSet] = [:]
        for action in set { byPrefix[catalog.prefix(of: action), default: ActionSet()].insert(action) }
        for (prefix, actions) in byPrefix {
            if actions == catalog.actions(prefix: prefix) {
                names.append("\(prefix):*")
            } else {
                names += catalog.names(of: actions)
            }
        }
        return names.sorted()
    }

    static func describe(
        _ kind: AccessReason.Kind, statement: ComparedStatement, actions: [String], witness: String?,
        otherSide: String = "BEFORE"
    ) -> String {
        let shown =
            actions.prefix(3).map { "`\($0)`" }.joined(separator: ", ")
            + (actions.count > 3 ? " and \(actions.count - 3) more" : "")
        let place = "statement \(statement.index)\(statement.sid.map { " (`\($0)`)" } ?? "") of `\(statement.policy)`"
        let on = witness.map { " on `\($0)`" } ?? " on any resource"
        switch kind {
        case .newAccess: return "new access: \(place) allows \(shown)\(on), which \(otherSide) does not allow"
        case .conditionsDiffer:
            return
                "possibly new access: conditions differ: \(place) allows \(shown)\(on) under conditions \(otherSide) does not match"
        case .undecided:
            return "possibly new access: \(place) allows \(shown) on resources too complex to compare exactly"
        case .listedAccess:
            return "access not granted: \(place) allows \(shown)\(on), which is listed as not to be granted"
        }
    }
}
