import Compare
import IAMCatalog
import IAMPolicy
import Timestamps
import UsageStore

/// `pare policy`: the least-privilege policy for one principal, from its usage in a window, never
/// broader than what it is granted today, proven by `pare diff`'s comparison and by replaying the
/// window's calls (DESIGN.md "Synthesis").
///
/// The pipeline: resolve every used action in the catalog → scope its resources
/// (``SynthesisOptions/ResourceScope``) → keep what the current policies grant, once per condition block of
/// the granting statements, each with the resources it grants → group into statements → compare against
/// the current policies, narrowing (generalized → observed → left out) every action and block the
/// comparison flags until it passes → split to the size limit → replay.
public enum PolicySynthesis {
    /// One used action under one condition block of today's grants, with the ladder of resource elements to
    /// fall back along when the comparison flags it.
    private struct Candidate {
        var id: ActionID
        /// Its outcome's index.
        var index: Int
        var conditions: [Condition]
        var levels: [[String]]
        var level = 0
        /// Under `conditions`, the alternative of several (notes then name the conditions).
        var oneOfSeveral: Bool

        var alive: Bool { level < levels.count }
    }

    public static func synthesize(
        _ input: SynthesisInput, catalog: ActionCatalog, options: SynthesisOptions = SynthesisOptions()
    ) throws(SynthesisError) -> SynthesisResult {
        guard !input.used.isEmpty else { throw emptyError(input) }
        // Today's statements are carried into `2012-10-17` documents: read them in that version first.
        var input = input
        if var current = input.current {
            current.identityPolicies = current.identityPolicies.map {
                NamedPolicy(name: $0.name, document: $0.document.inCurrentVersion)
            }
            input.current = current
        }
        let scoping = ResourceScoping(input: input, catalog: catalog, options: options)
        let evaluator = input.current?.evaluator
        let identity = input.current.map { PolicyEvaluator(identityPolicies: $0.identityPolicies) }
        var outcomes: [ActionOutcome] = []
        var candidates: [Candidate] = []
        for used in input.used.sorted(by: { $0.usage.action < $1.usage.action }) {
            let events = used.events.sorted { ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName) }
            guard let id = catalog.action(named: used.usage.action) else {
                outcomes.append(
                    ActionOutcome(
                        usage: used.usage, events: events, status: .unknownAction, resources: [], grants: [],
                        observed: [], folded: [],
                        ungranted: [], observedComplete: used.resources.complete, scope: "",
                        notes: ["left out: `\(used.usage.action)` is not in the action catalog"]))
                continue
            }
            var usage = used.usage
            usage.action = catalog.name(of: id)
            let scoped = scoping.scope(id, used)
            var outcome = ActionOutcome(
                usage: usage, events: events, status: .included, resources: scoped.resources, grants: [],
                observed: scoped.observed, folded: scoped.observed.filter(scoped.folded.contains), ungranted: [],
                observedComplete: used.resources.complete,
                scope: scoped.scope,
                notes: scoped.notes)
            if let note = onlyOneOfSeveral(usage.action, events, catalog) { outcome.notes.append(note) }
            guard let current = input.current, let evaluator, let identity else {
                candidates.append(
                    Candidate(
                        id: id, index: outcomes.count, conditions: [], levels: [scoped.resources], oneOfSeveral: false))
                outcomes.append(outcome)
                continue
            }
            let grant = CurrentGrant(
                action: usage.action, targets: scoped.observed, current: current, evaluator: evaluator,
                identity: identity)
            guard grant.granted else {
                outcome.status = .notGranted
                outcome.resources = []
                outcome.notes.append("left out: used but not granted by the current policies")
                outcomes.append(outcome)
                continue
            }
            outcome.ungranted = scoped.observed.filter { !grant.grantedTargets.contains($0) }
            if !outcome.ungranted.isEmpty {
                outcome.notes.append(
                    "\(outcome.ungranted.count) of \(scoped.observed.count) observed resources are not granted by the"
                        + " current policies: left out")
            }
            let several = grant.alternatives.count > 1
            if several, grant.alternatives.contains(where: { $0.conditions.isEmpty }) {
                outcome.notes.append(
                    "granted today without conditions on some resources and under conditions on others: the"
                        + " conditions are carried where they grant")
            } else if several {
                outcome.notes.append(
                    "granted today under \(grant.alternatives.count) different conditions: each is carried with the"
                        + " resources it grants")
            } else if grant.alternatives.contains(where: { !$0.conditions.isEmpty }) {
                outcome.notes.append("granted under conditions today: the conditions are carried")
            }
            for alternative in grant.alternatives {
                // A generalized or template scope goes to the blocks that grant what it covers; the comparison
                // then decides whether the block's statements cover all of it.
                var levels = [
                    several && !scoped.observed.isEmpty
                        ? covering(scoped.resources, alternative.targets, granted: grant.grantedTargets)
                        : scoped.resources
                ]
                let observedLevel = alternative.targets.map {
                    PathGeneralizer.resource($0, folded: scoped.folded.contains($0))
                }
                if !scoped.observed.isEmpty, observedLevel != levels[0] { levels.append(observedLevel) }
                if levels[0].isEmpty { levels.removeFirst() }
                candidates.append(
                    Candidate(
                        id: id, index: outcomes.count, conditions: alternative.conditions, levels: levels,
                        oneOfSeveral: several))
            }
            outcomes.append(outcome)
        }

        // Never broaden: compare against the current policies and narrow what the comparison flags.
        var neverBroadens: Bool?
        var built = StatementBuilder(catalog: catalog, wildcards: options.wildcards).statements(grants(candidates))
        // The current Denies that concern a used action stay: they can only narrow, and a conditional one
        // (`aws:RequestedRegion`, MFA) is part of what the principal is granted today.
        let usedActions = ActionSet(candidates.map(\.id))
        let carried = (input.current?.identityPolicies ?? []).flatMap(\.document.statements).enumerated()
            .compactMap { index, statement -> Statement? in
                guard statement.effect == .deny else { return nil }
                let actions: ActionSet =
                    switch statement.action {
                    case .action(let patterns): catalog.expand(patterns)
                    case .notAction(let patterns): catalog.expand(notAction: patterns)
                    }
                guard !actions.isDisjoint(with: usedActions) else { return nil }
                var kept = statement
                kept.sid = "CurrentDeny\(index + 1)"
                return kept
            }
        if let current = input.current {
            // The new Allows are compared with today's Allows alone, not leaning on the carried Denies: an Allow
            // broader than today's that only a carried Deny cuts back would read as a wider grant (and be one
            // the day that Deny is edited). Every Deny that touches a used action is carried, so new Allows
            // within today's Allows, minus the carried Denies, are within today's access.
            let currentAllows = current.identityPolicies.map { policy in
                var allows = policy
                allows.document.statements.removeAll { $0.effect == .deny }
                return allows
            }
            var passed = false
            for round in 0...max(0, options.narrowingRounds) {
                let reasons = AccessComparison.newAccess(
                    before: currentAllows,
                    after: [NamedPolicy(name: "new", document: PolicyDocument(statements: built.map(\.statement)))],
                    catalog: catalog)
                if reasons.isEmpty {
                    passed = true
                    break
                }
                if round == options.narrowingRounds { break }
                // A statement holds one condition block: the flagged actions of each block.
                var flagged: [[Condition]: ActionSet] = [:]
                for reason in reasons where built.indices.contains(reason.statementIndex) {
                    let statement = built[reason.statementIndex]
                    flagged[statement.statement.conditions, default: ActionSet()]
                        .formUnion(catalog.expand(reason.actions).intersection(statement.actions))
                }
                for position in candidates.indices
                where candidates[position].alive
                    && flagged[candidates[position].conditions]?.contains(candidates[position].id) == true
                {
                    candidates[position].level += 1
                    let candidate = candidates[position]
                    let under = candidate.oneOfSeveral ? " " + describe(candidate.conditions) : ""
                    if candidate.alive {
                        outcomes[candidate.index].notes.append(
                            "narrowed to the observed resources\(under): the broader scope is not granted today")
                    } else if candidate.oneOfSeveral {
                        outcomes[candidate.index].notes.append(
                            "left out\(under): no scope of it could be proven within the current grants")
                    }
                }
                for candidate in candidates
                where !candidate.alive && outcomes[candidate.index].status == .included
                    && !candidates.contains(where: { $0.index == candidate.index && $0.alive })
                {
                    outcomes[candidate.index].status = .notProvable
                    outcomes[candidate.index].notes.append(
                        "left out: no scope of it could be proven within the current grants")
                }
                built = StatementBuilder(catalog: catalog, wildcards: options.wildcards).statements(grants(candidates))
            }
            neverBroadens = passed
        }
        settle(&outcomes, candidates)
        guard !built.isEmpty else {
            let names = outcomes.map(\.usage.action)
            let shown = names.prefix(5).map { "`\($0)`" }.joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            throw SynthesisError(
                "`\(input.principal)` used \(names.count) action\(names.count == 1 ? "" : "s") in the window and the"
                    + " current policies grant none of them (\(shown)): refusing to write an empty policy")
        }

        let documents = PolicySplitter.split(built.map(\.statement) + carried, limit: options.maxPolicySize)
        let name = "pare-" + (input.principal.split(separator: "/").last.map(String.init) ?? "policy")
        let policies = documents.enumerated().map { index, document in
            SynthesizedPolicy(
                name: documents.count == 1 ? name : "\(name)-\(index + 1)", document: document, size: document.awsSize)
        }
        var warnings = warnings(input, policies, options)
        let oneOfSeveral = outcomes.filter { outcome in
            outcome.status == .included && outcome.notes.contains { $0.hasPrefix(Self.oneOfSeveralNote) }
        }
        if !oneOfSeveral.isEmpty {
            let names = oneOfSeveral.map { "`\($0.usage.action)`" }.joined(separator: ", ")
            warnings.append(
                "\(names) recorded only from calls that need one or more of several actions by their content"
                    + " (DynamoDB transactions, PartiQL): review whether each is needed (--explain)")
        }
        if !carried.isEmpty {
            warnings.append(
                "\(carried.count) deny statement\(carried.count == 1 ? "" : "s") of the current policies carried over")
        }
        if neverBroadens == false {
            warnings.append(
                "the comparison with the current policies still finds new access after narrowing: the policy may"
                    + " grant more than today; do not apply it unreviewed (exit 2)")
        }
        let summary = input.current.map {
            AccessSummary.build(current: $0, new: documents, used: input.used.count, catalog: catalog)
        }
        return SynthesisResult(
            principal: input.principal, window: input.window, policies: policies, actions: outcomes,
            denied: input.denied, verification: Replay.verify(outcomes, policies: policies), summary: summary,
            bounded: input.current != nil, neverBroadens: neverBroadens, warnings: warnings)
    }

    private static func grants(_ candidates: [Candidate]) -> [Grant] {
        candidates.filter(\.alive).map {
            Grant(action: $0.id, resources: $0.levels[$0.level], conditions: $0.conditions)
        }
    }

    /// Each outcome's resources, grants and scope from where its candidates ended.
    private static let oneOfSeveralNote = "recorded from"

    /// A note when every recorded event behind `action` is one whose request needed one or more of several
    /// actions by its content (`anyOf`: DynamoDB `TransactWriteItems` → `PutItem`, `UpdateItem`, …), which
    /// ingestion records all of: the call may not have needed this one.
    private static func onlyOneOfSeveral(_ action: String, _ events: [EventUsage], _ catalog: ActionCatalog)
        -> String?
    {
        var names: [String] = []
        var candidates: [String] = []
        for event in events {
            guard event.isRecorded else { return nil }
            let resolution = catalog.resolve(eventSource: event.eventSource, eventName: event.eventName)
            let direct =
                resolution.actions.contains(action)
                || resolution.conditional.contains { $0.actions.contains(action) }
            guard !direct, resolution.anyOf.contains(action) else { return nil }
            names.append("`\(event.eventName)`")
            for candidate in resolution.anyOf where !candidates.contains(candidate) { candidates.append(candidate) }
        }
        guard !names.isEmpty else { return nil }
        return oneOfSeveralNote + " \(names.joined(separator: ", ")), which needs one or more of "
            + candidates.map { "`\($0)`" }.joined(separator: ", ")
            + " depending on the request's content: review whether this one is needed"
    }

    private static func settle(_ outcomes: inout [ActionOutcome], _ candidates: [Candidate]) {
        var byOutcome: [Int: [Candidate]] = [:]
        for candidate in candidates { byOutcome[candidate.index, default: []].append(candidate) }
        for (index, own) in byOutcome {
            let alive = own.filter(\.alive)
            guard outcomes[index].status == .included, !alive.isEmpty else {
                outcomes[index].resources = []
                outcomes[index].grants = []
                if own.contains(where: { $0.level > 0 && $0.levels.count > 1 }) { outcomes[index].scope = "observed" }
                continue
            }
            outcomes[index].grants = alive.map {
                CarriedGrant(conditions: $0.conditions, resources: $0.levels[$0.level])
            }
            outcomes[index].resources =
                alive.count == 1 ? alive[0].levels[alive[0].level] : Set(alive.flatMap { $0.levels[$0.level] }).sorted()
            let narrowed = alive.filter { $0.level > 0 }.count
            if narrowed == alive.count {
                outcomes[index].scope = "observed"
            } else if narrowed > 0 {
                let parts = Set(outcomes[index].scope.split(separator: "+").map(String.init) + ["observed"])
                outcomes[index].scope = parts.sorted().joined(separator: "+")
            }
        }
    }

    /// The patterns of `resources` that cover one of `targets`, or none of `granted` (the template of a type
    /// not observed): a generalized scope goes to the condition blocks that grant what it was made from.
    private static func covering(_ resources: [String], _ targets: [String], granted: [String]) -> [String] {
        resources.filter { pattern in
            let set = GlobSet.pattern(pattern)
            return targets.contains { set.contains($0) } || !granted.contains { set.contains($0) }
        }
    }

    /// `under `aws:SourceVpc` StringEquals `vpc-1``, `without conditions`: a condition block in notes.
    static func describe(_ conditions: [Condition]) -> String {
        guard !conditions.isEmpty else { return "without conditions" }
        return "under "
            + conditions.map { "`\($0.key)` \($0.operator) `\($0.values.joined(separator: "`, `"))`" }
            .joined(separator: " and ")
    }

    private static func warnings(_ input: SynthesisInput, _ policies: [SynthesizedPolicy], _ options: SynthesisOptions)
        -> [String]
    {
        var warnings: [String] = []
        if input.current == nil {
            warnings.append(
                "no IAM snapshot (--authorization-details): synthesized from usage alone; nothing bounds it by what"
                    + " the principal is granted today")
        }
        if input.gapDays > 0 {
            warnings.append(
                "\(input.gapDays) days of the window have no logs: actions used only on those days are missing")
        }
        if policies.count > 1 {
            warnings.append(
                "split into \(policies.count) policies to fit \(options.maxPolicySize) characters each")
        }
        for policy in policies where policy.size > options.maxPolicySize {
            warnings.append(
                "`\(policy.name)` is \(policy.size) characters, over the \(options.maxPolicySize) limit: a statement in it"
                    + " cannot be split further; AWS will refuse it as is")
        }
        if policies.count > 10 {
            warnings.append(
                "\(policies.count) policies: more than the 10 managed policies AWS lets a role or user attach by default"
            )
        }
        if let limit = SynthesisOptions.inlineLimit(for: input.principal) {
            let total = policies.map(\.size).reduce(0, +)
            if total > limit {
                warnings.append(
                    "\(total) characters in all: too large for inline policies of this principal (\(limit)); attach as"
                        + " managed policies")
            }
        }
        return warnings
    }

    private static func emptyError(_ input: SynthesisInput) -> SynthesisError {
        let window = "\(Timestamp.format(input.window.start)) to \(Timestamp.format(input.window.end))"
        if !input.denied.isEmpty {
            let attempts = input.denied.map(\.count).reduce(0, +)
            return SynthesisError(
                "`\(input.principal)` used no action successfully from \(window) (\(attempts) denied attempts):"
                    + " refusing to write an empty policy")
        }
        return SynthesisError(
            "no successful call of `\(input.principal)` from \(window): refusing to write an empty policy;"
                + " check the window (--days, --as-of) and the logs")
    }
}
