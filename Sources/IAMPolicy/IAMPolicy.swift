// IAMPolicy: The IAM policy language: documents, ARNs, wildcard patterns, evaluation.
