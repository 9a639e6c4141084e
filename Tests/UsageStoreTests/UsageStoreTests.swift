// UsageStoreTests
