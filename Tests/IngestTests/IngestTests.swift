// IngestTests
