// CloudTrail: CloudTrail log discovery, gzip streaming and record scanning.
