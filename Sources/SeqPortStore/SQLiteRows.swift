import Foundation
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
    private let subject: String
    private let fields: [Field]
    private let checks: [CanonicalCheck]
    private let category: Category
    private let keyIndex: Int?
    /// Per column, what an INTEGER value becomes without the slow path: 1 its decimal text
    /// (`.integer` fields), 2 `true`/`false` (`.boolean`), 0 the slow path.
    private let integerModes: [UInt8]

    init(db: Database, sql: String, subject: String, fields: [Field], category: Category) throws {
        self.db = db
        self.sql = sql
        self.subject = subject
        self.fields = fields
        self.checks = fields.map { CanonicalCheck($0) }
        self.category = category
        self.keyIndex = fields.firstIndex { $0.name == category.store.key }
        self.integerModes = fields.map { $0.type == .integer ? 1 : $0.type == .boolean ? 2 : 0 }
    }

    /// Where a column's bytes are while a row is assembled: in SQLite's memory, in `slow`, or NULL.
    private enum Slot {
        case null
        case column(UnsafePointer<UInt8>?, Int)
        case owned(Int, Int)   // offset and count in `slow`
    }

    mutating func forEach(_ body: (RecordView) throws -> Void) throws {
        guard let connection = db.sqliteConnection else {
            throw SeqPortError(.storeQuery, "the SQLite connection is closed")
        }
        var statement: OpaquePointer?
        var rc = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw failure(connection, rc) }
        defer { sqlite3_finalize(statement) }
        rc = sqlite3_bind_text(statement, 1, subject, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))   // SQLITE_TRANSIENT
        guard rc == SQLITE_OK else { throw failure(connection, rc) }

        let n = fields.count
        var slots = [Slot](repeating: .null, count: n)
        var views = [ValueView](repeating: .null, count: n)
        var slow = OutputBuffer(capacity: 256)
        /// Decimal text of integer columns, 24 bytes a column.
        let digits = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n) * 24)
        defer { digits.deallocate() }

        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw failure(connection, rc) }
            slow.removeAll()
            var usesSlow = false
            for i in 0..<n {
                let column = Int32(i)
                switch sqlite3_column_type(statement, column) {
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    let start = sqlite3_column_text(statement, column).map { UnsafePointer($0) }
                    if checks[i].accepts(UnsafeBufferPointer(start: start, count: count)) {
                        slots[i] = .column(start, count)
                    } else {
                        let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
                        slots[i] = try convert(.string(text), i, statement, &slow)
                        usesSlow = true
                    }
                case SQLITE_INTEGER:
                    let value = sqlite3_column_int64(statement, column)
                    switch integerModes[i] {
                    case 1:
                        let at = digits + i * 24
                        slots[i] = .column(UnsafePointer(at), Self.formatDecimal(value, into: at))
                    case 2:
                        slots[i] = .column(value != 0 ? Self.trueBytes : Self.falseBytes, value != 0 ? 4 : 5)
                    default:
                        slots[i] = try convert(.int64(value), i, statement, &slow)
                        usesSlow = true
                    }
                case SQLITE_NULL:
                    if checks[i].nullable {
                        slots[i] = .null
                    } else {
                        slots[i] = try convert(.null, i, statement, &slow)
                    }
                case SQLITE_FLOAT:
                    slots[i] = try convert(.double(sqlite3_column_double(statement, column)), i, statement, &slow)
                    usesSlow = true
                default:
                    slots[i] = try convert(.blob(Data()), i, statement, &slow)
                }
            }
            // `slow` may have moved while it grew: pointers into it are taken only now.
            let slowBase = usesSlow ? slow.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) : nil
            for i in 0..<n {
                switch slots[i] {
                case .null: views[i] = .null
                case .column(let start, let count): views[i] = ValueView(start: start, count: count)
                case .owned(let offset, let count): views[i] = ValueView(start: slowBase.map { $0 + offset }, count: count)
                }
            }
            try views.withUnsafeBufferPointer { try body(RecordView($0)) }
        }
    }

    /// The slow path: `SQLiteSession.value` converts or throws; the canonical text goes into `slow`.
    private func convert(_ storage: Stored, _ i: Int, _ statement: OpaquePointer, _ slow: inout OutputBuffer) throws -> Slot {
        let dbValue: DatabaseValue
        switch storage {
        case .null: dbValue = .null
        case .int64(let v): dbValue = v.databaseValue
        case .double(let v): dbValue = v.databaseValue
        case .string(let s): dbValue = s.databaseValue
        case .blob(let d): dbValue = d.databaseValue
        }
        do {
            switch try SQLiteSession.value(dbValue, for: fields[i]) {
            case .null: return .null
            case .text(let text):
                let offset = slow.count
                slow.append(Array(text.utf8))
                return .owned(offset, slow.count - offset)
            }
        } catch let error as SeqPortError {
            var key = "?"
            if let k = keyIndex {
                switch sqlite3_column_type(statement, Int32(k)) {
                case SQLITE_INTEGER: key = String(sqlite3_column_int64(statement, Int32(k)))
                case SQLITE_TEXT:
                    if let t = sqlite3_column_text(statement, Int32(k)) {
                        key = String(String(decoding: UnsafeBufferPointer(start: t, count: Int(sqlite3_column_bytes(statement, Int32(k)))), as: UTF8.self).prefix(64))
                    }
                default: break
                }
            }
            throw SeqPortError(.storeBadData, "bad data in the store, table \(category.store.table) key \(key): \(error.message)",
                               at: SourceLocation(entry: category.name, field: fields[i].name))
        }
    }

    private enum Stored {
        case null, int64(Int64), double(Double), string(String), blob(Data)
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
