import ArgumentParser
import Foundation

/// Prints `error: MESSAGE` on standard error and returns the exit code to throw (1).
///
/// Messages follow the house style: one line, lowercase, user values in backticks, context chained
/// with `: `.
func failure(_ message: String) -> ExitCode {
    printError("error: \(message)")
    return .failure
}

/// Prints `warning: MESSAGE` on standard error.
func warning(_ message: String) {
    printError("warning: \(message)")
}

/// Prints one line on standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
