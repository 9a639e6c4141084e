extension PolicyDocument {
    /// This document as version `2012-10-17`, with the same meaning. Before `2012-10-17` (`2008-10-17`, or no
    /// `Version`) `${…}` is plain text, so every `${` of a resource or condition value is written `${$}{`:
    /// carried into a current document unchanged, `home/${aws:username}/*` would become a policy variable and
    /// grant something else.
    public var inCurrentVersion: PolicyDocument {
        guard version != PolicyDocument.currentVersion else { return self }
        func literal(_ text: String) -> String { text.replacing("${", with: "${$}{") }
        var document = self
        document.version = PolicyDocument.currentVersion
        for index in document.statements.indices {
            switch document.statements[index].resource {
            case .resource(let patterns)?: document.statements[index].resource = .resource(patterns.map(literal))
            case .notResource(let patterns)?:
                document.statements[index].resource = .notResource(patterns.map(literal))
            case nil: break
            }
            for c in document.statements[index].conditions.indices {
                document.statements[index].conditions[c].values =
                    document.statements[index].conditions[c].values.map(literal)
            }
        }
        return document
    }
}
