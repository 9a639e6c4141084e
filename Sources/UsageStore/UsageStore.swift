// UsageStore: The usage ledger in SQLite (GRDB).
