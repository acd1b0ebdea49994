import Foundation
import GRDB
import SeqPortModel

/// Reads and writes inside one SQLite transaction (a snapshot or a write transaction).
struct SQLiteSession: StoreTransaction {
    let db: Database
    let schema: Schema

    func subjectExists(_ subject: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(quoted(schema.subjects.table)) WHERE \(quoted(schema.subjects.key)) = ?)", arguments: [subject]) ?? false
    }

    func forEachRecord(subject: String, in category: Category, fields: [Field], _ body: (SeqPortModel.Record) throws -> Void) throws {
        try forEachRecordView(subject: subject, in: category, fields: fields) { try body($0.record()) }
    }

    func forEachRecordView(subject: String, in category: Category, fields: [Field], _ body: (RecordView) throws -> Void) throws {
        let columns = fields.isEmpty ? "1" : fields.map { quoted($0.column) }.joined(separator: ", ")
        let sql = "SELECT \(columns) FROM \(quoted(category.store.table)) WHERE \(quoted(category.store.subject)) = ? ORDER BY \(quoted(category.keyField.column))"
        var rows = try SQLiteRows(db: db, sql: sql, subject: subject, fields: fields, category: category)
        try rows.forEach(body)
    }

    /// Turns a column value into the field's canonical value, checking it like any input.
    static func value(_ dbValue: DatabaseValue, for field: Field) throws -> Value {
        let text: String
        switch dbValue.storage {
        case .null:
            return try field.canonicalize(.null)
        case .int64(let i):
            switch field.type {
            case .boolean: return .text(i != 0 ? "true" : "false")
            case .integer: return .text(String(i))   // canonical by construction: no need to parse it back
            default: text = String(i)
            }
        case .double(let d):
            guard field.type == .decimal || field.type == .integer, d.isFinite else {
                throw SeqPortError(.valueType, "a floating-point number where \(field.type.name) was expected", at: SourceLocation(field: field.name))
            }
            text = field.type == .integer && d == d.rounded() ? String(Int64(d)) : String(d)
        case .string(let s):
            text = s
        case .blob:
            throw SeqPortError(.valueType, "binary data where \(field.type.name) was expected", at: SourceLocation(field: field.name))
        }
        return try field.canonicalize(.text(text))
    }

    func record(subject: String, in category: Category, key: String, fields: [Field]) throws -> SeqPortModel.Record? {
        let columns = fields.map { quoted($0.column) }.joined(separator: ", ")
        let sql = "SELECT \(columns) FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = ? AND \(quoted(category.store.subject)) = ?"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [Self.keyArgument(key, category), subject]) else { return nil }
        return SeqPortModel.Record(try fields.indices.map { try Self.value(row[$0] as DatabaseValue, for: fields[$0]) })
    }

    /// Keys of integer key columns are bound as integers so they match.
    static func keyArgument(_ key: String, _ category: Category) -> DatabaseValue {
        category.keyField.type == .integer ? (Int64(key)?.databaseValue ?? key.databaseValue) : key.databaseValue
    }

    func owner(of key: String, in category: Category) throws -> String? {
        try String.fetchOne(db, sql: "SELECT \(quoted(category.store.subject)) FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = ?", arguments: [Self.keyArgument(key, category)])
    }

    func file(id: String, subject: String) throws -> StoredFile? {
        guard let f = schema.files else { return nil }
        let sql = "SELECT \(quoted(f.name)), \(quoted(f.mediaType)), \(quoted(f.content)) FROM \(quoted(f.table)) WHERE \(quoted(f.key)) = ? AND \(quoted(f.subject)) = ?"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [id, subject]) else { return nil }
        let data: [UInt8]
        switch (row[2] as DatabaseValue).storage {
        case .blob(let d): data = [UInt8](d)
        case .string(let s): data = Array(s.utf8)
        default: data = []
        }
        return StoredFile(id: id, name: row[0], mediaType: row[1], content: data)
    }

    func auditEntries(subject: String) throws -> [AuditEntry] {
        guard try db.tableExists("seqport_audit") else { return [] }
        return try Row.fetchAll(db, sql: """
            SELECT at, subject_id, category, record_key, action, field, old_value, new_value, bundle_sha256, actor
            FROM seqport_audit WHERE subject_id = ? ORDER BY id
            """, arguments: [subject]).map {
            AuditEntry(at: $0[0], subject: $0[1], category: $0[2], recordKey: $0[3], action: $0[4], field: $0[5],
                       oldValue: $0[6], newValue: $0[7], bundleSHA256: $0[8], actor: $0[9])
        }
    }

    func insert(table: String, columns: [String], values: [StoreValue]) throws {
        let sql = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        let statement = try db.cachedStatement(sql: sql)
        try statement.execute(arguments: StatementArguments(values.map(Self.databaseValue)))
    }

    func update(subject: String, in category: Category, key: String, set: [(Field, Value)]) throws -> Int {
        guard !set.isEmpty else { return 0 }
        let assignments = set.map { "\(quoted($0.0.column)) = ?" }.joined(separator: ", ")
        let sql = "UPDATE \(quoted(category.store.table)) SET \(assignments) WHERE \(quoted(category.keyField.column)) = ? AND \(quoted(category.store.subject)) = ?"
        var args = set.map { Self.databaseValue(StoreValue($0.1, for: $0.0)) }
        args.append(Self.keyArgument(key, category))
        args.append(subject.databaseValue)
        try db.execute(sql: sql, arguments: StatementArguments(args))
        return db.changesCount
    }

    func insertRecord(subject: String, in category: Category, fields: [Field], values: [Value]) throws {
        try insert(table: category.store.table, columns: [category.store.subject] + fields.map(\.column),
                   values: [.text(subject)] + zip(fields, values).map { StoreValue($1, for: $0) })
    }

    func delete(subject: String, in category: Category, key: String) throws -> Int {
        try db.execute(sql: "DELETE FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = ? AND \(quoted(category.store.subject)) = ?", arguments: [Self.keyArgument(key, category), subject])
        return db.changesCount
    }

    func appendAudit(_ e: AuditEntry) throws {
        try db.execute(sql: """
            INSERT INTO seqport_audit (at, subject_id, category, record_key, action, field, old_value, new_value, bundle_sha256, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.at, e.subject, e.category, e.recordKey, e.action, e.field, e.oldValue, e.newValue, e.bundleSHA256, e.actor])
    }

    static func databaseValue(_ v: StoreValue) -> DatabaseValue {
        switch v {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return Data(b).databaseValue
        case .boolean(let b): return (b ? 1 : 0).databaseValue
        }
    }
}



extension DatabaseValue.Storage {
    /// A short text of a key for error messages (keys are identifiers, not personal values).
    var textForError: String? {
        switch self {
        case .int64(let i): return String(i)
        case .string(let s): return String(s.prefix(64))
        default: return nil
        }
    }
}
