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
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
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
            }
        }
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
