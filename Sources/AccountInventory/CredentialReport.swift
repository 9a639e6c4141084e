import Foundation
import IAMPolicy
import Timestamps

/// The IAM credential report (`aws iam generate-credential-report` / `get-credential-report`).
public struct CredentialReport: Sendable, Hashable {
    /// `GeneratedTime` of the JSON form (the earliest when several reports merged: each row keeps its
    /// own, ``CredentialReportEntry/reportGeneratedTime``); `nil` for a bare CSV file. The report knows
    /// nothing after it: the end of its evidence.
    public var generatedTime: Int64?
    /// One entry per row, in file order (rows without an IAM ARN and repeated rows left out).
    public var entries: [CredentialReportEntry]
    /// Rows left out, one line each (`line 12: …`).
    public var diagnostics: [String]

    /// Rows that carry no report time of their own (``CredentialReportEntry/reportGeneratedTime``) take
    /// `generatedTime`.
    public init(generatedTime: Int64? = nil, entries: [CredentialReportEntry], diagnostics: [String] = []) {
        self.generatedTime = generatedTime
        self.entries = entries.map { entry in
            var entry = entry
            entry.reportGeneratedTime = entry.reportGeneratedTime ?? generatedTime
            return entry
        }
        self.diagnostics = diagnostics
    }

    /// When the evidence of `account`'s rows ends: the `GeneratedTime` of the report they came from
    /// (the earliest, should rows of one account come from several), else (a CSV report) the latest
    /// time its rows hold; `generated` tells which. `nil` when the rows hold no time.
    public func evidenceEnd(account: String) -> (time: Int64, generated: Bool)? {
        let rows = entries.filter { $0.account == account }
        if let generated = rows.compactMap(\.reportGeneratedTime).min() { return (generated, true) }
        return CredentialReport(entries: rows).latestTime.map { ($0, false) }
    }
}

/// One row of the credential report. Dates that the report gives as `N/A`, `no_information` or
/// `not_supported` are `nil`.
public struct CredentialReportEntry: Sendable, Hashable {
    /// The `user` column; `<root_account>` for the root user.
    public var user: String
    public var arn: String
    public var userCreationTime: Int64?
    /// `nil` when the report says `not_supported` (the root user).
    public var passwordEnabled: Bool?
    public var passwordLastUsed: Int64?
    public var passwordLastChanged: Int64?
    public var mfaActive: Bool
    /// Access keys 1 and 2, in that order.
    public var accessKeys: [AccessKeyStatus]
    /// The line of the row in the CSV text (the header is line 1).
    public var line: Int
    /// The `GeneratedTime` of the report the row came from (`nil` for a CSV file): reports merged from
    /// several accounts each keep their own.
    public var reportGeneratedTime: Int64?

    public var isRoot: Bool { user == "<root_account>" }
    /// The account that owns the user (from its ARN).
    public var account: String { ARNParts.account(of: arn) }
    /// The active access keys.
    public var activeAccessKeys: [AccessKeyStatus] { accessKeys.filter(\.active) }

    public init(
        user: String, arn: String, userCreationTime: Int64? = nil, passwordEnabled: Bool? = nil,
        passwordLastUsed: Int64? = nil, passwordLastChanged: Int64? = nil, mfaActive: Bool = false,
        accessKeys: [AccessKeyStatus] = [], line: Int = 0
    ) {
        self.user = user
        self.arn = arn
        self.userCreationTime = userCreationTime
        self.passwordEnabled = passwordEnabled
        self.passwordLastUsed = passwordLastUsed
        self.passwordLastChanged = passwordLastChanged
        self.mfaActive = mfaActive
        self.accessKeys = accessKeys
        self.line = line
    }
}

/// One of a user's two access-key slots in the credential report (the report gives no key ids).
public struct AccessKeyStatus: Sendable, Hashable {
    /// 1 or 2.
    public var number: Int
    public var active: Bool
    public var lastRotated: Int64?
    public var lastUsed: Int64?
    public var lastUsedRegion: String?
    public var lastUsedService: String?

    /// The report's name of the slot: `access_key_1` or `access_key_2`.
    public var slot: String { "access_key_\(number)" }

    public init(
        number: Int, active: Bool, lastRotated: Int64? = nil, lastUsed: Int64? = nil, lastUsedRegion: String? = nil,
        lastUsedService: String? = nil
    ) {
        self.number = number
        self.active = active
        self.lastRotated = lastRotated
        self.lastUsed = lastUsed
        self.lastUsedRegion = lastUsedRegion
        self.lastUsedService = lastUsedService
    }
}

extension CredentialReport {
    /// The latest time any row holds (creation, password and key dates): a lower bound of when a CSV
    /// report without `GeneratedTime` was generated.
    public var latestTime: Int64? {
        entries.flatMap { entry in
            [entry.userCreationTime, entry.passwordLastUsed, entry.passwordLastChanged]
                + entry.accessKeys.flatMap { [$0.lastRotated, $0.lastUsed] }
        }.compactMap { $0 }.max()
    }

    /// Reads a credential report from CSV text or from the `get-credential-report` JSON response
    /// (`Content` base64-encoded as the API returns it, or plain CSV text as some tools save it).
    /// `file` names the input in errors.
    public init(data: Data, file: String) throws(InventoryError) {
        do throws(InventoryError) {
            let text = String(decoding: data, as: UTF8.self)
            if text.drop(while: \.isWhitespace).hasPrefix("{") {
                let root = try JSONNode.parse(data)
                let content = try root.requiredString("Content")
                let csv: String
                if content.hasPrefix("user,") {
                    csv = content
                } else if let decoded = Data(base64Encoded: content, options: .ignoreUnknownCharacters) {
                    csv = String(decoding: decoded, as: UTF8.self)
                } else {
                    throw InventoryError("Content: neither base64 nor CSV text")
                }
                let parsed = try Self.parseCSV(csv)
                self = CredentialReport(
                    generatedTime: try root.optionalTime("GeneratedTime"), entries: parsed.entries,
                    diagnostics: parsed.diagnostics)
            } else {
                self = try Self.parseCSV(text)
            }
        } catch {
            throw .cannotRead(file, error.description)
        }
    }

    private static let requiredColumns = [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
        "mfa_active", "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
        "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    ]

    static func parseCSV(_ text: String) throws(InventoryError) -> CredentialReport {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let headerLine = lines.first, !headerLine.isEmpty else { throw InventoryError("empty credential report") }
        let header = try fields(headerLine, line: 1)
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil { column[name] = index }
        for name in requiredColumns where column[name] == nil {
            throw InventoryError("line 1: missing column `\(name)`")
        }
        var entries: [CredentialReportEntry] = []
        var diagnostics: [String] = []
        var seen: [String: Int] = [:]
        var repeated: [Int] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = offset + 1
            let values = try fields(line, line: number)
            guard values.count == header.count else {
                throw InventoryError("line \(number): expected \(header.count) fields, found \(values.count)")
            }
            let row = Row(values: values, column: column, line: number)
            let keys = try [1, 2].map { (n: Int) throws(InventoryError) -> AccessKeyStatus in
                AccessKeyStatus(
                    number: n, active: try row.bool("access_key_\(n)_active") ?? false,
                    lastRotated: try row.time("access_key_\(n)_last_rotated"),
                    lastUsed: try row.time("access_key_\(n)_last_used_date"),
                    lastUsedRegion: row.text("access_key_\(n)_last_used_region"),
                    lastUsedService: row.text("access_key_\(n)_last_used_service"))
            }
            let arn = row.text("arn") ?? ""
            guard let parsed = ARN(parsing: arn), parsed.service == "iam", ARNParts.isAccount(parsed.account),
                parsed.resource == "root" || parsed.resource.hasPrefix("user/")
            else {
                diagnostics.append("line \(number): `arn` `\(arn)` is not an IAM user or root ARN; row skipped")
                continue
            }
            guard seen[arn] == nil else {
                repeated.append(number)
                continue
            }
            seen[arn] = number
            entries.append(
                CredentialReportEntry(
                    user: row.text("user") ?? "", arn: arn,
                    userCreationTime: try row.time("user_creation_time"),
                    passwordEnabled: try row.bool("password_enabled"),
                    passwordLastUsed: try row.time("password_last_used"),
                    passwordLastChanged: try row.time("password_last_changed"),
                    mfaActive: try row.bool("mfa_active") ?? false, accessKeys: keys, line: number))
        }
        if !repeated.isEmpty {
            let list = repeated.map(String.init).joined(separator: ", ")
            diagnostics.append(
                "\(repeated.count) row\(repeated.count == 1 ? "" : "s") repeat\(repeated.count == 1 ? "s" : "") a user "
                    + "read before (line\(repeated.count == 1 ? "" : "s") \(list)); ignored")
        }
        return CredentialReport(entries: entries, diagnostics: diagnostics)
    }

    /// Splits one CSV line; fields may be double-quoted (`""` is a quote inside).
    private static func fields(_ line: Substring, line number: Int) throws(InventoryError) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    // A doubled quote is a literal quote; a single one closes the field.
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "," {
                result.append(current)
                current = ""
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else {
                current.append(c)
            }
        }
        if quoted { throw InventoryError("line \(number): unterminated quoted field") }
        result.append(current)
        return result
    }
}

/// One CSV row with typed accessors whose errors name the line and column.
private struct Row {
    let values: [String]
    let column: [String: Int]
    let line: Int

    /// The raw value, `nil` for a missing optional column or a placeholder.
    func text(_ name: String) -> String? {
        guard let index = column[name] else { return nil }
        let value = values[index]
        return Self.placeholders.contains(value) ? nil : value
    }

    private static let placeholders: Set<String> = ["N/A", "no_information", "not_supported", ""]

    func time(_ name: String) throws(InventoryError) -> Int64? {
        guard let value = text(name) else { return nil }
        guard let seconds = Timestamp.parse(value) else {
            throw InventoryError(
                "line \(line): `\(name)`: expected a time, `N/A`, `no_information` or `not_supported`, "
                    + "found `\(value)`")
        }
        return seconds
    }

    func bool(_ name: String) throws(InventoryError) -> Bool? {
        switch text(name) {
        case nil: return nil
        case "true", "TRUE": return true
        case "false", "FALSE": return false
        case let value?:
            throw InventoryError(
                "line \(line): `\(name)`: expected `true`, `false` or `not_supported`, found `\(value)`")
        }
    }
}
