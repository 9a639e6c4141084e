extension EvaluationResult {
    /// `{"decision", "statements": [{"policy", "statementIndex", "sid", "effect"}], "reason"}` — the
    /// `pare simulate --format json` shape (`sid` is `null` when the statement has none).
    public var jsonValue: JSONValue {
        .object([
            ("decision", .string(decision.rawValue)),
            (
                "statements",
                .array(
                    statements.map { s in
                        .object([
                            ("policy", .string(s.policy)),
                            ("statementIndex", .number(s.statementIndex)),
                            ("sid", s.sid.map(JSONValue.string) ?? .null),
                            ("effect", .string(s.effect.rawValue)),
                        ])
                    })
            ),
            ("reason", .string(reason)),
        ])
    }
}
