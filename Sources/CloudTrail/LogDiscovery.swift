import Timestamps

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One log file to read.
public struct LogFile: Sendable, Hashable {
    /// The path as given or found under a given folder.
    public var path: String
    /// The last path component (with the size and content hash, the key of an ingested file).
    public var name: String
    /// Size in bytes on disk.
    public var size: Int64

    public init(path: String, name: String, size: Int64) {
        self.path = path
        self.name = name
        self.size = size
    }
}

/// Finds CloudTrail log files under the paths given on the command line.
///
/// Folders are walked recursively in byte order of names, so the file list is deterministic. Inside
/// folders only `.json`, `.jsonl`, `.ndjson` and `.gz` files are taken (a file named explicitly is
/// always read); `CloudTrail-Digest` folders and files and hidden entries are skipped. With a window,
/// the S3 layouts `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` and
/// `AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/` and the delivery time in CloudTrail
/// file names (`…_CloudTrail_<region>_20260101T0000Z_….json.gz`) prune folders and files outside it
/// without opening them.
public struct LogDiscovery: Sendable {
    /// What discovery found.
    public struct Result: Sendable {
        public var files: [LogFile] = []
        /// Paths that do not exist or cannot be listed.
        public var diagnostics: [InputDiagnostic] = []
        /// Files and folders left out because their dates are outside the window.
        public var pruned = 0
    }

    /// CloudTrail delivers a file some minutes after its events; a folder or file name dated up to this
    /// long after the window's end may still hold events inside it.
    public static let deliveryDelay: Int64 = Timestamp.secondsPerDay

    public var since: Int64?
    public var until: Int64?

    public init(since: Int64? = nil, until: Int64? = nil) {
        self.since = since
        self.until = until
    }

    public func discover(_ paths: [String]) -> Result {
        var result = Result()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                let reason = String(cString: strerror(errno)).lowercased()
                result.diagnostics.append(InputDiagnostic(file: path, location: nil, message: reason))
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                walk(path, dates: DateParts(), into: &result)
            } else {
                result.files.append(LogFile(path: path, name: lastComponent(path), size: Int64(info.st_size)))
            }
        }
        var seen = Set<String>()
        result.files = result.files.filter { seen.insert($0.path).inserted }
        result.files.sort { bytesPrecede($0.path, $1.path) }
        return result
    }

    /// Where in `CloudTrail/<region>/YYYY/MM/DD` a walk is.
    struct DateParts {
        var underCloudTrail = false
        var regionSeen = false
        var year: Int64?
        var month: Int64?
    }

    private func walk(_ folder: String, dates: DateParts, into result: inout Result) {
        guard let dir = opendir(folder) else {
            let reason = String(cString: strerror(errno)).lowercased()
            result.diagnostics.append(InputDiagnostic(file: folder, location: nil, message: reason))
            return
        }
        // Open while its entries are looked at: each is looked at by its name in it, not its whole path.
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") || name == "CloudTrail-Digest" { continue }
            names.append(name)
        }
        names.sort(by: bytesPrecede)
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        for name in names {
            let path = base + name
            var info = stat()
            guard fstatat(dirfd(dir), name, &info, 0) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                var inner = dates
                if name == "CloudTrail" {
                    inner = DateParts(underCloudTrail: true)
                } else if dates.underCloudTrail {
                    if !dates.regionSeen {
                        inner.regionSeen = true
                    } else if let range = folderDays(name, dates) {
                        if outside(firstDay: range.first, lastDay: range.last) {
                            result.pruned += 1
                            continue
                        }
                        if dates.year == nil { inner.year = Int64(name) } else { inner.month = Int64(name) }
                    }
                }
                walk(path, dates: inner, into: &result)
            } else if info.st_mode & S_IFMT == S_IFREG, isLogName(name) {
                if since != nil || until != nil, let delivered = deliveryTime(name), outside(delivered: delivered) {
                    result.pruned += 1
                    continue
                }
                result.files.append(LogFile(path: path, name: name, size: Int64(info.st_size)))
            }
        }
    }

    private func isLogName(_ name: String) -> Bool {
        if name.withCString({ strstr($0, "_CloudTrail-Digest_") != nil }) { return false }
        return name.hasSuffix(".json") || name.hasSuffix(".gz") || name.hasSuffix(".jsonl")
            || name.hasSuffix(".ndjson")
    }

    /// The UTC days a `YYYY`, `MM` or `DD` folder covers, when `name` is one.
    func folderDays(_ name: String, _ dates: DateParts) -> (first: Int64, last: Int64)? {
        guard name.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }), let value = Int64(name) else { return nil }
        switch (dates.year, dates.month) {
        case (nil, _):
            guard name.utf8.count == 4 else { return nil }
            return (
                Timestamp.daysFromCivil(year: value, month: 1, day: 1),
                Timestamp.daysFromCivil(year: value + 1, month: 1, day: 1) - 1
            )
        case (let year?, nil):
            guard name.utf8.count == 2, (1...12).contains(value) else { return nil }
            let next = value == 12 ? (year + 1, Int64(1)) : (year, value + 1)
            return (
                Timestamp.daysFromCivil(year: year, month: value, day: 1),
                Timestamp.daysFromCivil(year: next.0, month: next.1, day: 1) - 1
            )
        case (let year?, let month?):
            guard name.utf8.count == 2, (1...31).contains(value) else { return nil }
            let day = Timestamp.daysFromCivil(year: year, month: month, day: value)
            return (day, day)
        }
    }

    /// Whether a folder of delivery days `firstDay...lastDay` can hold no event of the window.
    func outside(firstDay: Int64, lastDay: Int64) -> Bool {
        let start = firstDay * Timestamp.secondsPerDay
        let end = (lastDay + 1) * Timestamp.secondsPerDay
        if let since, end <= since { return true }
        if let until, start >= until + Self.deliveryDelay { return true }
        return false
    }

    /// Whether a file delivered at `delivered` can hold no event of the window.
    func outside(delivered: Int64) -> Bool {
        if let since, delivered < since { return true }
        if let until, delivered >= until + Self.deliveryDelay { return true }
        return false
    }

    /// The delivery time in a CloudTrail file name: `<account>_CloudTrail_<region>_20230710T1145Z_<id>…`.
    func deliveryTime(_ name: String) -> Int64? {
        let parts = name.split(separator: "_")
        guard parts.count >= 5, parts[1] == "CloudTrail" else { return nil }
        let stamp = Array(parts[3].utf8)
        guard stamp.count == 14, stamp[8] == UInt8(ascii: "T"), stamp[13] == UInt8(ascii: "Z") else { return nil }
        let text =
            String(decoding: stamp[0..<4], as: UTF8.self) + "-" + String(decoding: stamp[4..<6], as: UTF8.self) + "-"
            + String(decoding: stamp[6..<8], as: UTF8.self) + "T" + String(decoding: stamp[9..<11], as: UTF8.self)
            + ":" + String(decoding: stamp[11..<13], as: UTF8.self) + ":00Z"
        return Timestamp.parse(text)
    }
}

/// Whether `a` comes before `b` in the byte order of their UTF-8 (a path or file name holds no NUL byte).
private func bytesPrecede(_ a: String, _ b: String) -> Bool {
    a.withCString { a in b.withCString { b in strcmp(a, b) < 0 } }
}

private func lastComponent(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    return String(trimmed.split(separator: "/").last ?? trimmed)
}
