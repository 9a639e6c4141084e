import Foundation
import IAMCatalog
import TestSupport

/// The bundled catalog, loaded once for the whole test target.
let bundledCatalog: ActionCatalog? = try? ActionCatalog.load(from: Repository.actionCatalog)

/// Decompresses a `.gz` fixture with the system `gzip`.
func gunzip(_ url: URL) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-dc", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}
