import IAMCatalog
import IAMPolicy
import UsageStore

/// The resources one used action is granted on, and the observed resources that justify them.
struct ScopedResources: Sendable, Hashable {
    /// The resource element, sorted; `["*"]` for actions without resource types (or `--resources any`).
    var resources: [String]
    /// The observed ARNs of the action's own resource types (the replay targets), sorted; a prefix the
    /// store folded appears as `prefix*`.
    var observed: [String]
    /// Of ``observed``, the folded prefixes (`prefix*`).
    var folded: Set<String> = []
    var scope: String
    var notes: [String]
}

/// Chooses resources per action (DESIGN.md "Synthesis"): observed ARNs while few, generalized at path
/// boundaries past the limit, the catalog's ARN template with the observed account and region otherwise,
/// `*` only for actions without resource types.
struct ResourceScoping {
    let catalog: ActionCatalog
    let options: SynthesisOptions
    /// `aws`, from the principal's ARN.
    let partition: String
    /// The principal's account.
    let account: String
    /// Regions with logs, for `${Region}` when nothing was observed.
    let regions: [String]
    let instanceProfileRoles: [String: [String]]?

    init(input: SynthesisInput, catalog: ActionCatalog, options: SynthesisOptions) {
        self.catalog = catalog
        self.options = options
        let arn = ARN(parsing: input.principal)
        partition = arn?.partition ?? "aws"
        account = arn?.account ?? "*"
        regions = input.regions
        instanceProfileRoles = input.current?.instanceProfileRoles
    }

    func scope(_ id: ActionID, _ used: UsedAction) -> ScopedResources {
        let actionTypes = catalog.resourceTypes(of: id)
        let compiledTypes = actionTypes.map { CompiledResourceType($0.resourceType) }
        // An ARN's type among its own service's types: the action's service, or another service one of the
        // action's types belongs to (`sts:AssumeRole` names IAM roles).
        let ownPrefix = catalog.prefix(of: id)
        var services = [ownPrefix: ServiceResourceTypes(catalog, prefix: ownPrefix)]
        for type in compiledTypes where services[type.service] == nil {
            services[type.service] = ServiceResourceTypes(catalog, prefix: type.service)
        }
        // The action's type an ARN is of: its type in its own service, matched to the action's types by ARN
        // template (kinesis calls the KMS `key` type `kmsKey`).
        func typeName(_ arn: String) -> String? {
            let fields = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count > 2, let best = services[String(fields[2])]?.type(of: arn) else { return nil }
            if compiledTypes.contains(where: { $0.type.name == best.type.name }) { return best.type.name }
            return compiledTypes.first { $0.glob == best.glob }?.type.name
        }
        var notes: [String] = []
        let arns = targets(id, used, &notes)
        // Exact ARNs and folded prefixes, by the action's resource type they belong to.
        var byType: [String: [String]] = [:]
        var foldedByType: [String: [String]] = [:]
        // Folded ARN heads (`arn:aws:s3:::`): past what the store can name, by type, as the type's template
        // filled with the head's partition, region and account when it lies under the head.
        var headFolded: [String: [String]] = [:]
        for arn in arns {
            guard let name = typeName(arn) else { continue }
            byType[name, default: []].append(arn)
        }
        for prefix in used.resources.prefixes {
            guard PathGeneralizer.headAndPath(prefix) != nil else {
                notes.append(
                    "more than \(UsageStore.resourceCoverSize) distinct resources seen "
                        + (prefix.isEmpty ? "across ARN heads" : "under `\(prefix)`")
                        + ": the store cannot name them below it")
                let fields = prefix.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 6 else {
                    // Folded above the heads (more accounts or regions than the cover holds): which accounts
                    // and regions is lost, so they are widened, and said so — never the caller's own account.
                    let partition = fields.count > 1 && !fields[1].isEmpty ? fields[1] : partition
                    for type in compiledTypes {
                        headFolded[type.type.name, default: []].append(
                            type.filled(partition: partition, region: type.hasRegion ? "*" : "", account: "*"))
                    }
                    notes.append(
                        "account and region widened to `*`: the store folded the resources of more than"
                            + " \(UsageStore.resourceCoverSize) accounts or regions")
                    continue
                }
                for type in compiledTypes {
                    // A type whose ARNs name a region or an account is never under a head without one.
                    if type.hasRegion && fields[3].isEmpty
                        || type.type.arnTemplate.contains("${Account}") && fields[4].isEmpty
                    {
                        continue
                    }
                    let template = type.filled(partition: fields[1], region: fields[3], account: fields[4])
                    if template.hasPrefix(prefix) {
                        headFolded[type.type.name, default: []].append(template)
                    }
                }
                continue
            }
            guard let name = typeName(prefix + "*") else { continue }
            foldedByType[name, default: []].append(prefix)
        }
        let folded = Set(foldedByType.values.joined().map { $0 + "*" })
        let observed = (Set(byType.values.joined()).union(folded)).sorted()
        if catalog.name(of: id) == "iam:PassRole", observed.isEmpty, options.resources != .any {
            notes.append("the logs do not name the roles passed: `iam:PassRole` is scoped to the roles of the account")
        }
        if actionTypes.isEmpty {
            return ScopedResources(resources: ["*"], observed: [], scope: "no resource types", notes: notes)
        }
        if options.resources == .any {
            return ScopedResources(resources: ["*"], observed: observed, folded: folded, scope: "any", notes: notes)
        }
        var resources: Set<String> = []
        var scopes: Set<String> = []
        for (actionType, compiled) in zip(actionTypes, compiledTypes) {
            let seen = byType[actionType.resourceType.name] ?? []
            let seenFolded = foldedByType[actionType.resourceType.name] ?? []
            let beyond = headFolded[actionType.resourceType.name] ?? []
            // Folded at or above an ARN head: the head's template (widened where the head itself is lost),
            // in both `observed` and `template` scopes — never the caller's own account by default.
            if seen.isEmpty, seenFolded.isEmpty, !beyond.isEmpty {
                resources.formUnion(beyond)
                scopes.insert("template")
                continue
            }
            if options.resources == .observed, !seen.isEmpty || !seenFolded.isEmpty,
                let patterns = PathGeneralizer.generalize(
                    seen, folded: seenFolded, limit: options.observedLimit, complete: used.resources.complete)
            {
                resources.formUnion(patterns + beyond)
                scopes.insert(
                    seenFolded.isEmpty && patterns == Set(seen).sorted().map(PathGeneralizer.literal)
                        ? "observed" : "generalized")
                let list = patterns.map { "`\($0)`" }.joined(separator: ", ")
                if !used.resources.complete {
                    notes.append(
                        "resource sample incomplete (the store kept \(seen.count) `\(actionType.resourceType.name)`"
                            + " resources of more before store v3): generalized to \(list)")
                } else if !seenFolded.isEmpty {
                    notes.append(
                        "more than \(UsageStore.resourceCoverSize) distinct resources seen: the store folded"
                            + " \(seenFolded.count == 1 ? "a prefix" : "\(seenFolded.count) prefixes") of"
                            + " `\(actionType.resourceType.name)` resources; generalized to \(list)")
                }
                continue
            }
            // Nothing (usable) observed for this type: its template when the type is required, when nothing
            // was observed for the action, or when it belongs to another service — an event does not always
            // name it (`ssm:UpdateInstanceAssociationStatus` and its EC2 instance), and stores before this
            // release kept only ARNs of the action's own service. An optional type of the same service is an
            // alternative that was not used
            // (`s3:GetObject` through an access point).
            let otherService = compiled.service != ownPrefix
            let nothingSeen = byType.isEmpty && foldedByType.isEmpty && headFolded.isEmpty
            guard
                options.resources == .template || !seen.isEmpty || actionType.required || nothingSeen || otherService
            else {
                continue
            }
            resources.formUnion(filled(compiled, seen: seen, notes: &notes) + beyond)
            scopes.insert("template")
        }
        if resources.isEmpty {
            for compiled in compiledTypes { resources.formUnion(filled(compiled, seen: [], notes: &notes)) }
            scopes.insert("template")
        }
        return ScopedResources(
            resources: resources.sorted(), observed: observed, folded: folded,
            scope: scopes.sorted().joined(separator: "+"), notes: notes)
    }

    /// The sample's ARNs; for `iam:PassRole`, an instance profile stands for the roles it carries.
    private func targets(_ id: ActionID, _ used: UsedAction, _ notes: inout [String]) -> [String] {
        guard catalog.name(of: id) == "iam:PassRole" else { return used.resources.arns }
        var result: [String] = []
        for arn in used.resources.arns {
            guard ARN(parsing: arn)?.resourceType == "instance-profile" else {
                result.append(arn)
                continue
            }
            if let roles = instanceProfileRoles?[arn], !roles.isEmpty {
                result += roles
            } else {
                notes.append(
                    "the role of instance profile `\(arn)` is not in the snapshot: `iam:PassRole` not scoped to it")
            }
        }
        return result
    }

    /// The template filled with the accounts and regions of `seen` (the principal's account and the
    /// regions with logs when nothing was seen); a region left open is said so.
    private func filled(_ type: CompiledResourceType, seen: [String], notes: inout [String]) -> [String] {
        let parsed = seen.compactMap { ARN(parsing: $0) }
        let accounts = parsed.isEmpty ? [account] : Set(parsed.map(\.account)).sorted()
        var regionList = parsed.isEmpty ? regions : Set(parsed.map(\.region)).sorted()
        if type.hasRegion, regionList.isEmpty {
            regionList = ["*"]
            notes.append("region widened to `*` for `\(type.type.name)`: no region with logs")
        }
        if !type.hasRegion { regionList = [""] }
        var result: [String] = []
        for account in accounts {
            for region in regionList {
                result.append(type.filled(partition: partition, region: region, account: account))
            }
        }
        for arn in result where ARN(parsing: arn).map({ $0.account.contains("*") }) == true {
            notes.append(
                "account left open in `\(arn)`: the catalog's template names another account than the caller's")
        }
        return result
    }
}
