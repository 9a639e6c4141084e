# Least-privilege policy for arn:aws:iam::123837392027:role/stratus-red-team-ec2-steal-credentials-role, synthesized by pare.

data "aws_iam_policy_document" "pare-stratus-red-team-ec2-steal-credentials-role" {
  version = "2012-10-17"

  statement {
    sid    = "AnyResource"
    effect = "Allow"
    actions = [
      "ec2:DescribeInstances",
      "ssm:PutInventory",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "SsmRead"
    effect    = "Allow"
    actions   = ["ssm:GetDocument"]
    resources = ["arn:aws:ssm:us-east-1:123837392027:document/*"]
  }

  statement {
    sid       = "SsmList"
    effect    = "Allow"
    actions   = ["ssm:ListInstanceAssociations"]
    resources = ["arn:aws:ec2:us-east-1:123837392027:instance/i-0dbc91f429e48eeed"]
  }

  statement {
    sid    = "SsmWrite"
    effect = "Allow"
    actions = [
      "ssm:PutComplianceItems",
      "ssm:UpdateInstanceInformation",
    ]
    resources = [
      "arn:aws:ec2:us-east-1:123837392027:instance/*",
      "arn:aws:ssm:us-east-1:123837392027:managed-instance/*",
    ]
  }

  statement {
    sid     = "SsmWrite2"
    effect  = "Allow"
    actions = ["ssm:UpdateInstanceAssociationStatus"]
    resources = [
      "arn:aws:ec2:us-east-1:123837392027:instance/i-0dbc91f429e48eeed",
      "arn:aws:ssm:us-east-1:123837392027:association/56fcb26d-8140-4f3f-8f77-7ff7344b4057",
    ]
  }
}

resource "aws_iam_policy" "pare-stratus-red-team-ec2-steal-credentials-role" {
  name   = "pare-stratus-red-team-ec2-steal-credentials-role"
  policy = data.aws_iam_policy_document.pare-stratus-red-team-ec2-steal-credentials-role.json
}
