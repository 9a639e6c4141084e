import IAMPolicy

extension ActionCatalog {
    /// The check `pare validate` runs with the catalog: every `Action` / `NotAction` value must name a known
    /// service prefix and match at least one catalog action (as Access Analyzer's policy validation reports
    /// invalid services and actions as errors), with a did-you-mean hint where one is close.
    public var unknownActionCheck: PolicyCheck {
        { [self] policy in
            var problems: [PolicyProblem] = []
            for (index, statement) in policy.document.statements.enumerated() {
                let (element, patterns) =
                    switch statement.action {
                    case .action(let list): ("Action", list)
                    case .notAction(let list): ("NotAction", list)
                    }
                for (valueIndex, pattern) in patterns.enumerated() {
                    for unknown in unknownActions(in: [pattern]) where unknown.kind != .malformed {
                        problems.append(
                            policy.problem(
                                unknown.description, statement: index, element: element, valueIndex: valueIndex))
                    }
                }
            }
            return problems
        }
    }
}
