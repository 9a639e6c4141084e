import Foundation
import Testing
import Timestamps

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0)),
        ("2026-11-01", Int64(1_793_491_200)),
        ("2023-07-10T11:45:12Z", Int64(1_688_989_512)),
        ("2023-07-10T11:45:12.999Z", Int64(1_688_989_512)),
        ("2023-07-10T13:45:12+02:00", Int64(1_688_989_512)),
        ("2023-07-10T06:45:12-05:00", Int64(1_688_989_512)),
        ("2023-07-10 11:45:12", Int64(1_688_989_512)),
        ("2024-02-29T00:00:00Z", Int64(1_709_164_800)),
        ("1969-12-31T23:59:59Z", Int64(-1)),
        ("2023-07-10T23:59:60Z", Int64(1_689_033_600)),
        ("2023-07-10T09:09:09", Int64(1_688_980_149)),
    ])
    func parsesISO8601(text: String, expected: Int64) {
        #expect(Timestamp.parse(text) == expected)
    }

    @Test(arguments: [
        "", "2023", "2023-7-10", "2023-13-01", "2023-02-29", "2023-07-10T", "2023-07-10T25:00:00Z",
        "2023-07-10T11:45:12ZZ", "2023-07-10T11:45:12+0200", "2023-07-10T11:45:12.Z", "x023-07-10",
        "N/A", "no_information", "2023-07-10T1:45:12Z0", "2023-07-10T11-45-12Z", "2023-07-10T11:4a:12Z",
        "2023-07-10T11:45:1/Z", "2023-07-10T11:45: 2Z", "2023-07-10T11:60:00Z", "2023-07-10T11:45:61Z",
        "2023-07-10T24:00:00Z", "2023-07-10T1\u{E9}:45:12Z", "2023-07-10T11:45;12Z", "2023-07-10T:1:45:12Z",
    ])
    func rejectsMalformed(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    /// One memo through times on the same day, other days and bad times in turn: every result is that
    /// of `parse(_:)`, whether the date came from the memo or not.
    @Test func aMemoizedDateGivesTheSameTimes() {
        let texts = [
            "2023-07-10T11:45:12Z", "2023-07-10T11:45:13Z", "2023-07-10T25:00:00Z", "2023-07-10",
            "2023-07-10T13:45:12+02:00", "2023-07-10T11:45:12.5Z", "2023-07-10T11:45:12ZZ", "2023-07-10T",
            "2023-07-11T00:00:00Z", "2023-02-29T00:00:00Z", "2023-07-11T23:59:59Z", "2024-02-29T00:00:00Z",
            "2024-02-29", "2023-07-1", "", "N/A", "2024-02-29T12:00:00-05:00", "1969-12-31T23:59:59Z",
            "1969-12-31T00:00:00Z",
        ]
        var memo = Timestamp.DateMemo()
        var memoized: [Int64?] = []
        for text in texts {
            var text = text
            memoized.append(text.withUTF8 { Timestamp.parse(UnsafeRawBufferPointer($0), reusing: &memo) })
        }
        #expect(memoized == texts.map { Timestamp.parse($0) })
        #expect(memoized[0] == 1_688_989_512 && memoized[1] == 1_688_989_513 && memoized[2] == nil)
    }

    @Test func formatsRoundTrip() {
        for seconds: Int64 in [0, -1, 1_688_989_512, 1_709_164_800, 4_102_444_799, -62_135_596_800] {
            #expect(Timestamp.parse(Timestamp.format(seconds)) == seconds)
        }
        #expect(Timestamp.format(1_688_989_512) == "2023-07-10T11:45:12Z")
        #expect(Timestamp.formatDay(Timestamp.day(of: 1_688_989_512)) == "2023-07-10")
        #expect(Timestamp.day(of: -1) == -1)
    }

    @Test func agreesWithFoundationOnEveryDayOfFourCenturies() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        var day: Int64 = Timestamp.daysFromCivil(year: 1900, month: 1, day: 1)
        let end = Timestamp.daysFromCivil(year: 2300, month: 1, day: 1)
        while day < end {
            let date = Date(timeIntervalSince1970: TimeInterval(day * 86_400))
            #expect(formatter.string(from: date) == Timestamp.formatDay(day))
            day += 97  // a prime stride covers every month and weekday
        }
    }
}
