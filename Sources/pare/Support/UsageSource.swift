import Foundation
import UsageStore

/// The usage store a command reads: the one of `--store`, or a temporary one that `--logs` are ingested
/// into first (removed by ``close()``).
struct UsageSource {
    let store: UsageStore
    private let temporary: URL?

    /// `--logs` given: a temporary store with them; otherwise the store of `options` (which must exist
    /// when `required`, else `nil` when there is none).
    static func open(logs: [String], options: StoreOptions, catalog: String?, required: Bool) throws -> UsageSource? {
        guard !logs.isEmpty else {
            let explicit = options.store != nil
            if !required, !explicit, !FileManager.default.fileExists(atPath: options.path) { return nil }
            return UsageSource(store: try options.open(mustExist: true), temporary: nil)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store: UsageStore
        do {
            store = try UsageStore(path: folder.appendingPathComponent("usage.sqlite").path)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw failure(error.description)
        }
        let source = UsageSource(store: store, temporary: folder)
        do {
            try IngestCommand.check(IngestCommand.ingest(logs, into: store, catalog: catalog, progress: false))
        } catch {
            source.close()
            throw error
        }
        return source
    }

    /// Removes the temporary store, if any.
    func close() {
        if let temporary { try? FileManager.default.removeItem(at: temporary) }
    }
}
