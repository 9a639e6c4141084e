/// One policy read from a file, with what a checker needs to point at its parts.
public struct ParsedPolicy: Sendable {
    /// The file name (or label) it came from.
    public var source: String
    /// Its JSON path in the file: empty for a file of one policy, `[2]` for the third of an array; in a
    /// JSON Lines file each line is its own document and the path is empty (the line number tells).
    public var path: String
    public var document: PolicyDocument
    /// The document's JSON, with offsets into ``bytes``.
    public var json: JSONValue
    /// The whole file.
    public var bytes: [UInt8]

    /// The name a policy is reported under: the source, with the path for one policy of several.
    public var name: String { path.isEmpty ? source : source + path }

    /// A problem located at an element of a statement: `element` is `Action`, `NotAction`, `Resource`,
    /// `NotResource`, …; `valueIndex` the position of the value in that element's list (ignored when the
    /// element is a single string).
    public func problem(
        _ message: String, statement: Int, element: String, valueIndex: Int? = nil,
        severity: PolicyProblem.Severity = .error
    ) -> PolicyProblem {
        problem(message, statement: statement, keys: [element], valueIndex: valueIndex, severity: severity)
    }

    /// A problem located below a statement: `keys` lead from the statement to the element (none: the
    /// statement itself; `["Condition", "Null", "aws:TagKeys"]`: a condition's values), `valueIndex` is
    /// the position of the value in the element's list. A key that is not there stops the walk.
    func problem(
        _ message: String, statement: Int, keys: [String], valueIndex: Int? = nil,
        severity: PolicyProblem.Severity = .error
    ) -> PolicyProblem {
        var (node, path) = statementJSON(statement)
        var found = true
        for key in keys {
            guard let value = node[key] else {
                found = false
                break
            }
            node = value
            path += "." + key
        }
        if found, let valueIndex, case .array(let list) = node.kind, valueIndex < list.count {
            node = list[valueIndex]
            path += "[\(valueIndex)]"
        }
        return PolicyProblem(
            severity: severity, source: source, position: SourcePosition(offset: node.offset, in: bytes), path: path,
            message: message)
    }

    /// The JSON of statement `index` and its path: `Statement[2]`, or `Statement` when the statement is a
    /// lone object (prefixed with the policy's path in a file of several).
    func statementJSON(_ index: Int) -> (node: JSONValue, path: String) {
        let prefix = path.isEmpty ? "" : path + "."
        guard let statements = json["Statement"] else { return (json, path) }
        if case .array(let list) = statements.kind, index < list.count {
            return (list[index], prefix + "Statement[\(index)]")
        }
        return (statements, prefix + "Statement")
    }
}

/// A check run on every policy that parsed (the catalog's unknown-action check plugs in here).
public typealias PolicyCheck = @Sendable (ParsedPolicy) -> [PolicyProblem]

/// Reads policy files: one policy, a JSON array of policies, or JSON Lines (one policy per line).
public enum PolicyFile {
    /// The policies of a file and the problems that kept others from being read. A syntax error in a JSON
    /// Lines file spoils only its line.
    public static func read(_ bytes: [UInt8], source: String) -> (policies: [ParsedPolicy], problems: [PolicyProblem]) {
        var policies: [ParsedPolicy] = []
        var problems: [PolicyProblem] = []
        func add(_ value: JSONValue, path: String) {
            do {
                let document = try PolicyDocument(json: value, path: path, source: source, sourceBytes: bytes)
                policies.append(ParsedPolicy(source: source, path: path, document: document, json: value, bytes: bytes))
            } catch {
                problems.append(PolicyProblem(error))
            }
        }
        func syntax(_ error: JSONSyntaxError) {
            problems.append(
                PolicyProblem(
                    source: source, position: SourcePosition(offset: error.offset, in: bytes), path: error.path,
                    message: error.reason))
        }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            problems.append(PolicyProblem(source: source, position: nil, path: "", message: "empty file"))
            return (policies, problems)
        }
        let lines = jsonLines(bytes)
        if lines.count > 1 {
            for range in lines {
                do {
                    add(try JSONValue.parse(bytes, in: range), path: "")
                } catch {
                    syntax(error)
                }
            }
            return (policies, problems)
        }
        do {
            let value = try JSONValue.parse(bytes)
            if case .array(let elements) = value.kind {
                for (i, element) in elements.enumerated() { add(element, path: "[\(i)]") }
            } else {
                add(value, path: "")
            }
        } catch {
            syntax(error)
        }
        return (policies, problems)
    }

    /// The policies of a file that is used whole (`simulate`, `diff`): its first problem, or a file with no
    /// policy, is the error ``cannot read `SOURCE`: LINE:COLUMN: PATH: MESSAGE``.
    public static func readWhole(_ bytes: [UInt8], source: String) throws(PolicyFileError) -> [ParsedPolicy] {
        let (policies, problems) = read(bytes, source: source)
        if let problem = problems.first {
            throw PolicyFileError(message: "cannot read `\(source)`: \(problem.locatedMessage)")
        }
        guard !policies.isEmpty else {
            throw PolicyFileError(message: "cannot read `\(source)`: no policy in the file")
        }
        return policies
    }

    /// Reads a file and runs the built-in checks and `checks` on every policy: all problems, in file order.
    public static func validate(_ bytes: [UInt8], source: String, checks: [PolicyCheck] = []) -> [PolicyProblem] {
        let (policies, problems) = read(bytes, source: source)
        var all = problems
        if policies.isEmpty && problems.isEmpty {
            all.append(PolicyProblem(source: source, position: nil, path: "", message: "no policy in the file"))
        }
        for policy in policies {
            all += PolicyFile.grammarCheck(policy)
            for check in checks { all += check(policy) }
        }
        return all.enumerated().sorted { a, b in
            let pa = a.element.position.map { ($0.line, $0.column) } ?? (0, 0)
            let pb = b.element.position.map { ($0.line, $0.column) } ?? (0, 0)
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    /// The line ranges of a JSON Lines file, or none when the file is one JSON text. A file is JSON Lines
    /// when it has at least two non-blank lines and the first of them is a complete JSON object on its
    /// own (a pretty-printed policy starts with a lone `{`, an array with `[`); then every non-blank line
    /// is its own document, whatever it holds.
    static func jsonLines(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var a = start
            var b = end
            while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 || bytes[a] == 0x0D { a += 1 }
            while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 || bytes[b - 1] == 0x0D { b -= 1 }
            if a < b { ranges.append(a..<b) }
            start = end + 1
        }
        guard ranges.count > 1, case .object = (try? JSONValue.parse(bytes, in: ranges[0]))?.kind else { return [] }
        return ranges
    }

    /// What IAM's grammar requires beyond the document's shape: actions are `*` or `service:action`,
    /// resources are `*` or ARNs, neither list is empty, a statement names its resources (an identity
    /// policy) or its principal (a resource or trust policy), Sids are unique and (in IAM) letters and
    /// digits, condition values are what their operator reads, and `${…}` outside version `2012-10-17` is
    /// flagged as the literal text it is there.
    static func grammarCheck(_ policy: ParsedPolicy) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        let variables = policy.document.version == PolicyDocument.currentVersion
        var sids: Set<String> = []
        for (i, statement) in policy.document.statements.enumerated() {
            problems += sidProblems(policy, statement: i, seen: &sids)
            let (element, actions) =
                switch statement.action {
                case .action(let list): ("Action", list)
                case .notAction(let list): ("NotAction", list)
                }
            if actions.isEmpty {
                problems.append(
                    policy.problem("`\(element)` is empty (expected an action or `*`)", statement: i, element: element))
            }
            for (j, action) in actions.enumerated() where !isActionShaped(action) {
                problems.append(
                    policy.problem(
                        "`\(action)` is not an action (expected `service:action` or `*`)", statement: i,
                        element: element, valueIndex: j))
            }
            if statement.resource == nil, statement.principal == nil {
                problems.append(
                    policy.problem(
                        "missing `Resource` or `Principal` (an identity policy statement needs `Resource` or "
                            + "`NotResource`, a resource or trust policy statement `Principal` or `NotPrincipal`)",
                        statement: i, keys: []))
            }
            problems += conditionValueProblems(policy, statement: i, variables: variables)
            let resourceElement: (String, [String])? =
                switch statement.resource {
                case .resource(let list): ("Resource", list)
                case .notResource(let list): ("NotResource", list)
                case nil: nil
                }
            guard let (name, resources) = resourceElement else { continue }
            if resources.isEmpty {
                problems.append(
                    policy.problem("`\(name)` is empty (expected an ARN or `*`)", statement: i, element: name))
            }
            for (j, resource) in resources.enumerated() {
                if !isResourceShaped(resource, variables: variables) {
                    problems.append(
                        policy.problem(
                            "`\(resource)` is not a resource (expected an ARN or `*`)", statement: i, element: name,
                            valueIndex: j))
                } else if !variables, let variable = literalVariable(resource) {
                    problems.append(
                        policy.problem(
                            literalVariableMessage(variable), statement: i, element: name, valueIndex: j,
                            severity: .warning))
                }
            }
        }
        return problems
    }

    /// A repeated Sid is an error; a Sid with other characters than ASCII letters and digits is an error
    /// in a statement without `Principal` (identity policies, boundaries, SCPs: IAM refuses it) and a
    /// warning in one with a principal (other services' resource policies may accept it).
    private static func sidProblems(_ policy: ParsedPolicy, statement index: Int, seen: inout Set<String>)
        -> [PolicyProblem]
    {
        let statement = policy.document.statements[index]
        guard let sid = statement.sid else { return [] }
        var problems: [PolicyProblem] = []
        if !seen.insert(sid).inserted {
            problems.append(
                policy.problem(
                    "duplicate Sid `\(sid)` (Sids are unique within a policy)", statement: index, element: "Sid"))
        }
        let alphanumeric = sid.utf8.allSatisfy {
            ($0 | 0x20) &- UInt8(ascii: "a") < 26 || $0 &- UInt8(ascii: "0") < 10
        }
        if !alphanumeric {
            problems.append(
                policy.problem(
                    "`\(sid)` is not a valid Sid (IAM accepts ASCII letters and digits only)", statement: index,
                    element: "Sid", severity: statement.principal == nil ? .error : .warning))
        }
        return problems
    }

    /// Condition values their operator cannot read: `Bool` and `Null` take `true` or `false`, `Numeric…` a
    /// decimal number, `Date…` an ISO 8601 time or epoch seconds, `IpAddress` an address or CIDR range;
    /// and, outside version `2012-10-17`, a warning for each value holding `${…}` (literal text there).
    private static func conditionValueProblems(_ policy: ParsedPolicy, statement index: Int, variables: Bool)
        -> [PolicyProblem]
    {
        let statement = policy.document.statements[index]
        var problems: [PolicyProblem] = []
        for condition in statement.conditions {
            // The operator as written (`bool`, `ForAllValues:Bool`), to point into the file.
            var written = condition.operator.name
            if case .object(let blocks) = policy.statementJSON(index).node["Condition"]?.kind,
                let block = blocks.first(where: { ConditionOperator(parsing: $0.key) == condition.operator })
            {
                written = block.key
            }
            let base = condition.operator.base.rawValue
            let expected: (String, (String) -> Bool)? =
                switch condition.operator.family {
                case .bool, .null:
                    (
                        "a boolean (`\(base)` expects `true` or `false`)",
                        { ["true", "false"].contains($0.lowercased()) }
                    )
                case .numeric:
                    ("a number (`\(base)` expects a decimal number)", { ConditionEvaluator.number($0) != nil })
                case .date:
                    (
                        "a date (`\(base)` expects an ISO 8601 time or epoch seconds)",
                        { ConditionEvaluator.time($0) != nil }
                    )
                case .ipAddress:
                    ("an IP address (`\(base)` expects an address or a CIDR range)", { IPNetwork(parsing: $0) != nil })
                case .string, .arn, .binary: nil
                }
            for (j, value) in condition.values.enumerated() {
                let keys = ["Condition", written, condition.key]
                if let (what, reads) = expected, !reads(value) {
                    problems.append(
                        policy.problem("`\(value)` is not \(what)", statement: index, keys: keys, valueIndex: j))
                } else if !variables, let variable = literalVariable(value) {
                    problems.append(
                        policy.problem(
                            literalVariableMessage(variable), statement: index, keys: keys, valueIndex: j,
                            severity: .warning))
                }
            }
        }
        return problems
    }

    /// `*`, or an ARN whose parts may hold wildcards and policy variables: `arn`, a partition (`aws`,
    /// `aws-…`, or one with a wildcard), a service, then region, account and resource (which may be
    /// empty: `arn:aws:organizations::*:`).
    static func isResourceShaped(_ resource: String, variables: Bool) -> Bool {
        if resource == "*" { return true }
        // A variable (whose key may hold a colon) counts as text of the part it is in.
        let text =
            variables
            ? PolicyTemplate(parsing: resource).parts.map {
                if case .text(let t) = $0 { t } else { "v" }
            }.joined() : resource
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[2].isEmpty else { return false }
        let partition = parts[1]
        return partition.contains { $0 == "*" || $0 == "?" } || ARN(parsing: "arn:\(partition):s:::r") != nil
    }

    /// The first `${…}` of `value` that would be a policy variable in a `2012-10-17` document.
    private static func literalVariable(_ value: String) -> String? {
        for part in PolicyTemplate(parsing: value).parts {
            switch part {
            case .variable(let key, let defaultValue):
                return "${" + key + (defaultValue.map { ", '\($0)'" } ?? "") + "}"
            case .literal(let c): return "${\(c)}"
            case .text: continue
            }
        }
        return nil
    }

    private static func literalVariableMessage(_ variable: String) -> String {
        "`\(variable)` is literal text, not a policy variable, in a policy without `\"Version\": \"2012-10-17\"`"
    }

    /// `*` or `service:action`: a service prefix of ASCII letters, digits and `-`, one colon, a non-empty
    /// action (which may hold wildcards).
    static func isActionShaped(_ action: String) -> Bool {
        if action == "*" { return true }
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].utf8.allSatisfy {
            ($0 | 0x20) &- UInt8(ascii: "a") < 26 || ($0 &- UInt8(ascii: "0")) < 10 || $0 == UInt8(ascii: "-")
        }
    }
}

/// A policy file that cannot be used whole; ``message`` is one line.
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
