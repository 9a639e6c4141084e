import ArgumentParser
import Foundation
import Timestamps
import UsageStore

/// `--days N | --since T --until T`, `--as-of T`: the window `[as-of − days, as-of)` or
/// `[since, until)`; times are UTC ISO 8601 (`2026-11-01` or `2026-11-01T12:00:00Z`).
struct WindowOptions: ParsableArguments {
    static let defaultDays = 90
    /// The longest window, 100 years (`--days` of `findings` too).
    static let maxDays = 36_500

    @Option(help: "Window length in days, ending at --as-of (1 to 36500, default: 90).")
    var days: Int?

    @Option(help: "Window start (ISO 8601, UTC); instead of --days.")
    var since: String?

    @Option(help: "Window end, exclusive (default: --as-of).")
    var until: String?

    @Option(name: .customLong("as-of"), help: "The time the window ends at (default: now).")
    var asOf: String?

    func validate() throws {
        if days != nil, since != nil { throw ValidationError("--days and --since cannot be combined") }
        if let days { try Self.check(days: days) }
        _ = try Self.time(since, "--since")
        _ = try Self.time(until, "--until")
        _ = try Self.time(asOf, "--as-of")
        if let window = try? window() { try Self.check(since: window.start, until: window.end) }
    }

    /// The window these options give.
    func window() throws -> StoreWindow {
        let now = Int64(Date().timeIntervalSince1970)
        let end = try Self.time(until, "--until") ?? Self.time(asOf, "--as-of") ?? now
        let start =
            try Self.time(since, "--since") ?? end - Int64(days ?? Self.defaultDays) * Timestamp.secondsPerDay
        return StoreWindow(start: start, end: end)
    }

    /// Rejects a `--days` value outside 1…``maxDays``.
    static func check(days: Int) throws {
        if days <= 0 { throw ValidationError("--days must be a positive number of days, not `\(days)`") }
        if days > maxDays {
            throw ValidationError("--days must be at most \(maxDays) (100 years), not `\(days)`")
        }
    }

    /// Rejects a window that starts at or after its end (`ingest --since/--until` too).
    static func check(since: Int64?, until: Int64?) throws {
        if let since, let until, since >= until {
            throw ValidationError("the window is empty: --since must be before --until")
        }
    }

    /// Parses an option's time value.
    static func time(_ value: String?, _ option: String) throws -> Int64? {
        guard let value else { return nil }
        guard let seconds = Timestamp.parse(value) else {
            throw ValidationError(
                "invalid time `\(value)` for \(option): expected ISO 8601 such as `2026-11-01` or `2026-11-01T12:00:00Z`"
            )
        }
        return seconds
    }
}
