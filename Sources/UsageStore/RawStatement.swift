import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API: the writer's hot loop, where building
/// GRDB `StatementArguments` costs more than SQLite's own work.
struct RawStatement {
    enum Value {
        case int(Int64)
        case text(String)
    }

    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection
    }

    /// Binds `values` to the parameters in order, runs the statement to its end and returns the first
    /// column of its first row, if any.
    @discardableResult
    func run(_ values: Value...) throws -> Int64? {
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
            }
        }
        var first: Int64?
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                sqlite3_reset(handle)
                let message = connection.map { String(cString: sqlite3_errmsg($0)) }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
            }
            if first == nil { first = sqlite3_column_int64(handle, 0) }
        }
        sqlite3_reset(handle)
        return first
    }

    private static let empty: StaticString = ""

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
