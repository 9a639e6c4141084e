// Ingest: The ingestion pipeline: CloudTrail records → attribution → resolution → ledger.
