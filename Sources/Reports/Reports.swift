// Reports: Renderers: text, JSON, SARIF, Terraform, CloudFormation.

/// A CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, a quote or a line break.
func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
