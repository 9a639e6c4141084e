import IAMPolicy
import Synthesis

extension PolicyRenderer {
    /// Terraform (HCL): per document a `data "aws_iam_policy_document"` and an `aws_iam_policy` using it.
    /// Strings are escaped for HCL, including `${` → `$${` so policy variables stay IAM's.
    public static func terraform(_ result: SynthesisResult) -> String {
        var out = "# Least-privilege policy for \(result.principal), synthesized by pare.\n"
        for policy in result.policies {
            let label = terraformLabel(policy.name)
            out += "\ndata \"aws_iam_policy_document\" \"\(label)\" {\n"
            if let version = policy.document.version { out += "  version = \(hcl(version))\n" }
            for statement in policy.document.statements {
                out += "\n  statement {\n"
                var attributes: [(String, String)] = []
                if let sid = statement.sid { attributes.append(("sid", hcl(sid))) }
                attributes.append(("effect", hcl(statement.effect.rawValue)))
                switch statement.action {
                case .action(let list): attributes.append(("actions", hcl(list)))
                case .notAction(let list): attributes.append(("not_actions", hcl(list)))
                }
                switch statement.resource {
                case .resource(let list)?: attributes.append(("resources", hcl(list)))
                case .notResource(let list)?: attributes.append(("not_resources", hcl(list)))
                case nil: break
                }
                out += hclAttributes(attributes, indent: "    ")
                for condition in statement.conditions {
                    out += "\n    condition {\n"
                    out += hclAttributes(
                        [
                            ("test", hcl(condition.operator.name)), ("variable", hcl(condition.key)),
                            ("values", hcl(condition.values, indent: "        ")),
                        ], indent: "      ")
                    out += "    }\n"
                }
                out += "  }\n"
            }
            out += "}\n"
            out += "\nresource \"aws_iam_policy\" \"\(label)\" {\n"
            out += hclAttributes(
                [("name", hcl(policy.name)), ("policy", "data.aws_iam_policy_document.\(label).json")], indent: "  ")
            out += "}\n"
        }
        return out
    }

    /// A Terraform block label: letters, digits, `_` and `-`, starting with a letter or `_`.
    static func terraformLabel(_ name: String) -> String {
        let mapped = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
        return mapped.first.map { $0.isLetter } == true ? mapped : "_" + mapped
    }

    /// An HCL string literal.
    static func hcl(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        // `${` and `%{` start interpolations and directives: double the `$` / `%`.
        out = out.replacingOccurrences(of: "${", with: "$${").replacingOccurrences(of: "%{", with: "%%{")
        return out + "\""
    }

    /// An HCL list of string literals; a longer one on several lines, its elements at `indent`.
    static func hcl(_ list: [String], indent: String = "      ") -> String {
        list.count <= 1
            ? "[" + list.map(hcl).joined(separator: ", ") + "]"
            : "[\n" + list.map { "\(indent)\(hcl($0)),\n" }.joined() + String(indent.dropLast(2)) + "]"
    }

    /// Attributes as `terraform fmt` writes them: the `=` of consecutive one-line attributes aligned, a
    /// multi-line one unpadded and ending the run.
    static func hclAttributes(_ attributes: [(name: String, value: String)], indent: String) -> String {
        var out = ""
        var run: [(name: String, value: String)] = []
        func flush() {
            let width = run.map(\.name.count).max() ?? 0
            for (name, value) in run {
                out += indent + name + String(repeating: " ", count: width - name.count) + " = " + value + "\n"
            }
            run.removeAll()
        }
        for attribute in attributes {
            if attribute.value.contains("\n") {
                flush()
                out += indent + attribute.name + " = " + attribute.value + "\n"
            } else {
                run.append(attribute)
            }
        }
        flush()
        return out
    }
}
