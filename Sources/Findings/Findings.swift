// Findings: Unused-access findings and account posture checks.
