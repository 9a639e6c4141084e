import ArgumentParser

extension ExitCode {
    /// The check the command ran failed: `diff` found new access, `findings` at or above `--fail-on`,
    /// `simulate` denied the request.
    static let checkFailed = ExitCode(2)
}
