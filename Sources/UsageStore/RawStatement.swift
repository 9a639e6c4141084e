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
    func run(_ values: Value...) throws -> Int64? {
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
    private func bind(_ value: Value, at index: Int32) {
        switch value {
        case .int(let v):
            bind(v, at: index)
        case .text(var v):
            v.withUTF8 { bytes in
                // A null pointer would bind NULL, not the empty string.
                let start = UnsafeRawPointer(bytes.baseAddress ?? Self.empty.utf8Start)
                _ = sqlite3_bind_text(
                    handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
            }
        case .bytes(let v):
            bind(v, at: index)
        }
    }

    func clearBindings() { sqlite3_clear_bindings(handle) }

    func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }

    /// Binds text without a copy: the bytes must stay valid until the statement runs again.
    func bind(_ text: UnsafeRawBufferPointer, at index: Int32) {
        let start = text.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start)
        _ = sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(text.count), nil)
    }

    /// Runs the statement as bound to its end, calling `each` with every row of the result; then resets it
    /// and (unless the caller rebinds every parameter before each run, and clears them in the end) clears
    /// its bindings.
    func execute(clearingBindings: Bool = true, _ each: (Row) throws -> Void) throws {
        defer {
            sqlite3_reset(handle)
            if clearingBindings { sqlite3_clear_bindings(handle) }
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

/// An `INSERT` of many rows per statement: a row's values are collected (``int(_:)``, ``copy(_:)``,
/// then ``endRow()``), and each ``rowsPerStatement`` rows run as one statement. SQLite's work
/// per statement is then paid once per chunk, not per row: step, halt and reset, and the statement journal
/// of an upsert, which saves every page the statement changes that existed before it (with chunks of 64
/// rows, a first commit wrote 20 times the store's size there). Larger chunks cost more to prepare (about
/// 10k instructions a row of the statement, once per run). ``finish()`` runs the rest in chunks of 16 rows,
/// then row by row: three statements per table to prepare and cache. The rows must not repeat a key (the
/// batches of the ledger never do).
///
/// The values are plain data (no references to count): integers, or text copied into the writer's own
/// bytes.
struct RowWriter {
    static let rowsPerStatement = 256

    private enum Field {
        case int(Int64)
        /// A range of ``copies``.
        case copied(Int, Int)
    }

    private let db: Database
    /// `INSERT … INTO t`, and what follows the rows (`ON CONFLICT …`).
    private let head: String
    private let tail: String
    private let columns: Int
    /// The table had no row when the writer began.
    let intoEmptyTable: Bool
    private var fields: [Field] = []
    private var copies: [UInt8] = []
    /// The statements by their number of rows, once prepared.
    private var statements: [Int: RawStatement] = [:]

    /// Rows of `columns` values into `table` (followed by its column list when the values do not fill its
    /// columns in order). A row whose key is stored already is updated by `conflict` (`ON CONFLICT …`), or
    /// without one replaced.
    ///
    /// Into a table that is empty (a new store's first commit), the rows are plain inserts: no key is stored
    /// and the rows repeat none. `OR FAIL` then spares SQLite the statement journal, a copy of every page a
    /// statement changes that existed before it, kept to undo that one statement when it aborts midway: an
    /// error fails the whole transaction, which is rolled back.
    init(_ db: Database, into table: String, columns: Int, onConflict conflict: String? = nil) throws {
        self.db = db
        self.columns = columns
        let name = table.prefix { $0 != " " }
        intoEmptyTable = try RawStatement(db, "SELECT NOT EXISTS (SELECT 1 FROM \(name))").run() == 1
        if intoEmptyTable {
            (head, tail) = ("INSERT OR FAIL INTO \(table)", "")
        } else if let conflict {
            (head, tail) = ("INSERT INTO \(table)", conflict)
        } else {
            (head, tail) = ("INSERT OR REPLACE INTO \(table)", "")
        }
    }

    mutating func int(_ value: Int64) { fields.append(.int(value)) }

    /// Text given as bytes that are copied.
    mutating func copy(_ bytes: [UInt8]) {
        fields.append(.copied(copies.count, bytes.count))
        copies += bytes
    }

    /// Ends the row of the values given since the last one.
    mutating func endRow() throws {
        assert(fields.count % columns == 0, "a row has \(columns) values")
        guard fields.count >= columns * Self.rowsPerStatement else { return }
        try run(rows: Self.rowsPerStatement, from: 0)
        fields.removeAll(keepingCapacity: true)
        copies.removeAll(keepingCapacity: true)
    }

    /// Runs the rows not run yet.
    mutating func finish() throws {
        var rows = fields.count / columns
        var start = 0
        var size = Self.rowsPerStatement
        while rows > 0 {
            while size > rows { size /= 16 }
            try run(rows: size, from: start)
            start += size * columns
            rows -= size
        }
        fields.removeAll(keepingCapacity: true)
        copies.removeAll(keepingCapacity: true)
        // Each run binds every parameter: the bindings of the bytes that are no more are cleared once.
        for statement in statements.values { statement.clearBindings() }
    }

    /// Binds the `rows` rows of values from `fields[start]` and runs them.
    private mutating func run(rows: Int, from start: Int) throws {
        let statement = try self.statement(rows: rows)
        try copies.withUnsafeBytes { copies in
            for index in 0..<rows * columns {
                let parameter = Int32(index + 1)
                switch fields[start + index] {
                case .int(let value): statement.bind(value, at: parameter)
                case .copied(let offset, let count):
                    statement.bind(UnsafeRawBufferPointer(rebasing: copies[offset..<offset + count]), at: parameter)
                }
            }
            try statement.execute(clearingBindings: false) { _ in }
        }
    }

    private mutating func statement(rows: Int) throws -> RawStatement {
        if let statement = statements[rows] { return statement }
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let statement = try RawStatement(
            db, "\(head) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ") + " " + tail)
        statements[rows] = statement
        return statement
    }
}
