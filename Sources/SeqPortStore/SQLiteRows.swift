import GRDB
import GRDBSQLite
import SeqPortModel

/// The export's row loop on SQLite's C API: each column's bytes are checked in place
/// (`CanonicalCheck`) and handed on as a `RecordView` without a `Row`, a `DatabaseValue` or a
/// `String` per value. A value that is not already canonical (an offset timestamp, non-ASCII text,
/// a float, NULL where it is not allowed) goes through `SQLiteSession.value`, the one slow path, which
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
    /// Per column, what an INTEGER value becomes without the slow path: 1 its decimal text
    /// (`.integer` fields), 2 `true`/`false` (`.boolean`), 0 the slow path.
    private let integerModes: [UInt8]

    init(db: Database, sql: String, arguments: [StoreValue], fields: [Field], category: Category) throws {
        self.db = db
        self.sql = sql
        self.arguments = arguments
        self.fields = fields
        self.checks = fields.map { CanonicalCheck($0) }
        self.category = category
        self.keyIndex = fields.firstIndex { $0.name == category.store.key }
        self.integerModes = fields.map { $0.type == .integer ? 1 : $0.type == .boolean ? 2 : 0 }
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
        let views = UnsafeMutableBufferPointer<ValueView>.allocate(capacity: max(1, n))
        defer { views.deallocate() }
        views.initialize(repeating: .null)
        /// Values the slow path made: column, offset and count in `slow` (pointers are taken once the
        /// row is complete, since `slow` may move while it grows).
        var owned: [(column: Int, offset: Int, count: Int)] = []
        var slow = OutputBuffer(capacity: 256)
        /// Decimal text of integer columns, 24 bytes a column.
        let digits = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n) * 24)
        defer { digits.deallocate() }

        try checks.withUnsafeBufferPointer { checks in
            try integerModes.withUnsafeBufferPointer { integerModes in
                while true {
                    rc = sqlite3_step(statement)
                    if rc == SQLITE_DONE { break }
                    guard rc == SQLITE_ROW else { throw failure(connection, rc) }
                    for i in 0..<n {
                        let column = Int32(i)
                        switch sqlite3_column_type(statement, column) {
                        case SQLITE_TEXT:
                            let start = sqlite3_column_text(statement, column).map { UnsafePointer($0) }
                            let count = Int(sqlite3_column_bytes(statement, column))
                            let bytes = UnsafeBufferPointer(start: start, count: count)
                            if checks[i].accepts(bytes) {
                                views[i] = ValueView(start: start, count: count)
                            } else {
                                // Read by length, not as a C string: text holding U+0000 stays whole. Bytes
                                // that are not UTF-8 are bad data, never repaired with U+FFFD.
                                guard let text = String(validating: bytes, as: UTF8.self) else {
                                    throw badData(i, statement, "text is not valid UTF-8")
                                }
                                try slowPath(text.databaseValue, i, statement, &slow, &owned, views)
                            }
                        case SQLITE_INTEGER:
                            let value = sqlite3_column_int64(statement, column)
                            switch integerModes[i] {
                            case 1:
                                let at = digits + i &* 24
                                views[i] = ValueView(start: UnsafePointer(at), count: Self.formatDecimal(value, into: at))
                            case 2:
                                views[i] = value != 0 ? ValueView(start: Self.trueBytes, count: 4) : ValueView(start: Self.falseBytes, count: 5)
                            default:
                                try slowPath(value.databaseValue, i, statement, &slow, &owned, views)
                            }
                        case SQLITE_NULL:
                            if checks[i].nullable {
                                views[i] = .null
                            } else {
                                try slowPath(.null, i, statement, &slow, &owned, views)
                            }
                        case SQLITE_FLOAT:
                            try slowPath(DatabaseValue(sqliteStatement: statement, index: column), i, statement, &slow, &owned, views)
                        default:
                            try slowPath(DatabaseValue(sqliteStatement: statement, index: column), i, statement, &slow, &owned, views)
                        }
                    }
                    if !owned.isEmpty {
                        let base = slow.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                        for o in owned { views[o.column] = ValueView(start: base.map { $0 + o.offset }, count: o.count) }
                        owned.removeAll(keepingCapacity: true)
                        slow.removeAll()
                    }
                    try body(RecordView(UnsafeBufferPointer(views)))
                }
            }
        }
    }

    /// The slow path: `SQLiteSession.value` converts `value` or throws `store.bad-data` naming the table,
    /// key and field; canonical text goes into `slow` (pointed at once the row is complete).
    private func slowPath(_ value: DatabaseValue, _ i: Int, _ statement: OpaquePointer, _ slow: inout OutputBuffer,
                          _ owned: inout [(column: Int, offset: Int, count: Int)], _ views: UnsafeMutableBufferPointer<ValueView>) throws {
        do {
            switch try SQLiteSession.value(value, for: fields[i]) {
            case .null:
                views[i] = .null
            case .text(let text):
                let offset = slow.count
                slow.append(Array(text.utf8))
                owned.append((i, offset, slow.count - offset))
            }
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

    private static let trueBytes: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 4)
        p.initialize(from: Array("true".utf8), count: 4)
        return UnsafePointer(p)
    }()

    private static let falseBytes: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 5)
        p.initialize(from: Array("false".utf8), count: 5)
        return UnsafePointer(p)
    }()

    /// Writes the decimal text of `value` at `out` (at most 20 bytes) and returns its length.
    static func formatDecimal(_ value: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { tmp in
            var magnitude = value.magnitude
            var i = tmp.count
            repeat {
                i -= 1
                tmp[i] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                i -= 1
                tmp[i] = UInt8(ascii: "-")
            }
            let count = tmp.count - i
            out.update(from: tmp.baseAddress!.assumingMemoryBound(to: UInt8.self) + i, count: count)
            return count
        }
    }
}
