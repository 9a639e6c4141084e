import Timestamps

// The JSON shape of findings: Access Analyzer's field names, times as ISO 8601 UTC strings, absent
// times omitted (as Access Analyzer omits `lastAccessed` for "never").

extension Finding: Encodable {
    private enum Key: String, CodingKey {
        case id, findingType, severity, resource, resourceType, resourceOwnerAccount, status, findingDetails
        case explanation
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(findingType.rawValue, forKey: .findingType)
        try container.encode(severity.rawValue, forKey: .severity)
        try container.encode(resource, forKey: .resource)
        try container.encode(resourceType.rawValue, forKey: .resourceType)
        try container.encode(resourceOwnerAccount, forKey: .resourceOwnerAccount)
        try container.encode(status.rawValue, forKey: .status)
        try container.encode(findingDetails, forKey: .findingDetails)
        try container.encode(explanation, forKey: .explanation)
    }
}

extension FindingDetail: Encodable {
    private enum Key: String, CodingKey {
        case unusedPermissionDetails, unusedIamRoleDetails, unusedIamUserAccessKeyDetails
        case unusedIamUserPasswordDetails, accessKeyDetails, passwordDetails, policyDetails, trustPolicyDetails
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .unusedPermissionDetails(let details): try container.encode(details, forKey: .unusedPermissionDetails)
        case .unusedIamRoleDetails(let details): try container.encode(details, forKey: .unusedIamRoleDetails)
        case .unusedIamUserAccessKeyDetails(let details):
            try container.encode(details, forKey: .unusedIamUserAccessKeyDetails)
        case .unusedIamUserPasswordDetails(let details):
            try container.encode(details, forKey: .unusedIamUserPasswordDetails)
        case .accessKeyDetails(let details): try container.encode(details, forKey: .accessKeyDetails)
        case .passwordDetails(let details): try container.encode(details, forKey: .passwordDetails)
        case .policyDetails(let details): try container.encode(details, forKey: .policyDetails)
        case .trustPolicyDetails(let details): try container.encode(details, forKey: .trustPolicyDetails)
        }
    }
}

/// Encodes an optional time as an ISO 8601 string, omitting `nil`.
private struct Times<Key: CodingKey> {
    var container: KeyedEncodingContainer<Key>

    mutating func encode(_ time: Int64?, forKey key: Key) throws {
        if let time { try container.encode(Timestamp.format(time), forKey: key) }
    }
}

extension UnusedPermissionDetails: Encodable {
    private enum Key: String, CodingKey { case serviceNamespace, actions, lastAccessed }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.container.encode(serviceNamespace, forKey: .serviceNamespace)
        try times.container.encode(actions, forKey: .actions)
        try times.encode(lastAccessed, forKey: .lastAccessed)
    }
}

extension UnusedPermissionDetails.Action: Encodable {
    private enum Key: String, CodingKey { case action, lastAccessed }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.container.encode(action, forKey: .action)
        try times.encode(lastAccessed, forKey: .lastAccessed)
    }
}

extension UnusedIamRoleDetails: Encodable {
    private enum Key: String, CodingKey { case lastAccessed }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.encode(lastAccessed, forKey: .lastAccessed)
    }
}

extension UnusedIamUserAccessKeyDetails: Encodable {
    private enum Key: String, CodingKey { case accessKeyId, lastAccessed }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.container.encode(accessKeyId, forKey: .accessKeyId)
        try times.encode(lastAccessed, forKey: .lastAccessed)
    }
}

extension UnusedIamUserPasswordDetails: Encodable {
    private enum Key: String, CodingKey { case lastAccessed }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.encode(lastAccessed, forKey: .lastAccessed)
    }
}

extension AccessKeyDetails: Encodable {
    private enum Key: String, CodingKey { case accessKey, active, lastRotated, lastUsed, lastUsedService }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.container.encode(accessKey, forKey: .accessKey)
        try times.container.encode(active, forKey: .active)
        try times.encode(lastRotated, forKey: .lastRotated)
        try times.encode(lastUsed, forKey: .lastUsed)
        try times.container.encodeIfPresent(lastUsedService, forKey: .lastUsedService)
    }
}

extension PasswordDetails: Encodable {
    private enum Key: String, CodingKey { case enabled, lastUsed, lastChanged, mfaActive }

    public func encode(to encoder: any Encoder) throws {
        var times = Times(container: encoder.container(keyedBy: Key.self))
        try times.container.encodeIfPresent(enabled, forKey: .enabled)
        try times.encode(lastUsed, forKey: .lastUsed)
        try times.encode(lastChanged, forKey: .lastChanged)
        try times.container.encode(mfaActive, forKey: .mfaActive)
    }
}

extension PolicyDetails: Encodable {
    private enum Key: String, CodingKey { case policyName, policyArn, policyType, attachedVia, statementIndex }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(policyName, forKey: .policyName)
        try container.encodeIfPresent(policyArn, forKey: .policyArn)
        try container.encode(policyType, forKey: .policyType)
        try container.encodeIfPresent(attachedVia, forKey: .attachedVia)
        try container.encodeIfPresent(statementIndex, forKey: .statementIndex)
    }
}

extension TrustPolicyDetails: Encodable {
    private enum Key: String, CodingKey { case statementIndex, sid, principals, actions, conditionKeys }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(statementIndex, forKey: .statementIndex)
        try container.encodeIfPresent(sid, forKey: .sid)
        try container.encode(principals, forKey: .principals)
        try container.encode(actions, forKey: .actions)
        try container.encode(conditionKeys, forKey: .conditionKeys)
    }
}
