import CIsal
import CScan

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bounds that protect a run from hostile or broken input.
public struct ReaderLimits: Sendable, Hashable {
    /// Largest single record; a larger one is skipped and reported (CloudTrail's own limit is 256 KB).
    public var maximumRecordBytes: Int
    /// Largest decompressed file; reading stops there and the file is reported (gzip bombs).
    public var maximumFileBytes: Int64

    public init(maximumRecordBytes: Int = 1 << 20, maximumFileBytes: Int64 = 4 << 30) {
        self.maximumRecordBytes = maximumRecordBytes
        self.maximumFileBytes = maximumFileBytes
    }
}

/// What reading one file gave.
public struct FileReadSummary: Sendable, Hashable {
    /// Records found: delivered to the callback plus skipped.
    public var records = 0
    /// Records skipped, each with a diagnostic.
    public var skipped = 0
    /// Size of the file on disk.
    public var rawBytes: Int64 = 0
    /// Bytes after decompression.
    public var decompressedBytes: Int64 = 0
    /// `crc32` + `adler32` of the raw bytes (16 hex digits).
    public var contentHash = ""
    /// Problems found, in file order (at most ``LogReader/maximumDiagnosticsPerFile`` plus a summary).
    public var diagnostics: [InputDiagnostic] = []
    /// Whether a problem made part of the file unreadable (not only single records).
    public var damaged = false
}

/// Reads CloudTrail log files of every supported shape, record by record, without building a JSON tree.
///
/// Shapes, detected from content: `{"Records":[…]}` (S3 delivery), a bare array of events, JSON Lines
/// (CloudWatch Logs and Logstash exports, `@timestamp` when `eventTime` is missing), `aws cloudtrail
/// lookup-events` output (`{"Events":[{"CloudTrailEvent":"<json>"}]}`) and EventBridge envelopes
/// (`{"detail":{…}}`); each of them plain or gzip. One reader serves one thread; reuse it across files.
public final class LogReader {
    public static let maximumDiagnosticsPerFile = 50

    public let limits: ReaderLimits
    private let chunk = 1 << 18
    private let buffer: UnsafeMutableRawBufferPointer
    private let input: UnsafeMutableRawBufferPointer
    /// ISA-L's inflate state, reused from file to file; `nil` when pare was built without ISA-L.
    private let isal = pare_isal_create()
    private let parser: RecordParser
    private let lookupParser: RecordParser

    // Per file.
    private var source: ByteSource?
    private var lo = 0
    private var hi = 0
    private var eof = false
    /// Whether the bytes in `buffer[0..<hi]` are all ASCII: records then need no UTF-8 check of their own.
    private var bufferIsASCII = true
    private var line = 1
    private var summary = FileReadSummary()
    private var file = ""
    private var extraDiagnostics = 0

    public init(limits: ReaderLimits = ReaderLimits()) {
        self.limits = limits
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.maximumRecordBytes + chunk, alignment: 8)
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 8)
        parser = RecordParser(capacity: limits.maximumRecordBytes)
        lookupParser = RecordParser(capacity: limits.maximumRecordBytes)
    }

    deinit {
        buffer.deallocate()
        input.deallocate()
        pare_isal_destroy(isal)
        parser.deallocate()
        lookupParser.deallocate()
    }

    /// The content hash of a file without parsing it (to recognise a file already ingested).
    public func contentHash(path: String) -> String? { ByteSource.contentHash(path: path, buffer: input) }

    /// Reads the file at `path`, calling `body` for each valid record; `name` is how diagnostics name
    /// the file. The record passed to `body` is valid only during the call.
    public func read(path: String, name: String, _ body: (borrowing EventRecord) -> Void) -> FileReadSummary {
        let source = ByteSource(path: path, maximumBytes: limits.maximumFileBytes, inputBuffer: input, isal: isal)
        self.source = source
        defer { self.source = nil }
        lo = 0
        hi = 0
        eof = false
        bufferIsASCII = true
        line = 1
        file = name
        extraDiagnostics = 0
        summary = FileReadSummary()
        if source.failure == nil {
            // Local, so that parsing and delivering need no dynamic exclusivity checks or copies.
            var scan = Scan(parser: parser, lookupParser: lookupParser)
            readValues(&scan, body)
        }
        switch source.failure {
        case .unreadable(let reason)?:
            report(nil, reason)
            summary.damaged = true
        case .truncatedGzip?:
            report(nil, "truncated gzip stream after \(source.producedBytes) bytes; records before it were kept")
            summary.damaged = true
        case .corruptGzip(let reason)?:
            report(nil, "corrupt gzip data (\(reason.lowercased())) after \(source.producedBytes) bytes")
            summary.damaged = true
        case .tooLarge(let bound)?:
            report(nil, "decompressed size exceeds \(bound) bytes; the rest of the file was skipped")
            summary.damaged = true
        case nil:
            if summary.records == 0, !summary.damaged, summary.diagnostics.isEmpty {
                report(nil, source.producedBytes == 0 ? "empty file" : "no records")
            }
        }
        if extraDiagnostics > 0 {
            summary.diagnostics.append(
                InputDiagnostic(file: file, location: nil, message: "\(extraDiagnostics) more problems not shown"))
        }
        summary.rawBytes = source.rawBytes
        summary.decompressedBytes = source.producedBytes
        summary.contentHash = source.contentHash
        return summary
    }

    // MARK: Top level

    private enum Envelope { case records, lookupEvents }

    /// The mutable state of scanning one file's records.
    private struct Scan {
        var parser: RecordParser
        var lookupParser: RecordParser
        var record = EventRecord()
    }

    private func readValues(_ scan: inout Scan, _ body: (borrowing EventRecord) -> Void) {
        var values = 0
        while skipWhitespace() {
            values += 1
            guard let base = buffer.baseAddress else { return }
            let b = base.load(fromByteOffset: lo, as: UInt8.self)
            if b == UInt8(ascii: "[") {
                lo += 1
                readElements(.records, &scan, body)
                continue
            }
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") {
                // Between top-level values: a separator of a comma-joined export, or a stray closer left by
                // a damaged file. Step over it (the record reader would stop in front of it, forever).
                lo += 1
                values -= 1
                if b != UInt8(ascii: ",") {
                    summary.damaged = true
                    report("line \(line)", "unexpected `\(b == UInt8(ascii: "]") ? "]" : "}")` between records")
                }
                continue
            }
            guard b == UInt8(ascii: "{") else {
                if values == 1 {
                    report(nil, "not JSON: expected `{` or `[` at the start of the file")
                    summary.damaged = true
                    return
                }
                summary.records += 1
                skipRecord(.line(line), "expected a JSON object")
                continue
            }
            var envelope: Envelope?
            var wrongKey: String?
            let outcome = attempt { (c: inout JSONCursor) throws(ScanError) in
                var k = c
                try k.expect(UInt8(ascii: "{"), "")
                try k.skipWhitespace()
                guard k.p.pointee == UInt8(ascii: "\"") else { return }
                k.p += 1
                let (start, count, _) = try k.scanString()
                let key = ByteSlice(start: start, count: count)
                let kind: Envelope? =
                    key.equals("Records") ? .records : key.equals("Events") ? .lookupEvents : nil
                guard let kind else { return }
                try k.expect(UInt8(ascii: ":"), "")
                try k.skipWhitespace()
                guard k.p.pointee == UInt8(ascii: "[") else {
                    wrongKey = kind == .records ? "Records" : "Events"
                    return
                }
                k.p += 1
                envelope = kind
                c = k
            }
            if case .ok = outcome, let envelope {
                readElements(envelope, &scan, body)
                finishEnvelope()
            } else if let wrongKey {
                summary.records += 1
                skipRecord(.record(summary.records), "`\(wrongKey)`: expected an array")
            } else {
                readTopLevelRecord(&scan, body)
            }
        }
    }

    /// A record that is a top-level value (JSON Lines, or a file holding one event).
    private func readTopLevelRecord(_ scan: inout Scan, _ body: (borrowing EventRecord) -> Void) {
        summary.records += 1
        scan.record.index = summary.records
        scan.record.line = line
        let start = lo
        let location = Location.line(line)
        let outcome = attempt { (c: inout JSONCursor) throws(ScanError) in
            try scan.parser.parseRecord(&c, into: &scan.record)
        }
        switch outcome {
        case .ok:
            let recordLine = line
            countNewlines(from: start, to: lo)
            scan.record.line = recordLine
            deliver(scan.record, start: start, end: lo, location: location, body)
        case .invalid(let message):
            skipLine(location, message)
        case .truncated:
            truncated(location)
        case .oversize:
            skipRecord(location, "record exceeds \(limits.maximumRecordBytes) bytes")
        }
    }

    /// The elements of an array, each an event (or a `lookup-events` element), up to its `]`.
    private func readElements(_ envelope: Envelope, _ scan: inout Scan, _ body: (borrowing EventRecord) -> Void) {
        var first = true
        while true {
            guard skipWhitespace(), let base = buffer.baseAddress else { return unclosedArray() }
            let b = base.load(fromByteOffset: lo, as: UInt8.self)
            if b == UInt8(ascii: "]") {
                lo += 1
                return
            }
            if !first {
                guard b == UInt8(ascii: ",") else {
                    report("record \(summary.records + 1)", "expected `,` or `]`")
                    summary.damaged = true
                    return skipToEnd()
                }
                lo += 1
                guard skipWhitespace() else { return unclosedArray() }
            }
            first = false
            summary.records += 1
            scan.record.index = summary.records
            scan.record.line = nil
            let location = Location.record(summary.records)
            let start = lo
            var embedded: ByteSlice?
            let outcome = attempt { (c: inout JSONCursor) throws(ScanError) in
                if envelope == .records {
                    try scan.parser.parseRecord(&c, into: &scan.record)
                } else {
                    embedded = try scan.lookupParser.readLookupEvent(&c)
                }
            }
            switch outcome {
            case .ok:
                if envelope == .lookupEvents {
                    guard let embedded, let base = embedded.baseAddress else {
                        skip(location, "missing `CloudTrailEvent`")
                        continue
                    }
                    var c = JSONCursor(
                        p: base.assumingMemoryBound(to: UInt8.self),
                        end: base.assumingMemoryBound(to: UInt8.self) + embedded.count)
                    do throws(ScanError) {
                        try scan.parser.parseRecord(&c, into: &scan.record)
                    } catch {
                        if case .invalid(let message) = error {
                            skip(location, "`CloudTrailEvent`: \(message)")
                        } else {
                            skip(location, "`CloudTrailEvent`: truncated JSON")
                        }
                        continue
                    }
                }
                deliver(scan.record, start: start, end: lo, location: location, body)
            case .invalid(let message):
                skipRecord(location, message)
            case .truncated:
                truncated(location)
                return
            case .oversize:
                skipRecord(location, "record exceeds \(limits.maximumRecordBytes) bytes")
            }
        }
    }

    /// The input ended inside a record: a damaged source already says so (and the partial record is
    /// not counted); otherwise the file itself is cut short.
    private func truncated(_ location: Location) {
        lo = hi
        if source?.failure == nil {
            skip(location, "truncated record")
        } else {
            summary.records -= 1
        }
    }

    private func unclosedArray() {
        if source?.failure == nil {
            report(nil, "truncated: the array is not closed")
            summary.damaged = true
        }
    }

    /// After the array of an envelope: the other members, up to the closing `}`.
    private func finishEnvelope() {
        while true {
            var more = false
            let outcome = attempt { (c: inout JSONCursor) throws(ScanError) in
                more = try c.nextMember(close: UInt8(ascii: "}"))
                if more {
                    try c.skipValue()
                    try c.expect(UInt8(ascii: ":"), "expected `:`")
                    try c.skipValue()
                }
            }
            guard case .ok = outcome else {
                if case .invalid(let message) = outcome {
                    report(nil, "after the records: \(message)")
                    summary.damaged = true
                    skipToEnd()
                }
                return
            }
            if !more { return }
        }
    }

    /// Checks the fields every event needs and hands the record to `body`.
    @inline(__always)
    private func deliver(
        _ r: borrowing EventRecord, start: Int, end: Int, location: Location, _ body: (borrowing EventRecord) -> Void
    ) {
        guard let base = buffer.baseAddress else { return }
        if end - start > limits.maximumRecordBytes {
            return skip(location, "record exceeds \(limits.maximumRecordBytes) bytes")
        }
        if !bufferIsASCII, !isASCII(base + start, end - start),
            String(validating: UnsafeRawBufferPointer(start: base + start, count: end - start), as: UTF8.self) == nil
        {
            return skip(location, "invalid UTF-8")
        }
        if r.eventSource == nil, r.eventName == nil, r.time == nil, r.badTime == nil {
            return skip(location, "not a CloudTrail event (no `eventSource`, `eventName` or `eventTime`)")
        }
        if let bad = r.badTime { return skip(location, "invalid time `\(bad.string)`") }
        guard r.time != nil else { return skip(location, "missing `eventTime`") }
        guard r.eventSource != nil else { return skip(location, "missing `eventSource`") }
        guard r.eventName != nil else { return skip(location, "missing `eventName`") }
        body(r)
    }

    // MARK: Buffer

    private enum Outcome {
        case ok
        case invalid(String)
        /// The input ended inside the value.
        case truncated
        /// The value is larger than the record bound.
        case oversize
    }

    /// Runs `step` on the bytes from `lo`; refills and retries while they are incomplete. On success
    /// `lo` moves to where `step` left the cursor; otherwise it stays.
    private func attempt(_ step: (inout JSONCursor) throws(ScanError) -> Void) -> Outcome {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .truncated }
        while true {
            var c = JSONCursor(p: base + lo, end: base + hi)
            do throws(ScanError) {
                try step(&c)
                lo = c.p - UnsafePointer(base)
                return .ok
            } catch {
                if case .invalid(let message) = error { return .invalid(message) }
                if hi - lo >= limits.maximumRecordBytes { return .oversize }
                if !fill() { return .truncated }
            }
        }
    }

    /// Moves the unread bytes to the front and reads more; `false` at the end of the input.
    private func fill() -> Bool {
        guard !eof, let base = buffer.baseAddress, let source else { return false }
        if lo > 0 {
            if hi > lo { memmove(base, base + lo, hi - lo) }
            hi -= lo
            lo = 0
        }
        let n = source.next(into: base + hi, capacity: buffer.count - hi)
        if n == 0 {
            eof = true
            return false
        }
        // One pass over the whole chunk, instead of one per record.
        bufferIsASCII = (bufferIsASCII || isASCII(base, hi)) && isASCII(base + hi, n)
        hi += n
        return true
    }

    /// Skips whitespace between top-level values, counting lines; `false` at the end of the input.
    private func skipWhitespace() -> Bool {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        while true {
            while lo < hi {
                let b = base[lo]
                if b == 0x0A {
                    line += 1
                } else if b != 0x20 && b != 0x0D && b != 0x09 {
                    return true
                }
                lo += 1
            }
            if !fill() { return false }
        }
    }

    private func countNewlines(from start: Int, to end: Int) {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var i = start
        while i < end {
            if base[i] == 0x0A { line += 1 }
            i += 1
        }
    }

    /// Skips the rest of the current line (JSON Lines recovery), reporting `message`.
    private func skipLine(_ location: Location, _ message: String) {
        skip(location, message)
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        while true {
            while lo < hi {
                if base[lo] == 0x0A { return }
                lo += 1
            }
            if !fill() { return }
        }
    }

    /// Skips one value from `lo` by its brackets and quotes alone (without the record bound), reporting
    /// `message`.
    private func skipRecord(_ location: Location, _ message: String) {
        skip(location, message)
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var depth = 0
        var inString = false
        var escaped = false
        var started = false
        while true {
            while lo < hi {
                let b = base[lo]
                lo += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { return }
                    }
                    continue
                }
                switch b {
                case UInt8(ascii: "\""):
                    inString = true
                    started = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    started = true
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 {
                        lo -= 1  // the container's own end
                        return
                    }
                    depth -= 1
                    if depth == 0 { return }
                case UInt8(ascii: ","):
                    if depth == 0 {
                        lo -= 1
                        return
                    }
                case 0x0A:
                    if depth == 0 && started {
                        lo -= 1
                        return
                    }
                case 0x20, 0x0D, 0x09:
                    break
                default:
                    started = true
                }
            }
            if !fill() { return }
        }
    }

    private func skipToEnd() {
        lo = hi
        while fill() { lo = hi }
    }

    /// Counts a skipped record with its diagnostic.
    private func skip(_ location: Location, _ message: String) {
        summary.skipped += 1
        report(location.description, message)
    }

    private func report(_ location: String?, _ message: String) {
        if summary.diagnostics.count < Self.maximumDiagnosticsPerFile {
            summary.diagnostics.append(InputDiagnostic(file: file, location: location, message: message))
        } else {
            extraDiagnostics += 1
        }
    }
}

/// Where a record is; rendered only when a diagnostic names it.
private enum Location: CustomStringConvertible {
    case record(Int)
    case line(Int)

    var description: String {
        switch self {
        case .record(let n): "record \(n)"
        case .line(let n): "line \(n)"
        }
    }
}

/// Whether `count` bytes are all ASCII (``pare_is_ascii``: AVX2 or SSE2).
@inline(__always)
private func isASCII(_ p: UnsafeMutableRawPointer, _ count: Int) -> Bool {
    pare_is_ascii(p.assumingMemoryBound(to: UInt8.self), count) != 0
}
