extension PolicyDocument {
    /// Parses one policy document from its JSON text; `source` names it in errors (a file name).
    public init(parsing text: String, source: String) throws(PolicyParseError) {
        try self.init(parsing: Array(text.utf8), source: source)
    }

    /// Parses one policy document from UTF-8 bytes; `source` names it in errors (a file name).
    public init(parsing bytes: [UInt8], source: String) throws(PolicyParseError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw PolicyParseError(
                source: source, position: SourcePosition(offset: error.offset, in: bytes), path: error.path,
                reason: error.reason)
        }
        try self.init(json: value, path: "", source: source, sourceBytes: bytes)
    }

    /// Reads a policy document from an already parsed JSON value (for example the `PolicyDocument` member
    /// of an authorization-details file). `path` prefixes the JSON paths of errors; `sourceBytes`, when
    /// given, is the text `json` was parsed from, for line:column positions.
    public init(json: JSONValue, path: String = "", source: String, sourceBytes: [UInt8] = []) throws(PolicyParseError)
    {
        let reader = PolicyReader(source: source, bytes: sourceBytes)
        self = try reader.document(json, path: path)
    }
}

/// Turns JSON values into the policy model, with one-line errors that name path and position.
struct PolicyReader {
    let source: String
    let bytes: [UInt8]

    func fail(_ value: JSONValue, _ path: String, _ reason: String) -> PolicyParseError {
        PolicyParseError(
            source: source, position: bytes.isEmpty ? nil : SourcePosition(offset: value.offset, in: bytes),
            path: path, reason: reason)
    }

    func failKey(_ member: JSONValue.Member, _ path: String, _ reason: String) -> PolicyParseError {
        PolicyParseError(
            source: source, position: bytes.isEmpty ? nil : SourcePosition(offset: member.keyOffset, in: bytes),
            path: path, reason: reason)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The members of an object, rejecting repeated keys.
    func members(_ value: JSONValue, _ path: String, what: String) throws(PolicyParseError) -> [JSONValue.Member] {
        guard case .object(let members) = value.kind else {
            throw fail(value, path, "expected \(what), found \(value.typeName)")
        }
        var seen = Set<String>()
        for member in members where !seen.insert(member.key).inserted {
            throw failKey(member, PolicyReader.join(path, member.key), "duplicate key `\(member.key)`")
        }
        return members
    }

    func string(_ value: JSONValue, _ path: String) throws(PolicyParseError) -> String {
        guard case .string(let s) = value.kind else {
            throw fail(value, path, "expected a string, found \(value.typeName)")
        }
        return s
    }

    /// A string or an array of strings (`Action`, `Resource`, principal values).
    func strings(_ value: JSONValue, _ path: String) throws(PolicyParseError) -> [String] {
        switch value.kind {
        case .string(let s): return [s]
        case .array(let elements):
            var out: [String] = []
            out.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                guard case .string(let s) = element.kind else {
                    throw fail(element, path + "[\(i)]", "expected a string, found \(element.typeName)")
                }
                out.append(s)
            }
            return out
        default:
            throw fail(value, path, "expected a string or an array of strings, found \(value.typeName)")
        }
    }

    /// Condition values: strings, booleans and numbers (kept as text), alone or in an array.
    func conditionValues(_ value: JSONValue, _ path: String) throws(PolicyParseError) -> [String] {
        func scalar(_ v: JSONValue, _ p: String) throws(PolicyParseError) -> String {
            switch v.kind {
            case .string(let s): return s
            case .bool(let b): return b ? "true" : "false"
            case .number(let n): return n
            default: throw fail(v, p, "expected a string, a boolean or a number, found \(v.typeName)")
            }
        }
        if case .array(let elements) = value.kind {
            var out: [String] = []
            for (i, element) in elements.enumerated() { out.append(try scalar(element, path + "[\(i)]")) }
            return out
        }
        return [try scalar(value, path)]
    }

    func document(_ value: JSONValue, path: String) throws(PolicyParseError) -> PolicyDocument {
        var version: String?
        var id: String?
        var statements: [Statement]?
        for member in try members(value, path, what: "a policy document (an object)") {
            let p = PolicyReader.join(path, member.key)
            switch member.key {
            case "Version":
                let v = try string(member.value, p)
                guard v == "2012-10-17" || v == "2008-10-17" else {
                    throw fail(member.value, p, "unsupported policy version `\(v)` (expected `2012-10-17`)")
                }
                version = v
            case "Id":
                id = try string(member.value, p)
            case "Statement":
                switch member.value.kind {
                case .array(let elements):
                    var list: [Statement] = []
                    list.reserveCapacity(elements.count)
                    for (i, element) in elements.enumerated() {
                        list.append(try statement(element, p + "[\(i)]"))
                    }
                    statements = list
                case .object:
                    statements = [try statement(member.value, p)]
                default:
                    throw fail(
                        member.value, p, "expected an object or an array of objects, found \(member.value.typeName)")
                }
            default:
                throw failKey(member, p, "unknown key `\(member.key)` (expected `Version`, `Id` or `Statement`)")
            }
        }
        guard let statements else { throw fail(value, path, "missing `Statement`") }
        return PolicyDocument(version: version, id: id, statements: statements)
    }

    func statement(_ value: JSONValue, _ path: String) throws(PolicyParseError) -> Statement {
        var sid: String?
        var effect: Effect?
        var action: Statement.ActionElement?
        var resource: Statement.ResourceElement?
        var principal: Statement.PrincipalElement?
        var conditions: [Condition] = []
        let fields = try members(value, path, what: "a statement (an object)")
        func exclusive(_ member: JSONValue.Member, _ taken: Bool, _ other: String) throws(PolicyParseError) {
            if taken {
                throw failKey(
                    member, PolicyReader.join(path, member.key), "`\(member.key)` and `\(other)` cannot both appear")
            }
        }
        for member in fields {
            let p = PolicyReader.join(path, member.key)
            switch member.key {
            case "Sid":
                sid = try string(member.value, p)
            case "Effect":
                let text = try string(member.value, p)
                guard let e = Effect(rawValue: text) else {
                    throw fail(member.value, p, "expected `Allow` or `Deny`, found `\(text)`")
                }
                effect = e
            case "Action":
                try exclusive(member, action != nil, "NotAction")
                action = .action(try strings(member.value, p))
            case "NotAction":
                try exclusive(member, action != nil, "Action")
                action = .notAction(try strings(member.value, p))
            case "Resource":
                try exclusive(member, resource != nil, "NotResource")
                resource = .resource(try strings(member.value, p))
            case "NotResource":
                try exclusive(member, resource != nil, "Resource")
                resource = .notResource(try strings(member.value, p))
            case "Principal":
                try exclusive(member, principal != nil, "NotPrincipal")
                principal = .principal(try self.principal(member.value, p))
            case "NotPrincipal":
                try exclusive(member, principal != nil, "Principal")
                principal = .notPrincipal(try self.principal(member.value, p))
            case "Condition":
                conditions = try self.conditions(member.value, p)
            default:
                throw failKey(member, p, "unknown key `\(member.key)` in a statement")
            }
        }
        guard let effect else { throw fail(value, path, "missing `Effect`") }
        guard let action else { throw fail(value, path, "missing `Action` or `NotAction`") }
        return Statement(
            sid: sid, effect: effect, action: action, resource: resource, principal: principal, conditions: conditions)
    }

    func principal(_ value: JSONValue, _ path: String) throws(PolicyParseError) -> Principal {
        if case .string(let s) = value.kind {
            guard s == "*" else {
                throw fail(value, path, "expected `*` or an object of principal types, found the string `\(s)`")
            }
            return .anyone
        }
        var map: [PrincipalType: [String]] = [:]
        for member in try members(value, path, what: "`*` or an object of principal types") {
            let p = PolicyReader.join(path, member.key)
            guard let type = PrincipalType(rawValue: member.key) else {
                throw failKey(
                    member, p,
                    "unknown principal type `\(member.key)` (expected `AWS`, `Service`, `Federated` or `CanonicalUser`)"
                )
            }
            map[type] = try strings(member.value, p)
        }
        return .specified(map)
    }

    func conditions(_ value: JSONValue, _ path: String) throws(PolicyParseError) -> [Condition] {
        var out: [Condition] = []
        var operators = Set<ConditionOperator>()
        for block in try members(value, path, what: "an object of condition operators") {
            let p = PolicyReader.join(path, block.key)
            guard let op = ConditionOperator(parsing: block.key) else {
                throw failKey(block, p, "unknown condition operator `\(block.key)`")
            }
            guard operators.insert(op).inserted else {
                throw failKey(block, p, "condition operator `\(op.name)` appears twice")
            }
            for entry in try members(block.value, p, what: "an object of condition keys") {
                out.append(
                    Condition(
                        op, key: entry.key, values: try conditionValues(entry.value, PolicyReader.join(p, entry.key))))
            }
        }
        return out
    }
}
