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
                if let sid = statement.sid { out += "    sid       = \(hcl(sid))\n" }
                out += "    effect    = \(hcl(statement.effect.rawValue))\n"
                switch statement.action {
                case .action(let list): out += "    actions   = \(hcl(list))\n"
                case .notAction(let list): out += "    not_actions = \(hcl(list))\n"
                }
                switch statement.resource {
                case .resource(let list)?: out += "    resources = \(hcl(list))\n"
                case .notResource(let list)?: out += "    not_resources = \(hcl(list))\n"
                case nil: break
                }
                for condition in statement.conditions {
                    out += "\n    condition {\n"
                    out += "      test     = \(hcl(condition.operator.name))\n"
                    out += "      variable = \(hcl(condition.key))\n"
                    out += "      values   = \(hcl(condition.values))\n"
                    out += "    }\n"
                }
                out += "  }\n"
            }
            out += "}\n"
            out += "\nresource \"aws_iam_policy\" \"\(label)\" {\n"
            out += "  name   = \(hcl(policy.name))\n"
            out += "  policy = data.aws_iam_policy_document.\(label).json\n"
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

    /// An HCL list of string literals.
    static func hcl(_ list: [String]) -> String {
        list.count <= 1
            ? "[" + list.map(hcl).joined(separator: ", ") + "]"
            : "[\n" + list.map { "      \(hcl($0)),\n" }.joined() + "    ]"
    }
}
