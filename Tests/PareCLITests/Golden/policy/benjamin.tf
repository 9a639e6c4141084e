# Least-privilege policy for arn:aws:iam::123837392027:user/benjamin, synthesized by pare.

data "aws_iam_policy_document" "pare-benjamin" {
  version = "2012-10-17"

  statement {
    sid     = "AccountRead"
    effect  = "Allow"
    actions = ["account:GetRegionOptStatus"]
    resources = [
      "arn:aws:account::*:account/o-*/*",
      "arn:aws:account::123837392027:account",
    ]
  }

  statement {
    sid    = "AnyResource"
    effect = "Allow"
    actions = [
      "health:DescribeEventAggregates",
      "iam:GetAccountAuthorizationDetails",
      "iam:GetAccountSummary",
      "iam:ListUsers",
      "notifications:ListNotificationHubs",
      "route53:ListHostedZones",
      "s3:GetAccountPublicAccessBlock",
      "s3:ListAccessPoints",
      "s3:ListAllMyBuckets",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "IamList"
    effect = "Allow"
    actions = [
      "iam:ListMFADevices",
      "iam:ListSSHPublicKeys",
    ]
    resources = ["arn:aws:iam::123837392027:user/*"]
  }

  statement {
    sid    = "S3Read"
    effect = "Allow"
    actions = [
      "s3:GetBucketAcl",
      "s3:GetBucketLocation",
      "s3:GetBucketLogging",
      "s3:GetBucketPolicy",
      "s3:GetBucketPolicyStatus",
      "s3:GetBucketPublicAccessBlock",
    ]
    resources = [
      "arn:aws:s3:::baker221b-bucketsevidenceeeedc25d-1q9cl0tuy4gbm",
      "arn:aws:s3:::baker221b-bucketssecuritylogsbef08b3e-13nrzhi7fcs7w",
      "arn:aws:s3:::cdktoolkit-stagingbucket-zbvx22khdave",
      "arn:aws:s3:::config-bucket-123837392027",
      "arn:aws:s3:::invictus-aws-2022-09-28-pgd48",
      "arn:aws:s3:::invictus-aws-2022-10-27-8aukl",
      "arn:aws:s3:::invictus-aws-2022-10-27-e0xdv",
      "arn:aws:s3:::invictus-aws-2022-10-27-quygr",
    ]
  }

  statement {
    sid       = "S3Read2"
    effect    = "Allow"
    actions   = ["s3:GetStorageLensConfiguration"]
    resources = ["arn:aws:s3:us-east-1:123837392027:storage-lens/*"]
  }
}

resource "aws_iam_policy" "pare-benjamin" {
  name   = "pare-benjamin"
  policy = data.aws_iam_policy_document.pare-benjamin.json
}
