import ArgumentParser
import Foundation
import UsageStore

/// `--store PATH`: the usage store, default `$PARE_STORE`, else `./pare.sqlite`.
struct StoreOptions: ParsableArguments {
    static let environmentVariable = "PARE_STORE"

    @Option(help: "The usage store (default: $PARE_STORE, else ./pare.sqlite).")
    var store: String?

    var path: String {
        if let store { return store }
        if let value = ProcessInfo.processInfo.environment[Self.environmentVariable], !value.isEmpty { return value }
        return "pare.sqlite"
    }

    /// Rejects `--store` together with `--logs` (which read into a temporary store instead).
    func check(logs: [String]) throws {
        if store != nil, !logs.isEmpty {
            throw ValidationError("--store and --logs cannot be combined: --logs reads into a temporary store")
        }
    }

    /// Opens the store; with `mustExist`, a missing file is an error rather than a new empty store.
    func open(mustExist: Bool) throws -> UsageStore {
        if mustExist, !FileManager.default.fileExists(atPath: path) {
            throw failure("no usage store at `\(path)`: run `pare ingest LOGS` first, or give `--logs LOGS`")
        }
        do {
            return try UsageStore(path: path)
        } catch {
            throw failure(error.description)
        }
    }
}
