import CStoreRows
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

    /// Runs the statement with `rows` bound to its one parameter (`pare_rows(?)`), calling `each` with every
    /// row of the result; the binding is cleared when it is done.
    func execute(binding rows: UnsafePointer<pare_rows>, _ each: (Row) throws -> Void = { _ in }) throws {
        let code = pare_rows_bind(UnsafeMutableRawPointer(handle), 1, rows)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind the rows")
        }
        try execute(each)
    }

    /// Runs the statement with `block` bound to its one parameter (`pare_rows(?)`), calling `each` with
    /// every row of the result.
    func execute(binding block: RowBlock, _ each: (Row) throws -> Void = { _ in }) throws {
        try block.values.withUnsafeBufferPointer { values in
            try block.bytes.withUnsafeBufferPointer { bytes in
                var rows = pare_rows(
                    rows: Int64(values.count / block.columns), columns: Int32(block.columns),
                    text_columns: block.textColumns, values: values.baseAddress, bytes: bytes.baseAddress)
                try withUnsafePointer(to: &rows) { rows in try execute(binding: rows, each) }
            }
        }
    }

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
/// then ``endRow()``), and each ``rowsPerRun`` rows run as one statement, `INSERT … SELECT … FROM
/// pare_rows(?)`, that reads them from memory (the table-valued function of `CStoreRows`). SQLite's work
/// per statement is then paid once per run, not per row: step, halt and reset, and the statement journal
/// of an upsert, which saves every page the statement changes that existed before it (with runs of 64
/// rows, a first commit wrote 20 times the store's size there); and no value is bound as a parameter (a
/// multi-row `VALUES` list binds each value, steps through each, and costs about 10k instructions a row to
/// prepare). The rows must not repeat a key (the batches of the ledger never do).
///
/// The values are plain data: integers, or text copied into the writer's own bytes.
struct RowWriter {
    /// At most this many rows are held before they run (at 8 columns, 512 KiB of values).
    static let rowsPerRun = 8192

    private let columns: Int
    /// The table had no row when the writer began.
    let intoEmptyTable: Bool
    private let statement: RawStatement
    /// The rows not run yet.
    private var rows: RowBlock

    /// Rows of `columns` values into `table` (followed by its column list when the values do not fill its
    /// columns in order). A row whose key is stored already is updated by `conflict` (`ON CONFLICT …`), or
    /// without one replaced.
    ///
    /// Into a table that is empty (a new store's first commit), the rows are plain inserts: no key is stored
    /// and the rows repeat none. `OR FAIL` then spares SQLite the statement journal, a copy of every page a
    /// statement changes that existed before it, kept to undo that one statement when it aborts midway: an
    /// error fails the whole transaction, which is rolled back.
    ///
    /// `ignoringStored`: a row whose key is stored already is left out, into any table (`OR IGNORE`).
    init(
        _ db: Database, into table: String, columns: Int, onConflict conflict: String? = nil,
        ignoringStored: Bool = false
    ) throws {
        precondition(columns <= PARE_ROWS_MAX_COLUMNS, "a row has at most \(PARE_ROWS_MAX_COLUMNS) values")
        self.columns = columns
        rows = RowBlock(columns: columns)
        let name = table.prefix { $0 != " " }
        intoEmptyTable = try RawStatement(db, "SELECT NOT EXISTS (SELECT 1 FROM \(name))").run() == 1
        let (head, tail) =
            if ignoringStored {
                ("INSERT OR IGNORE INTO \(table)", "")
            } else if intoEmptyTable {
                ("INSERT OR FAIL INTO \(table)", "")
            } else if let conflict {
                ("INSERT INTO \(table)", conflict)
            } else {
                ("INSERT OR REPLACE INTO \(table)", "")
            }
        // (`WHERE true`: an upsert's SELECT needs a WHERE clause, or its ON would read as a join's.)
        let select = (0..<columns).map { "c\($0)" }.joined(separator: ", ")
        statement = try RawStatement(db, "\(head) SELECT \(select) FROM pare_rows(?) WHERE true \(tail)")
    }

    mutating func int(_ value: Int64) { rows.values.append(value) }

    /// Text given as bytes that are copied (shorter than 16 MiB: an ARN is bounded by its record's size).
    mutating func copy(_ text: [UInt8]) throws { try rows.append(text: text) }

    /// Ends the row of the values given since the last one.
    mutating func endRow() throws {
        assert(rows.values.count % columns == 0, "a row has \(columns) values")
        if rows.values.count >= columns * Self.rowsPerRun { try finish() }
    }

    /// Runs the rows not run yet.
    mutating func finish() throws {
        guard !rows.values.isEmpty else { return }
        try execute(rows)
        rows.values.removeAll(keepingCapacity: true)
        rows.bytes.removeAll(keepingCapacity: true)
    }

    /// Runs `block`, rows laid out by the caller (the rows not run yet first).
    mutating func run(_ block: RowBlock) throws {
        precondition(block.columns == columns, "a row has \(columns) values")
        try finish()
        try execute(block)
    }

    private func execute(_ block: RowBlock) throws { try statement.execute(binding: block) }
}

/// Rows for ``RowWriter``: their values in row order, integers, or for a column whose bit is set in
/// `textColumns` text: `offset << 24 | length` in `bytes`.
struct RowBlock: Sendable {
    var values: [Int64] = []
    var bytes: [UInt8] = []
    var textColumns: UInt32 = 0
    /// The values of a row.
    let columns: Int

    init(columns: Int, values: [Int64] = []) {
        self.columns = columns
        self.values = values
    }

    /// Appends a text value (copied) as the next value; false, and nothing appended, when it has 16 MiB or
    /// more.
    mutating func text(_ text: [UInt8]) -> Bool {
        guard text.count < 1 << 24 else { return false }
        textColumns |= 1 << UInt32(values.count % columns)
        values.append(Int64(bytes.count) << 24 | Int64(text.count))
        bytes += text
        return true
    }

    /// ``text(_:)``, which fails with an error that names the text's size.
    mutating func append(text: [UInt8]) throws {
        guard self.text(text) else {
            throw DatabaseError(message: "a text of \(text.count) bytes is too long for the store's writer")
        }
    }
}
