import IAMPolicy
import Synthesis

extension PolicyRenderer {
    /// CloudFormation YAML: one `AWS::IAM::ManagedPolicy` per document, attached to the principal (`Roles` or
    /// `Users`). Every string is double-quoted (JSON escaping is valid YAML).
    public static func cloudFormation(_ result: SynthesisResult) -> String {
        var out = "AWSTemplateFormatVersion: \"2010-09-09\"\n"
        out += "Description: \(yaml("Least-privilege policy for \(result.principal), synthesized by pare"))\n"
        out += "Resources:\n"
        let name = result.principal.split(separator: "/").last.map(String.init) ?? ""
        let attachment =
            result.principal.contains(":role/") ? "Roles" : result.principal.contains(":user/") ? "Users" : nil
        for policy in result.policies {
            out += "  \(logicalId(policy.name)):\n"
            out += "    Type: AWS::IAM::ManagedPolicy\n"
            out += "    Properties:\n"
            out += "      ManagedPolicyName: \(yaml(policy.name))\n"
            if let attachment { out += "      \(attachment):\n        - \(yaml(name))\n" }
            out += "      PolicyDocument:\n"
            if let version = policy.document.version { out += "        Version: \(yaml(version))\n" }
            out += "        Statement:\n"
            for statement in policy.document.statements {
                var lines: [String] = []
                if let sid = statement.sid { lines.append("Sid: \(yaml(sid))") }
                lines.append("Effect: \(statement.effect.rawValue)")
                switch statement.action {
                case .action(let list): lines += ["Action:"] + list.map { "  - \(yaml($0))" }
                case .notAction(let list): lines += ["NotAction:"] + list.map { "  - \(yaml($0))" }
                }
                switch statement.resource {
                case .resource(let list)?: lines += ["Resource:"] + list.map { "  - \(yaml($0))" }
                case .notResource(let list)?: lines += ["NotResource:"] + list.map { "  - \(yaml($0))" }
                case nil: break
                }
                if !statement.conditions.isEmpty {
                    lines.append("Condition:")
                    var currentOperator: String?
                    for condition in statement.conditions {
                        if condition.operator.name != currentOperator {
                            currentOperator = condition.operator.name
                            lines.append("  \(condition.operator.name):")
                        }
                        lines.append("    \(yaml(condition.key)):")
                        lines += condition.values.map { "      - \(yaml($0))" }
                    }
                }
                for (index, line) in lines.enumerated() {
                    out += (index == 0 ? "          - " : "            ") + line + "\n"
                }
            }
        }
        return out
    }

    /// A CloudFormation logical id: letters and digits only.
    static func logicalId(_ name: String) -> String {
        StatementCase.camel(name) + "Policy"
    }

    /// A double-quoted YAML scalar.
    static func yaml(_ text: String) -> String {
        JSONValue.string(text).text(.compact)
    }
}

/// `pare-bert-jan-2` → `PareBertJan2`.
enum StatementCase {
    static func camel(_ text: String) -> String {
        text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
