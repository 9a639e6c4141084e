// Reports: Renderers: text, JSON, SARIF, Terraform, CloudFormation.
