import IAMCatalog
import IAMPolicy

/// The resources one used action is granted on, and the observed resources that justify them.
struct ScopedResources: Sendable, Hashable {
    /// The resource element, sorted; `["*"]` for actions without resource types (or `--resources any`).
    var resources: [String]
    /// The observed ARNs of the action's own resource types (the replay targets), sorted.
    var observed: [String]
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
        let service = ServiceResourceTypes(catalog, prefix: catalog.prefix(of: id))
        var notes: [String] = []
        let arns = targets(id, used, &notes)
        var byType: [String: [String]] = [:]
        for arn in arns {
            guard let name = service.typeName(of: arn), actionTypes.contains(where: { $0.resourceType.name == name })
            else { continue }
            byType[name, default: []].append(arn)
        }
        let observed = Set(byType.values.joined()).sorted()
        if catalog.name(of: id) == "iam:PassRole", observed.isEmpty, options.resources != .any {
            notes.append("no role passed is in the logs: `iam:PassRole` is scoped to the roles of the account")
        }
        if actionTypes.isEmpty {
            return ScopedResources(resources: ["*"], observed: [], scope: "no resource types", notes: notes)
        }
        if options.resources == .any {
            return ScopedResources(resources: ["*"], observed: observed, scope: "any", notes: notes)
        }
        var resources: Set<String> = []
        var scopes: Set<String> = []
        for actionType in actionTypes {
            let compiled = CompiledResourceType(actionType.resourceType)
            let seen = byType[actionType.resourceType.name] ?? []
            if options.resources == .observed, !seen.isEmpty,
                let patterns = PathGeneralizer.generalize(
                    seen, limit: options.observedLimit, complete: used.resources.complete)
            {
                resources.formUnion(patterns)
                scopes.insert(patterns == Set(seen).sorted().map(PathGeneralizer.literal) ? "observed" : "generalized")
                if !used.resources.complete {
                    notes.append(
                        "resource sample incomplete (more than \(seen.count) `\(actionType.resourceType.name)`"
                            + " resources seen): generalized to \(patterns.map { "`\($0)`" }.joined(separator: ", "))")
                }
                continue
            }
            // Nothing (usable) observed for this type: its template when the type is required, when nothing
            // was observed for the action, or when it belongs to another service — the store samples only
            // ARNs of the action's own service, so `ssm:UpdateInstanceAssociationStatus` never shows its EC2
            // instance. An optional type of the same service is an alternative that was not used
            // (`s3:GetObject` through an access point).
            let otherService = compiled.service != catalog.prefix(of: id)
            guard
                options.resources == .template || !seen.isEmpty || actionType.required || byType.isEmpty || otherService
            else {
                continue
            }
            resources.formUnion(filled(compiled, seen: seen, notes: &notes))
            scopes.insert("template")
        }
        if resources.isEmpty {
            for actionType in actionTypes {
                resources.formUnion(filled(CompiledResourceType(actionType.resourceType), seen: [], notes: &notes))
            }
            scopes.insert("template")
        }
        return ScopedResources(
            resources: resources.sorted(), observed: observed, scope: scopes.sorted().joined(separator: "+"),
            notes: notes)
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
