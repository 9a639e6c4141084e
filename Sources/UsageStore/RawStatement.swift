import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API: the writer's hot loop, where building
/// GRDB `StatementArguments` costs more than SQLite's own work.
struct RawStatement {
    enum Value {
        case int(Int64)
        case text(String)
        /// Text bound without a copy: the bytes must stay valid until the statement runs again (the
        /// bindings are cleared after each run).
        case bytes(UnsafeRawBufferPointer)
        /// Text given as its UTF-8 bytes (copied when bound).
        case utf8([UInt8])
    }

    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection
    }

    /// A row of the result, while ``rows(_:each:)`` is on it.
    struct Row {
        fileprivate let handle: OpaquePointer

        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        /// The column's text (or blob) as bytes.
        func bytes(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let start = sqlite3_column_blob(handle, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: start, count: count))
        }
    }

    /// Binds `values` to the parameters in order, runs the statement to its end and returns the first
    /// column of its first row, if any.
    @discardableResult
    func run(_ values: Value...) throws -> Int64? { try run(values) }

    /// Binds `values` to the parameters in order, runs the statement to its end and returns the first
    /// column of its first row, if any.
    @discardableResult
    func run(_ values: [Value]) throws -> Int64? {
        var first: Int64?
        try step(values) { row in
            if first == nil { first = row.int(0) }
        }
        return first
    }

    /// Binds `values` to the parameters in order and calls `each` with every row of the result.
    func rows(_ values: Value..., each: (Row) throws -> Void) throws {
        try step(values, each)
    }

    private func step(_ values: [Value], _ each: (Row) throws -> Void) throws {
        sqlite3_reset(handle)
        for (i, value) in values.enumerated() { bind(value, at: Int32(i + 1)) }
        try execute(each)
    }

    /// Binds a value to the parameter at `index` (from 1).
    func bind(_ value: Value, at index: Int32) {
        switch value {
        case .int(let v):
            sqlite3_bind_int64(handle, index, v)
        case .text(var v):
            v.withUTF8 { bytes in
                // A null pointer would bind NULL, not the empty string.
                let start = UnsafeRawPointer(bytes.baseAddress ?? Self.empty.utf8Start)
                _ = sqlite3_bind_text(
                    handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
            }
        case .bytes(let v):
            let start = v.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start)
            _ = sqlite3_bind_text(
                handle, index, start.assumingMemoryBound(to: CChar.self), Int32(v.count), nil)
        case .utf8(let v):
            v.withUnsafeBytes { bytes in
                let start = bytes.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start)
                _ = sqlite3_bind_text(
                    handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Runs the statement as bound to its end, calling `each` with every row of the result; then resets it
    /// and clears its bindings.
    func execute(_ each: (Row) throws -> Void) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                let message = connection.map { String(cString: sqlite3_errmsg($0)) }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
            }
            try each(Row(handle: handle))
        }
    }

    private static let empty: StaticString = ""

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// An `INSERT` of many rows per statement: ``add(_:)`` collects a row's values, and each
/// ``rowsPerStatement`` rows run as one statement (SQLite's work per statement — step, halt, reset — is
/// then paid once per chunk, not per row: a quarter of the writer's instructions). ``finish()`` runs the
/// rest. The rows must not repeat a key (the batches of the ledger never do).
struct RowWriter {
    static let rowsPerStatement = 64

    private let db: Database
    /// `INSERT INTO t`, and what follows the rows (`ON CONFLICT …`).
    private let head: String
    private let tail: String
    private let columns: Int
    private var values: [RawStatement.Value] = []
    /// The statement of a whole chunk, once prepared.
    private var full: RawStatement?

    init(_ db: Database, _ head: String, columns: Int, _ tail: String = "") {
        self.db = db
        self.head = head
        self.tail = tail
        self.columns = columns
        values.reserveCapacity(columns * Self.rowsPerStatement)
    }

    mutating func add(_ row: RawStatement.Value...) throws {
        values += row
        guard values.count >= columns * Self.rowsPerStatement else { return }
        if full == nil { full = try statement(rows: Self.rowsPerStatement) }
        try full?.run(values)
        values.removeAll(keepingCapacity: true)
    }

    /// Runs the rows not run yet.
    mutating func finish() throws {
        guard !values.isEmpty else { return }
        try statement(rows: values.count / columns).run(values)
        values.removeAll(keepingCapacity: true)
    }

    private func statement(rows: Int) throws -> RawStatement {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return try RawStatement(
            db, "\(head) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ") + " " + tail)
    }
}
