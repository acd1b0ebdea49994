import Foundation
import GRDB
import SeqPortModel
import SeqPortStore

/// Reads and writes inside one SQLite transaction (a snapshot or a write transaction).
struct SQLiteSession: StoreTransaction {
    let db: Database
    let schema: Schema

    var exact: SQLiteExact { SQLiteExact(db: db) }

    func subjectExists(_ subject: String) throws -> Bool {
        try exact.firstRow("SELECT 1 FROM \(quoted(schema.subjects.table)) WHERE \(quoted(schema.subjects.key)) = ? LIMIT 1",
                           [.text(subject)], doing: "look up the subject") != nil
    }

    func forEachRecord(subject: String, in category: Category, fields: [Field], _ body: (SeqPortModel.Record) throws -> Void) throws {
        try forEachRecordView(subject: subject, in: category, fields: fields) { try body($0.record()) }
    }

    func forEachRecordView(subject: String, in category: Category, fields: [Field], _ body: (RecordView) throws -> Void) throws {
        let columns = fields.isEmpty ? "1" : fields.map { quoted($0.column) }.joined(separator: ", ")
        let sql = "SELECT \(columns) FROM \(quoted(category.store.table)) WHERE \(quoted(category.store.subject)) = ? ORDER BY \(quoted(category.keyField.column))"
        var rows = try SQLiteRows(db: db, sql: sql, arguments: [.text(subject)], fields: fields, category: category)
        try rows.forEach(body)
    }

    func record(subject: String, in category: Category, key: String, fields: [Field]) throws -> SeqPortModel.Record? {
        let columns = fields.isEmpty ? "1" : fields.map { quoted($0.column) }.joined(separator: ", ")
        let sql = "SELECT \(columns) FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = ? AND \(quoted(category.store.subject)) = ?"
        var rows = try SQLiteRows(db: db, sql: sql, arguments: [Self.keyArgument(key, category), .text(subject)], fields: fields, category: category)
        var found: SeqPortModel.Record?
        try rows.forEach { view in if found == nil { found = view.record() } }
        return found
    }

    /// Keys of integer key columns are bound as integers so they match.
    static func keyArgument(_ key: String, _ category: Category) -> StoreValue {
        category.keyField.type == .integer ? (Int64(key).map(StoreValue.integer) ?? .text(key)) : .text(key)
    }

    func owner(of key: String, in category: Category) throws -> String? {
        let sql = "SELECT \(quoted(category.store.subject)) FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = ? LIMIT 1"
        return try exact.firstRow(sql, [Self.keyArgument(key, category)], doing: "look up a record's owner")?[0]
            .string("table \(category.store.table), the owner of a record")
    }

    func file(id: String, subject: String) throws -> StoredFile? {
        guard let f = schema.files else { return nil }
        let sql = "SELECT \(quoted(f.name)), \(quoted(f.mediaType)), \(quoted(f.content)) FROM \(quoted(f.table)) WHERE \(quoted(f.key)) = ? AND \(quoted(f.subject)) = ?"
        guard let row = try exact.firstRow(sql, [.text(id), .text(subject)], doing: "read a file") else { return nil }
        let what = "table \(f.table)"
        let data: [UInt8]
        switch row[2] {
        case .blob(let b), .text(let b): data = b
        default: data = []
        }
        return StoredFile(id: id, name: try row[0].string(what) ?? "", mediaType: try row[1].string(what) ?? "", content: data)
    }

    func auditEntries(subject: String) throws -> [AuditEntry] {
        guard try db.tableExists("seqport_audit") else { return [] }
        var out: [AuditEntry] = []
        try exact.forEachRow("""
            SELECT at, subject_id, category, record_key, action, field, old_value, new_value, bundle_sha256, actor
            FROM seqport_audit WHERE subject_id = ? ORDER BY id
            """, [.text(subject)], doing: "read the audit trail") { c in
            let s = try c.map { try $0.string("table seqport_audit") }
            out.append(AuditEntry(at: s[0] ?? "", subject: s[1] ?? "", category: s[2] ?? "", recordKey: s[3] ?? "", action: s[4] ?? "",
                                  field: s[5], oldValue: s[6], newValue: s[7], bundleSHA256: s[8] ?? "", actor: s[9] ?? ""))
        }
        return out
    }

    func insert(table: String, columns: [String], values: [StoreValue]) throws {
        let sql = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        try exact.execute(sql, values, doing: "insert into \(table)")
    }

    func update(subject: String, in category: Category, key: String, set: [(Field, Value)]) throws -> Int {
        guard !set.isEmpty else { return 0 }
        let assignments = set.map { "\(quoted($0.0.column)) = ?" }.joined(separator: ", ")
        let sql = "UPDATE \(quoted(category.store.table)) SET \(assignments) WHERE \(quoted(category.keyField.column)) = ? AND \(quoted(category.store.subject)) = ?"
        return try exact.execute(sql, set.map { StoreValue($0.1, for: $0.0) } + [Self.keyArgument(key, category), .text(subject)],
                                 doing: "update \(category.store.table)")
    }

    func insertRecord(subject: String, in category: Category, fields: [Field], values: [Value]) throws {
        try insert(table: category.store.table, columns: [category.store.subject] + fields.map(\.column),
                   values: [.text(subject)] + zip(fields, values).map { StoreValue($1, for: $0) })
    }

    func newKey(in category: Category) throws -> String {
        guard category.keyField.type == .integer else {
            var key = Self.randomTextKey()
            while try owner(of: key, in: category) != nil { key = Self.randomTextKey() }
            return key
        }
        let row = try exact.firstRow("SELECT COALESCE(MAX(\(quoted(category.keyField.column))), 0) + 1 FROM \(quoted(category.store.table))",
                                     [], doing: "choose a new key")
        if case .integer(let next)? = row?[0] { return String(next) }
        throw SeqPortError(.storeQuery, "SQLite gave no new key for table \(category.store.table)")
    }

    func delete(subject: String, in category: Category, key: String) throws -> Int {
        try exact.execute("DELETE FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = ? AND \(quoted(category.store.subject)) = ?",
                          [Self.keyArgument(key, category), .text(subject)], doing: "delete from \(category.store.table)")
    }

    func appendAudit(_ e: AuditEntry) throws {
        let text: (String?) -> StoreValue = { $0.map(StoreValue.text) ?? .null }
        try exact.execute("""
            INSERT INTO seqport_audit (at, subject_id, category, record_key, action, field, old_value, new_value, bundle_sha256, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(e.at), .text(e.subject), .text(e.category), .text(e.recordKey), .text(e.action), text(e.field),
                  text(e.oldValue), text(e.newValue), .text(e.bundleSHA256), .text(e.actor)], doing: "append to the audit trail")
    }
}
