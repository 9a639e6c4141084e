import IAMCatalog

/// The bundled action catalog, loaded once for all tests (`nil` when it cannot be loaded: tests then
/// fail on `#require`).
public enum TestCatalog {
    public static let shared: ActionCatalog? = try? ActionCatalog.load(from: Repository.actionCatalog)
}
