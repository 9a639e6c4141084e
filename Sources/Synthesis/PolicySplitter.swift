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
        return documents
    }

    /// `statement`, or pieces of it that each fit alone (as far as halving lists can make them). Pieces share
    /// the statement's `Sid`, numbered from the second (`S3Read`, `S3ReadPart2`): the room for the suffix
    /// is kept when measuring, so a renamed piece still fits.
    private static func fitting(_ statement: Statement, limit: Int) -> [Statement] {
        guard PolicyDocument(statements: [statement]).awsSize > limit else { return [statement] }
        // Halving actions, then resources: at most one piece per (action, resource).
        var most = 1
        if case .action(let actions) = statement.action { most *= max(actions.count, 1) }
        if case .resource(let resources)? = statement.resource { most *= max(resources.count, 1) }
        let suffix = statement.sid == nil ? 0 : "Part".count + String(most).count
        let pieces = halves(statement, limit: limit - suffix)
        return pieces.enumerated().map { index, piece in
            guard index > 0, let sid = piece.sid else { return piece }
            var renamed = piece
            renamed.sid = sid + "Part" + String(index + 1)
            return renamed
        }
    }

    private static func halves(_ statement: Statement, limit: Int) -> [Statement] {
        guard PolicyDocument(statements: [statement]).awsSize > limit else { return [statement] }
        if case .action(let actions) = statement.action, actions.count > 1 {
            let half = actions.count / 2
            var first = statement
            var second = statement
            first.action = .action(Array(actions[..<half]))
            second.action = .action(Array(actions[half...]))
            return halves(first, limit: limit) + halves(second, limit: limit)
        }
        if case .resource(let resources) = statement.resource, resources.count > 1 {
            let half = resources.count / 2
            var first = statement
            var second = statement
            first.resource = .resource(Array(resources[..<half]))
            second.resource = .resource(Array(resources[half...]))
            return halves(first, limit: limit) + halves(second, limit: limit)
        }
        return [statement]
    }
}
