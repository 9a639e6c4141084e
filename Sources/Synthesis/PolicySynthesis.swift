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
/// (``SynthesisOptions/ResourceScope``) → keep what the current policies grant, with the granting
/// statement's conditions → group into statements → compare against the current policies, narrowing
/// (generalized → observed → left out) every action the comparison flags until it passes → split to the
/// size limit → replay.
public enum PolicySynthesis {
    public static func synthesize(
        _ input: SynthesisInput, catalog: ActionCatalog, options: SynthesisOptions = SynthesisOptions()
    ) throws(SynthesisError) -> SynthesisResult {
        guard !input.used.isEmpty else { throw emptyError(input) }
        let scoping = ResourceScoping(input: input, catalog: catalog, options: options)
        let evaluator = input.current?.evaluator
        var outcomes: [ActionOutcome] = []
        var candidates: [(id: ActionID, index: Int, levels: [[String]])] = []
        for used in input.used.sorted(by: { $0.usage.action < $1.usage.action }) {
            let events = used.events.sorted { ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName) }
            guard let id = catalog.action(named: used.usage.action) else {
                outcomes.append(
                    ActionOutcome(
                        usage: used.usage, events: events, status: .unknownAction, resources: [], conditions: [],
                        observed: [], folded: [],
                        ungranted: [], observedComplete: used.resources.complete, scope: "",
                        notes: ["left out: `\(used.usage.action)` is not in the action catalog"]))
                continue
            }
            var usage = used.usage
            usage.action = catalog.name(of: id)
            let scoped = scoping.scope(id, used)
            var outcome = ActionOutcome(
                usage: usage, events: events, status: .included, resources: scoped.resources, conditions: [],
                observed: scoped.observed, folded: scoped.observed.filter(scoped.folded.contains), ungranted: [],
                observedComplete: used.resources.complete,
                scope: scoped.scope,
                notes: scoped.notes)
            // The ladder of resource elements to fall back along when the comparison flags the action.
            var levels = [scoped.resources]
            if let current = input.current, let evaluator {
                let grant = CurrentGrant(
                    action: usage.action, targets: scoped.observed, current: current, evaluator: evaluator)
                guard grant.granted else {
                    outcome.status = .notGranted
                    outcome.resources = []
                    outcome.notes.append("left out: used but not granted by the current policies")
                    outcomes.append(outcome)
                    continue
                }
                outcome.conditions = grant.conditions
                outcome.ungranted = scoped.observed.filter { !grant.grantedTargets.contains($0) }
                if !outcome.ungranted.isEmpty {
                    outcome.notes.append(
                        "\(outcome.ungranted.count) of \(scoped.observed.count) observed resources are not granted by the"
                            + " current policies: left out")
                }
                if !grant.conditions.isEmpty {
                    outcome.notes.append("granted under conditions today: the conditions are carried")
                }
                let observedLevel = grant.grantedTargets.sorted().map {
                    PathGeneralizer.resource($0, folded: scoped.folded.contains($0))
                }
                if !scoped.observed.isEmpty, observedLevel != levels[0] { levels.append(observedLevel) }
            }
            candidates.append((id, outcomes.count, levels))
            outcomes.append(outcome)
        }

        // Never broaden: compare against the current policies and narrow what the comparison flags.
        var level = [Int](repeating: 0, count: candidates.count)
        var neverBroadens: Bool?
        var built = StatementBuilder(catalog: catalog, wildcards: options.wildcards)
            .statements(grants(candidates, level, outcomes))
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
            for round in 0...3 {
                let result = AccessComparison.compare(
                    before: currentAllows,
                    after: [NamedPolicy(name: "new", document: PolicyDocument(statements: built.map(\.statement)))],
                    catalog: catalog)
                if result.passed {
                    passed = true
                    break
                }
                if round == 3 { break }
                var flagged = ActionSet()
                for reason in result.reasons where built.indices.contains(reason.statementIndex) {
                    flagged.formUnion(catalog.expand(reason.actions).intersection(built[reason.statementIndex].actions))
                }
                for (position, candidate) in candidates.enumerated() where flagged.contains(candidate.id) {
                    level[position] += 1
                    if level[position] >= candidate.levels.count {
                        outcomes[candidate.index].status = .notProvable
                        outcomes[candidate.index].notes.append(
                            "left out: no scope of it could be proven within the current grants")
                    } else {
                        outcomes[candidate.index].notes.append(
                            "narrowed to the observed resources: the broader scope is not granted today")
                        outcomes[candidate.index].scope = "observed"
                    }
                }
                built = StatementBuilder(catalog: catalog, wildcards: options.wildcards)
                    .statements(grants(candidates, level, outcomes))
            }
            neverBroadens = passed
        }
        for (position, candidate) in candidates.enumerated() {
            if outcomes[candidate.index].status == .included {
                outcomes[candidate.index].resources = candidate.levels[level[position]]
            } else {
                outcomes[candidate.index].resources = []
            }
        }
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
        if !carried.isEmpty {
            warnings.append(
                "\(carried.count) deny statement\(carried.count == 1 ? "" : "s") of the current policies carried over")
        }
        if neverBroadens == false {
            warnings.append("the comparison with the current policies still fails after narrowing: review the diff")
        }
        let summary = input.current.map {
            AccessSummary.build(current: $0, new: documents, used: input.used.count, catalog: catalog)
        }
        return SynthesisResult(
            principal: input.principal, window: input.window, policies: policies, actions: outcomes,
            denied: input.denied, verification: Replay.verify(outcomes, policies: policies), summary: summary,
            bounded: input.current != nil, neverBroadens: neverBroadens, warnings: warnings)
    }

    private static func grants(
        _ candidates: [(id: ActionID, index: Int, levels: [[String]])], _ level: [Int], _ outcomes: [ActionOutcome]
    ) -> [Grant] {
        candidates.enumerated().compactMap { position, candidate in
            guard level[position] < candidate.levels.count else { return nil }
            return Grant(
                action: candidate.id, resources: candidate.levels[level[position]],
                conditions: outcomes[candidate.index].conditions)
        }
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
