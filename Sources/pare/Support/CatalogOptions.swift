import ArgumentParser
import IAMCatalog

/// `--catalog PATH`: where the bundled `ActionCatalog/` is, for every command that needs it.
struct CatalogOptions: ParsableArguments {
    @Option(help: "The ActionCatalog folder (default: $PARE_CATALOG, next to the executable, the source checkout).")
    var catalog: String?

    /// Locates and loads the catalog, or fails with where it looked.
    func load() throws -> ActionCatalog {
        do {
            return try ActionCatalog.load(from: ActionCatalog.locate(explicit: catalog))
        } catch let error as CatalogError {
            throw failure(error.description)
        }
    }
}
