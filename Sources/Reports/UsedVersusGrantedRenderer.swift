import Analysis
import Foundation
import IAMCatalog
import Timestamps
import UsageStore

/// Renders used-versus-granted comparisons (`pare usage --authorization-details`): a text section for
/// people, the JSON `granted` section, and a CSV table. Deterministic: principals in the given order,
/// actions sorted.
public enum UsedVersusGrantedRenderer {
    /// The text section printed after the usage report.
    public static func text(_ comparisons: [UsedVersusGranted]) -> String {
        var out = ""
        for c in comparisons {
            let p = c.permissions
            out += "\ngranted vs used: \(p.principal.arn)"
            out += c.storedPrincipal.map { $0 == p.principal.arn ? "" : " (recorded as \($0))" } ?? " (no events)"
            out += "\n"
            let levels = p.counts(of: p.granted).filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }
            out += "  granted \(p.granted.count) actions"
            out += levels.isEmpty ? "" : " (\(levels.joined(separator: ", ")))"
            out += ", \(p.conditional.count) conditional\n"
            out += "  used and granted: \(c.usedAndGranted.count)\n"
            for u in c.usedAndGranted {
                out += "    \(u.usage.action)  \(u.usage.count)×  last \(Timestamp.format(u.usage.lastSeen))"
                out += u.conditional ? "  (conditional grant)\n" : "\n"
            }
            if !c.usedNotGranted.isEmpty {
                out += "  used but not granted: \(c.usedNotGranted.count) "
                out += "(changed since the snapshot, or allowed by a resource policy)\n"
                for u in c.usedNotGranted {
                    out += "    \(u.action)  \(u.count)×  last \(Timestamp.format(u.lastSeen))\n"
                }
            }
            if !c.denied.isEmpty {
                out += "  denied: \(c.denied.count)\n"
                for d in c.denied { out += "    \(d.action)  \(d.count)×  last \(Timestamp.format(d.lastSeen))\n" }
            }
            let unusedServices = c.services.filter { $0.unused > 0 }
            out += "  granted but unused: \(c.grantedUnused.count) in \(unusedServices.count) services\n"
            for s in unusedServices {
                out += "    \(s.service)  \(s.unused) of \(s.granted) unused"
                out += s.lastUsed.map { ", last used \(Timestamp.format($0))\n" } ?? "\n"
            }
            for d in p.diagnostics { out += "  diagnostic: \(d)\n" }
        }
        return out
    }

    /// The `granted` member of the usage JSON: one object per principal.
    public static func json(_ comparisons: [UsedVersusGranted]) -> any Encodable & Sendable {
        comparisons.map(GrantedJSON.init)
    }

    /// `principal,action,accessLevel,status,count,firstSeen,lastSeen`; `status` is `usedGranted`,
    /// `usedNotGranted`, `denied` or `unused` (an unused action's `lastSeen` is its last use before the
    /// window, empty when never seen).
    public static func csv(_ comparisons: [UsedVersusGranted]) -> String {
        var out = "principal,action,accessLevel,status,count,firstSeen,lastSeen\n"
        func row(_ fields: String...) { out += fields.map(csvField).joined(separator: ",") + "\n" }
        let t = Timestamp.format
        for c in comparisons {
            let arn = c.permissions.principal.arn
            let catalog = c.permissions
            func level(_ action: String) -> String { catalog.accessLevel(named: action)?.rawValue ?? "" }
            for u in c.usedAndGranted {
                row(
                    arn, u.usage.action, u.accessLevel.rawValue, "usedGranted", "\(u.usage.count)",
                    t(u.usage.firstSeen), t(u.usage.lastSeen))
            }
            for u in c.usedNotGranted {
                row(arn, u.action, level(u.action), "usedNotGranted", "\(u.count)", t(u.firstSeen), t(u.lastSeen))
            }
            for d in c.denied {
                row(arn, d.action, level(d.action), "denied", "\(d.count)", t(d.firstSeen), t(d.lastSeen))
            }
            for u in c.grantedUnused {
                row(arn, u.action, u.accessLevel.rawValue, "unused", "0", "", u.lastUsed.map(t) ?? "")
            }
        }
        return out
    }
}

/// One principal of the `granted` section.
private struct GrantedJSON: Encodable, Sendable {
    struct Used: Encodable, Sendable {
        var action: String
        var accessLevel: String?
        var count: Int
        var firstSeen: String
        var lastSeen: String
        var conditional: Bool?
        /// Indexes into `statements` of the Allows that grant the action (granted actions only).
        var grants: [Int]?
        /// Indexes into `statements` of what may take part of it away (omitted when none).
        var restrictions: [Int]?
    }
    struct Unused: Encodable, Sendable {
        var action: String
        var accessLevel: String
        var lastUsed: String?
        var grants: [Int]
        var restrictions: [Int]?
    }
    /// One statement of the principal's policies, with its resources and conditions as written.
    struct Statement: Encodable, Sendable {
        struct ConditionJSON: Encodable, Sendable {
            var `operator`: String
            var key: String
            var values: [String]
        }
        var layer: String
        var policy: String
        var policyArn: String?
        var attachedVia: String?
        var statementIndex: Int
        var sid: String?
        var effect: String
        var resources: [String]?
        var notResources: [String]?
        var conditions: [ConditionJSON]

        init(_ g: GrantStatement) {
            layer = g.source.layer.rawValue
            policy = g.source.policyName
            policyArn = g.source.policyArn
            attachedVia = g.source.attachedVia
            statementIndex = g.source.statementIndex
            sid = g.source.sid
            effect = g.effect.rawValue
            switch g.resources {
            case .resources(let list): resources = list
            case .notResources(let list): notResources = list
            }
            conditions = g.conditions.map {
                ConditionJSON(operator: $0.operator.description, key: $0.key, values: $0.values)
            }
        }
    }
    struct Service: Encodable, Sendable {
        var service: String
        var grantedActions: Int
        var unusedActions: Int
        var lastUsed: String?
    }
    var principal: String
    var type: String
    var storedPrincipal: String?
    var grantedActions: Int
    var conditionalActions: Int
    var byAccessLevel: [String: Int]
    var usedAndGranted: [Used]
    var usedNotGranted: [Used]
    var denied: [Used]
    var unused: [Unused]
    var services: [Service]
    /// The statements of the principal's policies (identity, boundary, SCPs), which `grants` and
    /// `restrictions` of each granted action index.
    var statements: [Statement]
    var diagnostics: [String]

    init(_ c: UsedVersusGranted) {
        let t = Timestamp.format
        let p = c.permissions
        principal = p.principal.arn
        type = p.principal.kind
        storedPrincipal = c.storedPrincipal
        grantedActions = p.granted.count
        conditionalActions = p.conditional.count
        byAccessLevel = Dictionary(uniqueKeysWithValues: p.counts(of: p.granted).map { ($0.0.rawValue, $0.1) })
        var index: [GrantStatement: Int] = [:]
        for (i, statement) in p.statements.enumerated() where index[statement] == nil { index[statement] = i }
        statements = p.statements.map(Statement.init)
        func indexes(_ list: [GrantStatement]) -> [Int] { list.compactMap { index[$0] } }
        func grantsOf(_ action: String) -> (grants: [Int], restrictions: [Int]?) {
            guard let granted = p.action(named: action) else { return ([], nil) }
            let restrictions = indexes(granted.restrictions)
            return (indexes(granted.grants), restrictions.isEmpty ? nil : restrictions)
        }
        usedAndGranted = c.usedAndGranted.map {
            let how = grantsOf($0.usage.action)
            return Used(
                action: $0.usage.action, accessLevel: $0.accessLevel.rawValue, count: $0.usage.count,
                firstSeen: t($0.usage.firstSeen), lastSeen: t($0.usage.lastSeen), conditional: $0.conditional,
                grants: how.grants, restrictions: how.restrictions)
        }
        func plain(_ u: ActionUsage) -> Used {
            Used(
                action: u.action, accessLevel: p.accessLevel(named: u.action)?.rawValue, count: u.count,
                firstSeen: t(u.firstSeen), lastSeen: t(u.lastSeen), conditional: nil)
        }
        usedNotGranted = c.usedNotGranted.map(plain)
        denied = c.denied.map(plain)
        unused = c.grantedUnused.map {
            let how = grantsOf($0.action)
            return Unused(
                action: $0.action, accessLevel: $0.accessLevel.rawValue, lastUsed: $0.lastUsed.map(t),
                grants: how.grants, restrictions: how.restrictions)
        }
        services = c.services.map {
            Service(
                service: $0.service, grantedActions: $0.granted, unusedActions: $0.unused, lastUsed: $0.lastUsed.map(t))
        }
        diagnostics = p.diagnostics
    }
}
