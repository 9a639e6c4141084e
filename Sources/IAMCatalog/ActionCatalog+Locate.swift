import Foundation

extension ActionCatalog {
    /// The environment variable naming the catalog folder.
    public static let environmentVariable = "PARE_CATALOG"

    /// Finds the `ActionCatalog/` folder: `explicit` (`--catalog PATH`) when given, else
    /// `$PARE_CATALOG` when set, else `ActionCatalog/` next to the executable, else the one in the
    /// source checkout this library was built from. An explicit path or `PARE_CATALOG` that does not
    /// hold a catalog is an error (never silently skipped); the error lists every place looked.
    public static func locate(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> URL {
        try locate(
            explicit: explicit, environment: environment,
            defaults: [
                (executableFolder()?.appendingPathComponent("ActionCatalog"), "next to the executable"),
                (sourceCheckout, "source checkout"),
            ])
    }

    /// `locate(explicit:environment:)` with the default places given (for tests).
    static func locate(explicit: String?, environment: [String: String], defaults: [(URL?, String)]) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard holdsCatalog(url) else {
                throw CatalogError(
                    "no action catalog at `\(url.path)` (--catalog): expected `\(catalogFileName)` there")
            }
            return url
        }
        if let value = environment[environmentVariable], !value.isEmpty {
            let url = URL(fileURLWithPath: value)
            guard holdsCatalog(url) else {
                throw CatalogError(
                    "no action catalog at `\(url.path)` (\(environmentVariable)): expected `\(catalogFileName)` there")
            }
            return url
        }
        var looked: [String] = []
        for case (let url?, let place) in defaults {
            if holdsCatalog(url) { return url }
            looked.append("`\(url.path)` (\(place))")
        }
        throw CatalogError(
            "cannot find the action catalog: looked in \(looked.joined(separator: ", ")); "
                + "pass --catalog PATH or set \(environmentVariable)")
    }

    /// `ActionCatalog/` in the checkout this file was compiled from.
    static let sourceCheckout: URL? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/IAMCatalog/ActionCatalog+Locate.swift
        return url.appendingPathComponent("ActionCatalog")
    }()

    private static func executableFolder() -> URL? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
    }

    private static func holdsCatalog(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(catalogFileName).path)
    }
}
