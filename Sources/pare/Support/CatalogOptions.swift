import ArgumentParser
import IAMCatalog

/// `--catalog PATH`: where the bundled `ActionCatalog/` is, for every command that needs it.
struct CatalogOptions: ParsableArguments {
    @Option(help: "The ActionCatalog folder (default: $PARE_CATALOG, next to the executable, the source checkout).")
    var catalog: String?

    /// Locates and loads the catalog, or fails with where it looked.
    func load() throws -> ActionCatalog { try Self.load(explicit: catalog) }

    /// Locates and loads the catalog from `--catalog PATH` (or the default places), or fails with where
    /// it looked: for commands that take the path as a plain `--catalog` option.
    static func load(explicit path: String?) throws -> ActionCatalog {
        do {
            return try ActionCatalog.load(from: ActionCatalog.locate(explicit: path))
        } catch let error as CatalogError {
            throw failure(error.description)
        }
    }

    /// Locates and loads the catalog; the error says where it looked (for commands that go on without it).
    func loadOrThrow() throws -> ActionCatalog {
        try ActionCatalog.load(from: ActionCatalog.locate(explicit: catalog))
    }
}
