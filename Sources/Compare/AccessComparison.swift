import IAMCatalog
import IAMPolicy

/// Why a comparison failed, or what it removed: one statement's grant that the other side lacks.
public struct AccessReason: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The statement allows requests the other side denies.
        case newAccess
        /// The BEFORE statement allows requests AFTER denies (in ``ComparisonResult/removed``).
        case removedAccess
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
}

/// Compares what two sets of policies allow: "no new access" in the sense of Access Analyzer's
/// `CheckNoNewAccess`, computed offline and exactly over the catalog and the ARN glob languages.
///
/// Conditions are compared as blocks: every distinct condition entry is an atom that may be true or false,
/// a statement applies where all its entries hold, and each grant is compared in every combination of the
/// atoms of the statements that bear on it (see `worlds(for:old:denies:)`: up to ``exhaustiveAtomLimit``
/// atoms that can both widen and narrow it, a sample beyond, which reports ``AccessReason/Kind/undecided``
/// when it finds nothing). New access found with all atoms true, or granted by a statement whose every
/// condition also guards the other side's grant (it dropped conditions), is ``AccessReason/Kind/newAccess``;
/// otherwise the statement's own conditions might imply the other side's, and it is
/// ``AccessReason/Kind/conditionsDiffer`` ("possibly new: conditions differ").
public enum AccessComparison {
    /// Up to this many condition entries that can both widen and narrow a grant, every combination is checked.
    public static let exhaustiveAtomLimit = 10

    /// Compares `after` against `before`; a side's permissions boundary, when given, caps its Allows.
    public static func compare(
        before: [NamedPolicy], after: [NamedPolicy], catalog: ActionCatalog, notGranted: AccessList? = nil,
        beforeBoundary: NamedPolicy? = nil, afterBoundary: NamedPolicy? = nil
    ) -> ComparisonResult {
        let compiled = ComparedPolicies(
            before: before, after: after, catalog: catalog, beforeBoundary: beforeBoundary,
            afterBoundary: afterBoundary)
        var reasons = difference(
            from: compiled.before, to: compiled.after, atomKeys: compiled.atomKeys, catalog: catalog)
        if let notGranted {
            reasons += listedGrants(in: compiled.after, of: notGranted, catalog: catalog)
        }
        let removed = difference(
            from: compiled.after, to: compiled.before, atomKeys: compiled.atomKeys, catalog: catalog)
        return ComparisonResult(
            reasons: Array(Set(reasons)).sorted(by: order), removed: removed.sorted(by: order),
            unknownActions: ComparedPolicies.unknownActions(in: before + after, catalog: catalog))
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
            from: compiled.before, to: compiled.after, atomKeys: compiled.atomKeys, catalog: catalog, readable: false
        ).sorted(by: order)
    }

    private static func order(_ a: AccessReason, _ b: AccessReason) -> Bool {
        (a.policy, a.statementIndex, a.kind.rawValue, a.actions.first ?? "", a.witness ?? "", a.description)
            < (b.policy, b.statementIndex, b.kind.rawValue, b.actions.first ?? "", b.witness ?? "", b.description)
    }

    /// The atom combinations to check for the grant of `statement`, each with its own atoms true.
    ///
    /// Only the atoms of `related` statements (those that share actions and may share resources with it)
    /// take part. The first world has them all true (what is new there is new whatever the conditions).
    /// Whether access is new grows with the atoms of the other side's Denies and shrinks with those of its
    /// Allows and of this side's Denies, so an atom that only ever helps is set true and one that only ever
    /// hinders false; only atoms of both kinds are enumerated, every combination up to
    /// ``exhaustiveAtomLimit`` of them (`exact`), a sample beyond.
    private static func worlds(
        for statement: ComparedStatement, old: [ComparedStatement], denies: [ComparedStatement]
    ) -> (worlds: [World], exact: Bool) {
        let own = Set(statement.atoms)
        var helps = Set<Int>()
        var hinders = Set<Int>()
        for other in old {
            if other.effect == .deny { helps.formUnion(other.atoms) } else { hinders.formUnion(other.atoms) }
        }
        for deny in denies { hinders.formUnion(deny.atoms) }
        let mixed = helps.intersection(hinders).subtracting(own).sorted()
        let base = own.union(helps).subtracting(mixed)
        func world(_ extra: some Sequence<Int>) -> World { World(trueAtoms: Array(base.union(extra))) }
        var result = [World(trueAtoms: Array(own.union(helps).union(hinders)))]
        let exact = mixed.count <= exhaustiveAtomLimit
        if exact {
            result += (0..<(1 << mixed.count)).map { bits in
                world(mixed.indices.filter { bits & (1 << $0) != 0 }.map { mixed[$0] })
            }
        } else {
            result += [world(mixed), world([])]
            for other in old + denies {
                result.append(world(other.atoms.filter(mixed.contains)))
                result.append(world(mixed.filter { !other.atoms.contains($0) }))
            }
        }
        var seen = Set<World>()
        return (result.filter { seen.insert($0).inserted }, exact)
    }

    /// The grants of `new` that `old` lacks.
    private static func difference(
        from old: [ComparedStatement], to new: [ComparedStatement], atomKeys: [String], catalog: ActionCatalog,
        readable: Bool = true
    ) -> [AccessReason] {
        struct Key: Hashable {
            var statement: Int
            var witness: String?
            var cause: Cause
            /// Definite (new or removed access) and possible grants are kept apart: merged, the actions of a
            /// possible one would read as definite.
            var definite = false
        }
        var found: [Key: (kind: AccessReason.Kind, actions: ActionSet)] = [:]
        var cache: [[GlobSet]: GlobWitness] = [:]
        let newDenies = new.indices.filter { new[$0].effect == .deny }
        for (statementIndex, statement) in new.enumerated()
        where statement.effect == .allow && !statement.actions.isEmpty {
            let relatedDenies = newDenies.filter { new[$0].mayMeet(statement) }
            // An old Deny that a new one repeats (it denies at least as much of the grant's resources
            // wherever the old one holds) cannot make a grant new: leaving it out keeps its conditions out of the enumeration.
            let relatedOld = old.filter { candidate in
                candidate.mayMeet(statement)
                    && !(candidate.effect == .deny
                        && relatedDenies.contains {
                            new[$0].repeats(candidate, within: statement.actions, on: statement.resources)
                        })
            }
            let (worlds, exact) = worlds(for: statement, old: relatedOld, denies: relatedDenies.map { new[$0] })
            let inPlay = Set(statement.atoms + relatedOld.flatMap(\.atoms) + relatedDenies.flatMap { new[$0].atoms })
            var foundAny = false
            for (worldIndex, world) in worlds.enumerated() {
                let definite = worldIndex == 0
                let relevantOld = relatedOld.filter { $0.applies(in: world) }
                let relevantDenies = relatedDenies.filter { new[$0].applies(in: world) }.map { new[$0] }
                for (members, actions) in partition(statement.actions, by: relevantOld + relevantDenies) {
                    let inOld = zip(relevantOld, members).filter(\.1).map(\.0)
                    let inDenies = zip(relevantDenies, members.dropFirst(relevantOld.count)).filter(\.1).map(\.0)
                    let oldAllowed = GlobSet.union(inOld.filter { $0.effect == .allow }.map(\.resources))
                    let oldDenies = inOld.filter { $0.effect == .deny }
                    let oldDenied = GlobSet.union(oldDenies.map(\.resources))
                    let lhs =
                        inDenies.isEmpty
                        ? statement.resources : statement.resources.subtracting(.union(inDenies.map(\.resources)))
                    let rhs = oldDenies.isEmpty ? oldAllowed : oldAllowed.subtracting(oldDenied)
                    let answer = cache[[lhs, rhs]] ?? lhs.witness(notIn: rhs, readable: readable)
                    cache[[lhs, rhs]] = answer
                    var key: Key
                    switch answer {
                    case .contained: continue
                    case .witness(let w):
                        key = Key(statement: statementIndex, witness: w.isEmpty ? nil : w, cause: .none)
                    case .undecided: key = Key(statement: statementIndex, witness: nil, cause: .resources)
                    }
                    foundAny = true
                    var kind: AccessReason.Kind
                    if key.cause != .none {
                        kind = .undecided
                    } else if let deny = changedDeny(
                        blocking: answer, allowed: oldAllowed, oldDenies: oldDenies, actions: actions,
                        candidates: relatedDenies.filter { !new[$0].applies(in: world) }, in: new)
                    {
                        // New only because the other side's conditional Deny holds here and this side's does
                        // not: the Denies' conditions differ, and this side's may deny the same requests.
                        key.statement = deny
                        kind = .conditionsDiffer
                    } else {
                        // Definite when found with every condition true, or when the statement's own conditions
                        // all appear on the other side (it only dropped some) and no entry false here is on a
                        // key of one true here (`Bool` implies `BoolIfExists` on the same key): otherwise its
                        // conditions might imply the other side's, and the access is only possibly new.
                        let ownConditionsKnown = statement.atoms.allSatisfy { atom in
                            old.contains {
                                $0.effect == .allow && $0.atoms.contains(atom) && !$0.actions.isDisjoint(with: actions)
                            }
                        }
                        let trueKeys = Set(inPlay.filter { world.holds($0) }.map { atomKeys[$0] })
                        let keysApart = inPlay.allSatisfy { world.holds($0) || !trueKeys.contains(atomKeys[$0]) }
                        kind =
                            !(definite || ownConditionsKnown && keysApart)
                            ? .conditionsDiffer : statement.side == .before ? .removedAccess : .newAccess
                    }
                    key.definite = kind == .newAccess || kind == .removedAccess
                    found[key, default: (kind, ActionSet())].actions.formUnion(actions)
                }
            }
            if !exact && !foundAny {
                found[Key(statement: statementIndex, witness: nil, cause: .conditions)] = (
                    .undecided, statement.actions
                )
            }
        }
        // Actions the catalog does not know match nothing above; one a statement allows as written may be an
        // action newer than the catalog: undecided unless an Allow of the other side allows it as written
        // (under no other condition, on resources as wide) and that side has no Deny over it that this lacks.
        let excluded = old.flatMap { statement -> [String] in
            switch (statement.effect, statement.written) {
            case (.deny, .action(let patterns)), (.allow, .notAction(let patterns)):
                return catalog.unknownActions(in: patterns).map(\.pattern)
            default: return []
            }
        }
        var unknown: [Int: [String]] = [:]
        for (statementIndex, statement) in new.enumerated() where statement.effect == .allow {
            var candidates = excluded
            if case .action(let patterns) = statement.written {
                candidates += catalog.unknownActions(in: patterns).map(\.pattern)
            }
            for pattern in Set(candidates) where statement.writtenOverSome(pattern) {
                let allowed = old.contains { $0.effect == .allow && $0.writtenToAllow(pattern, wherever: statement) }
                let denied = old.contains { deny in
                    deny.effect == .deny && deny.writtenOver(pattern) && deny.mayShareResources(with: statement)
                        && !new.contains {
                            $0.effect == .deny && $0.writtenOver(pattern)
                                && $0.repeats(deny, within: ActionSet(), on: statement.resources)
                        }
                }
                if !allowed || denied { unknown[statementIndex, default: []].append(pattern) }
            }
        }
        let unknownReasons = unknown.map { statementIndex, patterns in
            let statement = new[statementIndex]
            let names = outermost(patterns)
            return AccessReason(
                kind: .undecided,
                description: describe(
                    .undecided, statement: statement, actions: names, witness: nil, cause: .unknownActions),
                policy: statement.policy, statementIndex: statement.index, statementId: statement.sid,
                actions: names, witness: nil)
        }
        // What is definite at a witness is not also possible there.
        for (key, value) in found where !key.definite {
            var sure = key
            sure.definite = true
            guard let definite = found[sure]?.actions else { continue }
            let left = value.actions.subtracting(definite)
            found[key] = left.isEmpty ? nil : (value.kind, left)
        }
        let reasons = found.map { key, value in
            let statement = new[key.statement]
            let names = compress(value.actions, catalog: catalog)
            return AccessReason(
                kind: value.kind,
                description: describe(
                    value.kind, statement: statement, actions: names, witness: key.witness, cause: key.cause),
                policy: statement.policy, statementIndex: statement.index, statementId: statement.sid,
                actions: names, witness: key.witness)
        }
        // A statement capped by a boundary is compiled once per boundary Allow: a reason may come twice.
        return Array(Set(unknownReasons + reasons))
    }

    /// `patterns` (action names or patterns) without those another of them covers, sorted.
    private static func outermost(_ patterns: [String]) -> [String] {
        let distinct = Array(Set(patterns)).sorted()
        func covers(_ a: String, _ b: String) -> Bool {
            GlobSet.pattern(b).witness(notIn: .pattern(a), caseInsensitive: true) == .contained
        }
        // Of two that cover each other (they differ in case only), the first stays.
        return distinct.filter { b in !distinct.contains { a in a != b && covers(a, b) && (!covers(b, a) || a < b) } }
    }

    /// The Deny of this side to blame when a grant is new only because a conditional Deny of the other side
    /// holds and this side's conditional Deny over the same requests does not (and is not merely the other's
    /// with more conditions): its index in `side`, or `nil`.
    private static func changedDeny(
        blocking answer: GlobWitness, allowed: GlobSet, oldDenies: [ComparedStatement], actions: ActionSet,
        candidates: [Int], in side: [ComparedStatement]
    ) -> Int? {
        guard case .witness(let w) = answer, allowed.contains(w) else { return nil }
        let blocking = oldDenies.filter { !$0.atoms.isEmpty && $0.resources.contains(w) }
        guard !blocking.isEmpty else { return nil }
        return candidates.first { index in
            let deny = side[index]
            return !deny.actions.isDisjoint(with: actions) && deny.resources.contains(w)
                && !blocking.contains { Set(deny.atoms).isStrictSuperset(of: $0.atoms) }
        }
    }

    /// What made a reason undecided, or `none`.
    enum Cause: Hashable {
        case none
        /// The resource comparison exceeded its budget.
        case resources
        /// Too many condition entries to check every combination.
        case conditions
        /// Actions the catalog does not know.
        case unknownActions
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
        cause: Cause = .none
    ) -> String {
        let shown =
            actions.prefix(3).map { "`\($0)`" }.joined(separator: ", ")
            + (actions.count > 3 ? " and \(actions.count - 3) more" : "")
        let place = "statement \(statement.index)\(statement.sid.map { " (`\($0)`)" } ?? "") of `\(statement.policy)`"
        let on = witness.map { " on `\($0)`" } ?? " on any resource"
        // A removed grant is a BEFORE statement that AFTER lacks; everything else is an AFTER statement.
        let removed = kind == .removedAccess || statement.side == .before
        let otherSide = removed ? "AFTER" : "BEFORE"
        let possibly = removed ? "possibly no longer allowed" : "possibly new access"
        switch kind {
        case .newAccess: return "new access: \(place) allows \(shown)\(on), which \(otherSide) does not allow"
        case .removedAccess:
            return "no longer allowed: \(place) allows \(shown)\(on), which \(otherSide) does not allow"
        case .conditionsDiffer where statement.effect == .deny:
            return
                "\(possibly): conditions differ: \(place) denies \(shown)\(on) under other conditions than \(otherSide)'s Deny"
        case .conditionsDiffer:
            return
                "\(possibly): conditions differ: \(place) allows \(shown)\(on) under conditions \(otherSide) does not match"
        case .undecided where cause == .unknownActions:
            return "\(possibly): \(place) allows \(shown), unknown to the catalog and not allowed by \(otherSide)"
        case .undecided where cause == .conditions:
            return "\(possibly): \(place) allows \(shown) under too many conditions to compare exactly"
        case .undecided:
            return "\(possibly): \(place) allows \(shown) on resources too complex to compare exactly"
        case .listedAccess:
            return "access not granted: \(place) allows \(shown)\(on), which is listed as not to be granted"
        }
    }
}
