import Foundation
import GRDB
import GRDBSQLite
import SeqPortModel
import SeqPortStore

/// Statements bound and read on SQLite's C API with every text taken by its length.
///
/// GRDB binds a `String` as a C string (`sqlite3_bind_text(…, -1, …)`) and reads one with
/// `String(cString:)`: both stop at the first U+0000, so a value holding NUL would be stored, compared
/// and audited cut short (issue #11). Every statement of `SQLiteSession` that binds or reads a value
/// or a key goes through here instead; text read back must be valid UTF-8 (`store.bad-data` otherwise),
/// never repaired with U+FFFD.
struct SQLiteExact {
    let db: Database

    /// A column as SQLite holds it; text as its exact bytes.
    enum Column {
        case null
        case integer(Int64)
        case double(Double)
        case text([UInt8])
        case blob([UInt8])

        /// The text of a text column (validated UTF-8), or nil for NULL; `what` names it for errors.
        func string(_ what: @autoclosure () -> String) throws -> String? {
            switch self {
            case .null: return nil
            case .integer(let i): return String(i)
            case .double(let d): return String(d)
            case .text(let bytes), .blob(let bytes):
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw SeqPortError(.storeBadData, "bad data in the store, \(what()): text is not valid UTF-8")
                }
                return s
            }
        }
    }

    /// Runs a statement that changes rows; returns how many it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [StoreValue], doing: String) throws -> Int {
        try withStatement(sql, arguments, doing: doing) { statement, connection in
            let rc = sqlite3_step(statement)
            guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw Self.failure(connection, rc, sql, doing) }
            return Int(sqlite3_changes(connection))
        }
    }

    /// Runs a query and hands each row's columns to `body`.
    func forEachRow(_ sql: String, _ arguments: [StoreValue], doing: String, _ body: ([Column]) throws -> Void) throws {
        try withStatement(sql, arguments, doing: doing) { statement, connection in
            let n = Int(sqlite3_column_count(statement))
            while true {
                let rc = sqlite3_step(statement)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else { throw Self.failure(connection, rc, sql, doing) }
                try body((0..<n).map { Self.column(statement, Int32($0)) })
            }
        }
    }

    /// The first row of a query, if any.
    func firstRow(_ sql: String, _ arguments: [StoreValue], doing: String) throws -> [Column]? {
        var first: [Column]?
        try forEachRow(sql, arguments, doing: doing) { row in if first == nil { first = row } }
        return first
    }

    private func withStatement<R>(_ sql: String, _ arguments: [StoreValue], doing: String,
                                  _ body: (OpaquePointer, OpaquePointer) throws -> R) throws -> R {
        guard let connection = db.sqliteConnection else {
            throw SeqPortError(.storeQuery, "the SQLite connection is closed")
        }
        let cached: Statement
        do { cached = try db.cachedStatement(sql: sql) } catch { throw SQLiteStore.translate(error, doing: doing) }
        let statement = cached.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try Self.bind(statement, arguments, connection: connection, sql: sql, doing: doing)
        return try body(statement, connection)
    }

    /// Binds values by position (from 1); text and blobs by their length, copied by SQLite.
    static func bind(_ statement: OpaquePointer, _ arguments: [StoreValue], from first: Int32 = 1,
                     connection: OpaquePointer, sql: String, doing: String) throws {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)   // SQLITE_TRANSIENT
        for (i, value) in arguments.enumerated() {
            let index = first + Int32(i)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(statement, index)
            case .integer(let v):
                rc = sqlite3_bind_int64(statement, index, v)
            case .boolean(let b):
                rc = sqlite3_bind_int64(statement, index, b ? 1 : 0)
            case .text(let s):
                var s = s
                rc = s.withUTF8 { u in
                    // A zero-length text still needs a non-null pointer, or SQLite binds NULL.
                    let start = UnsafeRawPointer(u.baseAddress ?? Self.emptyText).assumingMemoryBound(to: CChar.self)
                    return sqlite3_bind_text64(statement, index, start, sqlite3_uint64(u.count), transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let b):
                rc = b.withUnsafeBytes { u in
                    sqlite3_bind_blob64(statement, index, u.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, sqlite3_uint64(u.count), transient)
                }
            }
            guard rc == SQLITE_OK else { throw Self.failure(connection, rc, sql, doing) }
        }
    }

    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    private nonisolated(unsafe) static let emptyText: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    static func column(_ statement: OpaquePointer, _ i: Int32) -> Column {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, i))
        case SQLITE_TEXT:
            let start = sqlite3_column_text(statement, i)
            let count = Int(sqlite3_column_bytes(statement, i))
            return .text(start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
        case SQLITE_BLOB:
            let start = sqlite3_column_blob(statement, i)
            let count = Int(sqlite3_column_bytes(statement, i))
            return .blob(start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? [])
        default: return .null
        }
    }

    static func failure(_ connection: OpaquePointer, _ rc: Int32, _ sql: String, _ doing: String) -> Error {
        let message = String(cString: sqlite3_errmsg(connection))
        return SQLiteStore.translate(DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: sql), doing: doing)
    }
}

extension SQLiteExact.Column {
    /// A short text of a key for error messages (keys are identifiers, not personal values).
    var keyForError: String {
        switch self {
        case .integer(let i): return String(i)
        case .text(let b): return String(validating: b.prefix(64), as: UTF8.self) ?? "(a key that is not UTF-8)"
        default: return "?"
        }
    }
}

