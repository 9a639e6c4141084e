import IAMPolicy

/// Packs statements into documents of at most `limit` characters (IAM's measure), in order; a statement
/// too large alone is split into halves of its actions, then of its resources. Deterministic.
enum PolicySplitter {
    static func split(_ statements: [Statement], limit: Int) -> [PolicyDocument] {
        var documents: [PolicyDocument] = []
        var current: [Statement] = []
        // The compact JSON of a document is its frame around its statements joined by commas: sizes add up.
        let frame = PolicyDocument(statements: []).awsSize
        var size = frame
        for statement in statements.flatMap({ fitting($0, limit: limit) }) {
            let own = PolicyDocument(statements: [statement]).awsSize - frame
            if !current.isEmpty, size + 1 + own > limit {
                documents.append(PolicyDocument(statements: current))
                current = []
                size = frame
            }
            size += (current.isEmpty ? 0 : 1) + own
            current.append(statement)
        }
        if !current.isEmpty { documents.append(PolicyDocument(statements: current)) }
        return documents.map(uniqueSids)
    }

    /// `statement`, or pieces of it that each fit alone (as far as halving lists can make them).
    private static func fitting(_ statement: Statement, limit: Int) -> [Statement] {
        guard PolicyDocument(statements: [statement]).awsSize > limit else { return [statement] }
        if case .action(let actions) = statement.action, actions.count > 1 {
            let half = actions.count / 2
            var first = statement
            var second = statement
            first.action = .action(Array(actions[..<half]))
            second.action = .action(Array(actions[half...]))
            return fitting(first, limit: limit) + fitting(second, limit: limit)
        }
        if case .resource(let resources) = statement.resource, resources.count > 1 {
            let half = resources.count / 2
            var first = statement
            var second = statement
            first.resource = .resource(Array(resources[..<half]))
            second.resource = .resource(Array(resources[half...]))
            return fitting(first, limit: limit) + fitting(second, limit: limit)
        }
        return [statement]
    }

    /// Pieces of one statement share its `Sid`: number them within each document (`S3Read`, `S3Read2`).
    private static func uniqueSids(_ document: PolicyDocument) -> PolicyDocument {
        var document = document
        var seen: [String: Int] = [:]
        for index in document.statements.indices {
            guard let sid = document.statements[index].sid else { continue }
            let count = seen[sid, default: 0] + 1
            seen[sid] = count
            if count > 1 { document.statements[index].sid = sid + "Part" + String(count) }
        }
        return document
    }
}
