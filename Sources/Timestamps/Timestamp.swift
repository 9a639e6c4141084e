/// UTC timestamps as integer seconds since the Unix epoch, parsed and formatted by hand.
///
/// `ISO8601DateFormatter` costs tens of microseconds per call on Linux; CloudTrail ingestion parses one
/// time per record, so this parser works on bytes and allocates nothing.
public enum Timestamp {
    /// Seconds in one day.
    public static let secondsPerDay: Int64 = 86_400

    /// Parses an ISO 8601 / RFC 3339 time: `2026-11-01`, `2026-11-01T12:00:00Z`,
    /// `2026-11-01T12:00:00.123Z`, `2026-11-01T12:00:00+02:00`, `2026-11-01 12:00:00`
    /// (a missing zone means UTC). Fractions of a second are dropped. Returns `nil` for anything else.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let day = date(bytes) else { return nil }
        return time(bytes, day: day)
    }

    /// The date of the last time ``parse(_:reusing:)`` read: its 10 bytes (`YYYY-MM-DD`) and their seconds.
    public struct DateMemo {
        var head: UInt64 = 0
        var tail: UInt16 = 0
        var seconds: Int64?

        public init() {}

        init(head: UInt64, tail: UInt16, seconds: Int64) {
            self.head = head
            self.tail = tail
            self.seconds = seconds
        }
    }

    /// ``parse(_:)``, taking the date from `memo` when its 10 bytes are those of the last time parsed
    /// (the records of one log file nearly always share their day): the same result, without the
    /// calendar arithmetic.
    public static func parse(_ bytes: UnsafeRawBufferPointer, reusing memo: inout DateMemo) -> Int64? {
        guard bytes.count >= 10, let base = bytes.baseAddress else { return nil }
        let head = base.loadUnaligned(as: UInt64.self)
        let tail = base.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        if let day = memo.seconds, head == memo.head, tail == memo.tail { return time(bytes, day: day) }
        guard let day = date(bytes) else { return nil }
        memo = DateMemo(head: head, tail: tail, seconds: day)
        return time(bytes, day: day)
    }

    /// The seconds of the date part (`YYYY-MM-DD`), checked.
    private static func date(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 10, let year = digits(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = digits(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = digits(bytes, 8, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * secondsPerDay
    }

    /// The time after the date part, added to the date's seconds `day`.
    private static func time(_ bytes: UnsafeRawBufferPointer, day: Int64) -> Int64? {
        let n = bytes.count
        var seconds = day
        if n == 10 { return seconds }
        guard n >= 19, let base = bytes.baseAddress,
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == 0x20
        else { return nil }
        // `HH:MM:SS` in one word: XOR with `00:00:00` leaves each digit's value and zero for each colon;
        // a byte of 10 or more (anything else) gets its high bit set by adding 0x76.
        let v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 11, as: UInt64.self)) ^ 0x3030_3A30_303A_3030
        guard (v | (v &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0, v & 0x0000_FF00_00FF_0000 == 0
        else { return nil }
        func digit(_ i: UInt64) -> Int64 { Int64(truncatingIfNeeded: v >> (8 * i) & 0xFF) }
        let hour = digit(0) * 10 + digit(1)
        let minute = digit(3) * 10 + digit(4)
        let second = digit(6) * 10 + digit(7)
        guard hour < 24, minute < 60, second < 61 else { return nil }
        seconds += hour * 3600 + minute * 60 + second
        var i = 19
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            guard i > start else { return nil }
        }
        if i == n { return seconds }
        switch bytes[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return i + 1 == n ? seconds : nil
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[i] == UInt8(ascii: "+") ? 1 : -1
            guard n - i == 6, let oh = digits(bytes, i + 1, 2), bytes[i + 3] == UInt8(ascii: ":"),
                let om = digits(bytes, i + 4, 2), oh < 24, om < 60
            else { return nil }
            return seconds - sign * (oh * 3600 + om * 60)
        default:
            return nil
        }
    }

    /// Parses a time given as a string; see ``parse(_:)-(UnsafeRawBufferPointer)``.
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Formats seconds as `2026-11-01T12:00:00Z`.
    public static func format(_ seconds: Int64) -> String {
        let day = floorDiv(seconds, secondsPerDay)
        let rest = seconds - day * secondsPerDay
        let (y, m, d) = civil(fromDays: day)
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
    }

    /// The UTC day number (days since 1970-01-01) of a time.
    public static func day(of seconds: Int64) -> Int64 { floorDiv(seconds, secondsPerDay) }

    /// The calendar month of a UTC day number, counted from year 0 (`year * 12 + month - 1`): consecutive
    /// months have consecutive numbers.
    public static func month(ofDay day: Int64) -> Int64 {
        let (y, m, _) = civil(fromDays: day)
        return y * 12 + m - 1
    }

    /// Formats a UTC day number as `2026-11-01`.
    public static func formatDay(_ day: Int64) -> String {
        let (y, m, d) = civil(fromDays: day)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (inverse of ``daysFromCivil(year:month:day:)``).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always)
    private static func digits(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for i in start..<(start + count) {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int64(d)
        }
        return value
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
