import Foundation
import IAMCatalog
import IAMPolicy

/// The actions and resources that must not be granted (`pare diff --not-granted FILE`), in the sense of
/// Access Analyzer's `CheckAccessNotGranted`: one entry per line, an action (`s3:GetObject`, patterns
/// allowed) or a resource ARN (`arn:…`, `*` and `?` allowed); blank lines and lines starting with `#` are
/// ignored.
///
/// With only actions, AFTER fails when it allows any of them on any resource; with only resources, when
/// it allows any action on any of them; with both, when it allows a listed action on a listed resource.
public struct AccessList: Sendable, Hashable {
    public var actions: [String]
    public var resources: [String]

    public init(actions: [String], resources: [String]) {
        self.actions = actions
        self.resources = resources
    }

    /// Parses the file format; `source` names the file in errors. Every action must be known to `catalog`
    /// (a typo would silently disable its check): an unknown one is an error with a did-you-mean hint.
    public init(parsing text: String, source: String, catalog: ActionCatalog) throws(AccessListError) {
        var actions: [String] = []
        var resources: [String] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
            if line.isEmpty || line.hasPrefix("#") { continue }
            func failure(_ detail: String) -> AccessListError {
                AccessListError(message: "`\(source)`: line \(number + 1): \(detail)")
            }
            let shown = (line.count > 80 ? String(line.prefix(80)) + "…" : line).oneLine
            guard !line.contains(where: \.isWhitespace) else {
                throw failure("expected one action or ARN, found `\(shown)`")
            }
            if line.hasPrefix("arn:") {
                guard line.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).count == 6 else {
                    throw failure("expected an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), found `\(shown)`")
                }
                resources.append(line)
            } else if line.contains(":") || line == "*" {
                if let unknown = catalog.unknownActions(in: [line]).first { throw failure(unknown.description) }
                actions.append(line)
            } else {
                throw failure("expected an action (`service:Action`) or an ARN, found `\(shown)`")
            }
        }
        guard !actions.isEmpty || !resources.isEmpty else {
            throw AccessListError(message: "`\(source)`: lists no action and no resource")
        }
        self.init(actions: actions, resources: resources)
    }
}

/// A `--not-granted` file that cannot be read.
public struct AccessListError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension AccessComparison {
    /// The statements of AFTER that allow listed access. Conditional allows count (they may grant it);
    /// only unconditional denies take access away.
    static func listedGrants(in after: [ComparedStatement], of list: AccessList, catalog: ActionCatalog)
        -> [AccessReason]
    {
        let listedActions = list.actions.isEmpty ? catalog.allActions : catalog.expand(list.actions)
        let actingOn = list.resources.map { actions(actingOn: $0, catalog: catalog) }
        let denies = after.filter { $0.effect == .deny && $0.atoms.isEmpty }
        var reasons: [AccessReason] = []
        for statement in after where statement.effect == .allow {
            let actions = statement.actions.intersection(listedActions)
            if actions.isEmpty { continue }
            let relevant = denies.filter { !$0.actions.isDisjoint(with: actions) }
            var hits: [(witness: String?, actions: ActionSet)] = []
            for (members, subset) in partition(actions, by: relevant) {
                let denied = zip(relevant, members).filter(\.1).map(\.0.resources)
                let allowed = denied.isEmpty ? statement.resources : statement.resources.subtracting(.union(denied))
                if list.resources.isEmpty {
                    switch allowed.witness(notIn: .empty) {
                    case .contained: continue
                    case .witness(let w): hits.append((w.isEmpty ? nil : w, subset))
                    case .undecided: hits.append((nil, subset))
                    }
                } else {
                    // A listed resource may be a pattern (`arn:aws:s3:::prod-*`): any ARN it shares with the grant.
                    for (resource, acting) in zip(list.resources, actingOn) {
                        let listed = subset.intersection(acting)
                        if listed.isEmpty { continue }
                        switch GlobSet.intersection([allowed, .pattern(resource)]).witness(notIn: .empty) {
                        case .contained: continue
                        case .witness(let w): hits.append((w, listed))
                        case .undecided: hits.append((resource, listed))
                        }
                    }
                }
            }
            var byWitness: [String: ActionSet] = [:]
            for hit in hits { byWitness[hit.witness ?? "", default: ActionSet()].formUnion(hit.actions) }
            for (witness, set) in byWitness {
                let names = compress(set, catalog: catalog)
                let shownWitness = witness.isEmpty ? nil : witness
                reasons.append(
                    AccessReason(
                        kind: .listedAccess,
                        description: describe(
                            .listedAccess, statement: statement, actions: names, witness: shownWitness),
                        policy: statement.policy, statementIndex: statement.index, statementId: statement.sid,
                        actions: names, witness: shownWitness))
            }
        }
        return reasons
    }

    /// The actions that can act on what `resource` (an ARN or ARN pattern) names: those with a resource type
    /// whose ARN template meets it. An action without resource types acts on `*` only, never on an ARN.
    static func actions(actingOn resource: String, catalog: ActionCatalog) -> ActionSet {
        var templates: [String: Bool] = [:]
        var result = ActionSet()
        let fields = resource.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        let service = fields.count > 2 && !fields[2].contains(where: { "*?$".contains($0) }) ? fields[2] : nil
        for action in catalog.allActions {
            let meets = catalog.resourceTypes(of: action).contains { type in
                let template = type.resourceType.arnTemplate
                if let known = templates[template] { return known }
                // Most templates name another service: no search needed.
                if let service, type.resourceType.service != service {
                    templates[template] = false
                    return false
                }
                // `${Partition}`, `${Region}`, `${BucketName}`…: any text.
                var glob = ""
                var rest = Substring(template)
                while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                    glob += rest[..<open.lowerBound] + "*"
                    rest = rest[rest.index(after: close)...]
                }
                glob += rest
                let shared = GlobSet.intersection([.pattern(glob), .pattern(resource)])
                let known = shared.witness(notIn: .empty, readable: false) != .contained
                templates[template] = known
                return known
            }
            if meets { result.insert(action) }
        }
        return result
    }
}
