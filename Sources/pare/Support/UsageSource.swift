import Foundation
import UsageStore

/// Runs `body` on the usage store: the one of `--store` (which must exist), or, with `--logs`, a
/// temporary store the logs are ingested into first and that is removed afterwards. Shared by every
/// command that reads usage (`usage`, `policy`).
func withUsageStore<T>(
    logs: [String], storeOptions: StoreOptions, catalog: String?, _ body: (UsageStore) throws -> T
) throws -> T {
    guard !logs.isEmpty else { return try body(try storeOptions.open(mustExist: true)) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pare-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store: UsageStore
    do {
        store = try UsageStore(path: folder.appendingPathComponent("usage.sqlite").path)
    } catch {
        throw failure(error.description)
    }
    _ = try IngestCommand.ingest(logs, into: store, catalog: catalog, progress: false)
    return try body(store)
}
