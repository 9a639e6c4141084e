extension PolicyDocument {
    /// The canonical JSON of the document.
    ///
    /// Key order is fixed: `Version`, `Id`, `Statement`; in a statement `Sid`, `Effect`, `Principal` /
    /// `NotPrincipal`, `Action` / `NotAction`, `Resource` / `NotResource`, `Condition`; principal types as
    /// `AWS`, `CanonicalUser`, `Federated`, `Service`; condition operators and keys sorted. `Statement` is
    /// always an array; a one-element list is written as a bare string, a longer (or empty) one as an array;
    /// condition values are always strings. Identical documents give byte-identical text.
    public func json(_ style: JSONStyle = .pretty) -> String {
        jsonValue.text(style)
    }

    /// The size IAM counts against its quotas (6,144 for a managed policy; 10,240 / 5,120 / 2,048 for the
    /// inline policies of a role / group / user): characters excluding whitespace.
    ///
    /// Measured on the compact canonical JSON, which has no whitespace outside strings; whitespace *inside*
    /// strings is counted, so the figure is never below IAM's (a document that fits here fits in IAM).
    public var awsSize: Int { json(.compact).unicodeScalars.count }

    /// The document as a JSON value in canonical form (what ``json(_:)`` prints).
    public var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let version { pairs.append(("Version", .string(version))) }
        if let id { pairs.append(("Id", .string(id))) }
        pairs.append(("Statement", .array(statements.map(\.jsonValue))))
        return .object(pairs)
    }
}

extension Statement {
    /// The statement as a canonical JSON object (see ``PolicyDocument/json(_:)``).
    public var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let sid { pairs.append(("Sid", .string(sid))) }
        pairs.append(("Effect", .string(effect.rawValue)))
        switch principal {
        case .principal(let p): pairs.append(("Principal", p.jsonValue))
        case .notPrincipal(let p): pairs.append(("NotPrincipal", p.jsonValue))
        case nil: break
        }
        switch action {
        case .action(let list): pairs.append(("Action", Statement.list(list)))
        case .notAction(let list): pairs.append(("NotAction", Statement.list(list)))
        }
        switch resource {
        case .resource(let list): pairs.append(("Resource", Statement.list(list)))
        case .notResource(let list): pairs.append(("NotResource", Statement.list(list)))
        case nil: break
        }
        if !conditions.isEmpty {
            var blocks: [(String, JSONValue)] = []
            var current: (name: String, entries: [(String, JSONValue)])?
            let sorted = conditions.sorted { ($0.operator.name, $0.key) < ($1.operator.name, $1.key) }
            for condition in sorted {
                let name = condition.operator.name
                if let c = current, c.name != name {
                    blocks.append((c.name, .object(c.entries)))
                    current = nil
                }
                current = (name, (current?.entries ?? []) + [(condition.key, Statement.list(condition.values))])
            }
            if let c = current { blocks.append((c.name, .object(c.entries))) }
            pairs.append(("Condition", .object(blocks)))
        }
        return .object(pairs)
    }

    /// One string as itself, otherwise an array.
    static func list(_ values: [String]) -> JSONValue {
        values.count == 1 ? .string(values[0]) : .array(values.map(JSONValue.string))
    }
}

extension Principal {
    /// `"*"` or the object of principal types in canonical order.
    public var jsonValue: JSONValue {
        switch self {
        case .anyone: .string("*")
        case .specified(let map): .object(map.keys.sorted().map { ($0.rawValue, Statement.list(map[$0] ?? [])) })
        }
    }
}
