// CloudTrailTests
