import IAMPolicy
import Timestamps

// The JSON shape of findings: Access Analyzer's field names and order, times as ISO 8601 UTC strings,
// absent values omitted (as Access Analyzer omits `lastAccessed` for "never").

/// Builds a JSON object member by member, in order, skipping absent values (for renderers too).
package struct JSONObject {
    package private(set) var pairs: [(String, JSONValue)] = []

    package init() {}

    package mutating func add(_ key: String, _ value: String?) { if let value { pairs.append((key, .string(value))) } }
    package mutating func add(_ key: String, _ value: Bool?) {
        if let value { pairs.append((key, JSONValue(.bool(value)))) }
    }
    package mutating func add(_ key: String, _ value: Int?) {
        if let value { pairs.append((key, JSONValue(.number("\(value)")))) }
    }
    package mutating func add(_ key: String, _ value: [String]) {
        pairs.append((key, .array(value.map { .string($0) })))
    }
    package mutating func add(_ key: String, _ value: JSONValue) { pairs.append((key, value)) }
    package mutating func add(_ key: String, time: Int64?) { add(key, time.map(Timestamp.format)) }

    package var value: JSONValue { .object(pairs) }
}

extension Finding {
    /// The finding as JSON: `id`, `findingType`, `severity`, `resource`, `resourceType`,
    /// `resourceOwnerAccount`, `status`, `findingDetails`, `explanation`.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object.add("id", id)
        object.add("findingType", findingType.rawValue)
        object.add("severity", severity.rawValue)
        object.add("resource", resource)
        object.add("resourceType", resourceType.rawValue)
        object.add("resourceOwnerAccount", resourceOwnerAccount)
        object.add("status", status.rawValue)
        object.add("findingDetails", .array(findingDetails.map(\.jsonValue)))
        object.add("explanation", explanation)
        return object.value
    }
}

extension FindingDetail {
    /// `{"<kind>Details": {…}}`, as in Access Analyzer's `findingDetails`.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        let key: String
        switch self {
        case .unusedPermissionDetails(let d):
            key = "unusedPermissionDetails"
            o.add("serviceNamespace", d.serviceNamespace)
            o.add(
                "actions",
                .array(
                    d.actions.map { action in
                        var a = JSONObject()
                        a.add("action", action.action)
                        a.add("lastAccessed", time: action.lastAccessed)
                        return a.value
                    }))
            o.add("lastAccessed", time: d.lastAccessed)
            o.add("coveredDays", d.coveredDays)
            o.add("windowDays", d.windowDays)
        case .unusedIamRoleDetails(let d):
            key = "unusedIamRoleDetails"
            o.add("lastAccessed", time: d.lastAccessed)
        case .unusedIamUserAccessKeyDetails(let d):
            key = "unusedIamUserAccessKeyDetails"
            o.add("accessKeyId", d.accessKeyId)
            o.add("lastAccessed", time: d.lastAccessed)
        case .unusedIamUserPasswordDetails(let d):
            key = "unusedIamUserPasswordDetails"
            o.add("lastAccessed", time: d.lastAccessed)
        case .accessKeyDetails(let d):
            key = "accessKeyDetails"
            o.add("accessKey", d.accessKey)
            o.add("active", d.active)
            o.add("lastRotated", time: d.lastRotated)
            o.add("lastUsed", time: d.lastUsed)
            o.add("lastUsedService", d.lastUsedService)
        case .passwordDetails(let d):
            key = "passwordDetails"
            o.add("enabled", d.enabled)
            o.add("lastUsed", time: d.lastUsed)
            o.add("lastChanged", time: d.lastChanged)
            o.add("mfaActive", d.mfaActive)
        case .policyDetails(let d):
            key = "policyDetails"
            o.add("policyName", d.policyName)
            o.add("policyArn", d.policyArn)
            o.add("policyType", d.policyType)
            o.add("attachedVia", d.attachedVia)
            o.add("statementIndex", d.statementIndex)
        case .trustPolicyDetails(let d):
            key = "trustPolicyDetails"
            o.add("statementIndex", d.statementIndex)
            o.add("sid", d.sid)
            o.add("principals", d.principals)
            o.add("actions", d.actions)
            o.add("conditionKeys", d.conditionKeys)
        }
        return .object([(key, o.value)])
    }
}
