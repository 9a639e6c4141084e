// CompareTests
