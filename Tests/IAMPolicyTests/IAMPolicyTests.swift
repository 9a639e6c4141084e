// IAMPolicyTests
