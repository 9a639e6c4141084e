/// A problem with one input file that does not stop the run (DESIGN.md "Exit codes and messages"):
/// a malformed record is skipped and counted, a damaged file keeps the records before the damage.
public struct InputDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was given or discovered (`logs/x.json.gz`).
    public var file: String
    /// Where in the file: `record 17`, `line 3`, or `nil` for the file as a whole.
    public var location: String?
    /// What is wrong, lowercase, with user values in backticks.
    public var message: String

    public init(file: String, location: String?, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// ``cannot read `logs/x.json.gz`: record 17: missing `eventTime` ``.
    public var description: String {
        if let location { return "cannot read `\(file)`: \(location): \(message)" }
        return "cannot read `\(file)`: \(message)"
    }
}
