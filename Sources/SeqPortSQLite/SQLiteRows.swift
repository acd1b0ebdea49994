import GRDB
import GRDBSQLite
import SeqPortModel
import SeqPortStore

/// The export's row loop on SQLite's C API: each column's bytes are checked in place
/// (`CanonicalCheck`) and handed on as a `RecordView` without a `Row`, a `DatabaseValue` or a
/// `String` per value. A value that is not already canonical (an offset timestamp, non-ASCII text,
/// a float, NULL where it is not allowed) goes through `Field.canonicalValue(of:)`, the one slow path, which
/// converts it or throws the precise `store.bad-data`.
struct SQLiteRows {
    private let db: Database
    private let sql: String
    /// Bound to the statement's parameters in order (the subject, and a key for one record).
    private let arguments: [StoreValue]
    private let fields: [Field]
    private let checks: [CanonicalCheck]
    private let category: Category
    private let keyIndex: Int?
    /// Per column, what an INTEGER value becomes without the slow path.
    private let integerModes: [IntegerColumnMode]

    init(db: Database, sql: String, arguments: [StoreValue], fields: [Field], category: Category) throws {
        self.db = db
        self.sql = sql
        self.arguments = arguments
        self.fields = fields
        self.checks = fields.map { CanonicalCheck($0) }
        self.category = category
        self.keyIndex = fields.firstIndex { $0.name == category.store.key }
        self.integerModes = fields.map(IntegerColumnMode.init)
    }

    mutating func forEach(_ body: (RecordView) throws -> Void) throws {
        guard let connection = db.sqliteConnection else {
            throw SeqPortError(.storeQuery, "the SQLite connection is closed")
        }
        // Prepared once per connection by GRDB's statement cache (a batch reads the same categories for
        // every subject), then stepped here on the C API; reset before and after.
        let cached: Statement
        do { cached = try db.cachedStatement(sql: sql) } catch { throw SQLiteStore.translate(error, doing: "read records") }
        let statement = cached.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        defer { sqlite3_reset(statement) }
        try SQLiteExact.bind(statement, arguments, connection: connection, sql: sql, doing: "read records")
        var rc = SQLITE_OK

        let n = fields.count
        var row = RowViews(count: n)
        defer { row.deallocate() }

        try checks.withUnsafeBufferPointer { checks in
            try integerModes.withUnsafeBufferPointer { integerModes in
                while true {
                    rc = sqlite3_step(statement)
                    if rc == SQLITE_DONE { break }
                    guard rc == SQLITE_ROW else { throw failure(connection, rc) }
                    row.reset()
                    for i in 0..<n {
                        let column = Int32(i)
                        switch sqlite3_column_type(statement, column) {
                        case SQLITE_TEXT:
                            let start = sqlite3_column_text(statement, column).map { UnsafePointer($0) }
                            let count = Int(sqlite3_column_bytes(statement, column))
                            let bytes = UnsafeBufferPointer(start: start, count: count)
                            if checks[i].accepts(bytes) {
                                row.lend(i, start: start, count: count)
                            } else {
                                // Read by length, not as a C string: text holding U+0000 stays whole. Bytes
                                // that are not UTF-8 are bad data, never repaired with U+FFFD.
                                guard let text = String(validating: bytes, as: UTF8.self) else {
                                    throw badData(i, statement, "text is not valid UTF-8")
                                }
                                try slowPath(.text(text), i, statement, &row)
                            }
                        case SQLITE_INTEGER:
                            let value = sqlite3_column_int64(statement, column)
                            switch integerModes[i] {
                            case .decimalText: row.setDecimal(i, value)
                            case .boolean: row.setBoolean(i, value != 0)
                            case .slowPath: try slowPath(.integer(value), i, statement, &row)
                            }
                        case SQLITE_NULL:
                            if checks[i].nullable {
                                row.setNull(i)
                            } else {
                                try slowPath(.null, i, statement, &row)
                            }
                        case SQLITE_FLOAT:
                            try slowPath(.double(sqlite3_column_double(statement, column)), i, statement, &row)
                        default:
                            try slowPath(.blob, i, statement, &row)
                        }
                    }
                    try body(row.view())
                }
            }
        }
    }

    /// The slow path: `Field.canonicalValue(of:)` converts `value` or throws; its error becomes
    /// `store.bad-data` naming the table, key and field. Canonical text is copied into `row`.
    private func slowPath(_ value: ColumnValue, _ i: Int, _ statement: OpaquePointer, _ row: inout RowViews) throws {
        do {
            row.copy(i, try fields[i].canonicalValue(of: value))
        } catch let error as SeqPortError {
            throw badData(i, statement, error.message)
        }
    }

    /// `store.bad-data` naming the table, the record's key and the field (never the value).
    private func badData(_ i: Int, _ statement: OpaquePointer, _ message: String) -> SeqPortError {
        let key = keyIndex.map { SQLiteExact.column(statement, Int32($0)).keyForError } ?? "?"
        return SeqPortError(.storeBadData, "bad data in the store, table \(category.store.table) key \(key): \(message)",
                            at: SourceLocation(entry: category.name, field: fields[i].name))
    }

    private func failure(_ connection: OpaquePointer, _ rc: Int32) -> Error {
        let message = String(cString: sqlite3_errmsg(connection))
        return SQLiteStore.translate(DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: sql), doing: "read records")
    }
}
