# Least-privilege policy for arn:aws:iam::123837392027:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS, synthesized by pare.

data "aws_iam_policy_document" "pare-AWSServiceRoleForRDS" {
  version = "2012-10-17"

  statement {
    sid     = "Ec2Write"
    effect  = "Allow"
    actions = ["ec2:CreateNetworkInterface"]
    resources = [
      "arn:aws:ec2:us-east-1:123837392027:network-interface/*",
      "arn:aws:ec2:us-east-1:123837392027:security-group/*",
      "arn:aws:ec2:us-east-1:123837392027:subnet/*",
    ]
  }

  statement {
    sid       = "Ec2Write2"
    effect    = "Allow"
    actions   = ["ec2:DeleteNetworkInterface"]
    resources = ["arn:aws:ec2:us-east-1:123837392027:network-interface/*"]
  }

  statement {
    sid    = "Ec2List"
    effect = "Allow"
    actions = [
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "pare-AWSServiceRoleForRDS" {
  name   = "pare-AWSServiceRoleForRDS"
  policy = data.aws_iam_policy_document.pare-AWSServiceRoleForRDS.json
}
