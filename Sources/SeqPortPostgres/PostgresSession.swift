import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore

/// Reads and writes inside one PostgreSQL transaction (a snapshot or a write transaction).
///
/// - A category's records come in one statement when there are at most 1,000, else stream through a
///   server-side cursor (`DECLARE … CURSOR`, `FETCH 1000`), so a subject with millions of rows is read
///   in bounded memory; each row is handed on as a borrowed `RecordView` (`PostgresRows`);
///   `forEachRecord` copies the views into `Record`s.
/// - Text keys are ordered `COLLATE "C"` (byte order, as SQLite's BINARY) whatever the database's
///   collation, so both stores stream records in the same order.
/// - In a write transaction, `record(...)` reads with `FOR UPDATE`: a concurrent writer of the same
///   record waits, then sees the committed row, so the importer's fingerprint check catches it.
/// - `insert` calls are buffered and sent as multi-row INSERTs; any other call sends them first.
final class PostgresSession: StoreTransaction {
    /// PostgreSQL's `text` cannot hold U+0000.
    var holdsNUL: Bool { false }

    let link: PostgresLink
    let schema: Schema
    let writing: Bool
    private var buffer = PostgresInsertBuffer()
    private var cursorNumber = 0

    /// Rows per FETCH from a cursor.
    static let pageSize = 1000

    init(link: PostgresLink, schema: Schema, writing: Bool) {
        self.link = link
        self.schema = schema
        self.writing = writing
    }

    @discardableResult
    func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), doing: String) throws -> PostgresQueryResult {
        try flush()
        return try link.run(sql, binds, doing: doing)
    }

    /// Sends buffered inserts.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        let statements = buffer.take()
        for (sql, binds, table) in statements {
            try link.run(sql, binds, doing: "insert into table \(table)")
        }
    }

    /// `ORDER BY` for a category's key: byte order for text keys.
    static func orderBy(_ category: Category) -> String {
        category.keyField.type == .integer ? quoted(category.keyField.column) : "\(quoted(category.keyField.column)) COLLATE \"C\""
    }

    func subjectExists(_ subject: String) throws -> Bool {
        let sql = "SELECT 1 FROM \(quoted(schema.subjects.table)) WHERE \(quoted(schema.subjects.key)) = $1 LIMIT 1"
        return try !run(sql, .texts(subject), doing: "look up a subject").rows.isEmpty
    }

    func forEachRecord(subject: String, in category: Category, fields: [Field], _ body: (SeqPortModel.Record) throws -> Void) throws {
        try forEachRecordView(subject: subject, in: category, fields: fields) { try body($0.record()) }
    }

    /// Streams the records as borrowed views (`PostgresRows`): no `Record` or `String` per value.
    ///
    /// A category of at most `pageSize` records (every category of an ordinary subject) is read by one
    /// statement, one round trip; a larger one through a server-side cursor from its first record, in
    /// bounded memory (the first statement's rows are then not used). A cursor costs three round trips
    /// (DECLARE, FETCH, CLOSE), which made a batch from PostgreSQL wait on the server per category.
    func forEachRecordView(subject: String, in category: Category, fields: [Field], _ body: (RecordView) throws -> Void) throws {
        let columns = fields.map { quoted($0.column) }.joined(separator: ", ")
        let select = """
            SELECT \(columns) FROM \(quoted(category.store.table)) \
            WHERE \(quoted(category.store.subject)) = $1 ORDER BY \(Self.orderBy(category))
            """
        var rows = PostgresRows(fields: fields, category: category)
        defer { rows.deallocate() }
        let first = try run("\(select) LIMIT \(Self.pageSize + 1)", .texts(subject), doing: "read table \(category.store.table)")
        if first.rows.count <= Self.pageSize {
            try rows.forEach(first.rows, body)
            return
        }
        cursorNumber += 1
        let cursor = "seqport_cursor_\(cursorNumber)"
        try run("DECLARE \(cursor) NO SCROLL CURSOR FOR \(select)", .texts(subject), doing: "read table \(category.store.table)")
        do {
            while true {
                let page = try link.run("FETCH \(Self.pageSize) FROM \(cursor)", doing: "read table \(category.store.table)")
                try rows.forEach(page.rows, body)
                if page.rows.count < Self.pageSize { break }
            }
        } catch {
            if link.isOpen { _ = try? link.run("CLOSE \(cursor)", doing: "close a cursor") }
            throw error
        }
        try link.run("CLOSE \(cursor)", doing: "close a cursor")
    }

    func record(subject: String, in category: Category, key: String, fields: [Field]) throws -> SeqPortModel.Record? {
        let columns = fields.map { quoted($0.column) }.joined(separator: ", ")
        let lock = writing ? " FOR UPDATE" : ""
        let sql = "SELECT \(columns) FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = $1 AND \(quoted(category.store.subject)) = $2\(lock)"
        guard let row = try run(sql, .texts(key, subject), doing: "read table \(category.store.table)").rows.first else { return nil }
        let cells = row.makeRandomAccess()
        return SeqPortModel.Record(try fields.indices.map { i in
            do {
                return try PostgresValues.value(cells[i], for: fields[i])
            } catch let error as SeqPortError {
                throw SeqPortError(.storeBadData, "bad data in the store, table \(category.store.table) key \(key.prefix(64)): \(error.message)",
                                   at: SourceLocation(entry: category.name, field: fields[i].name))
            }
        })
    }

    func owner(of key: String, in category: Category) throws -> String? {
        let lock = writing ? " FOR UPDATE" : ""
        let sql = "SELECT \(quoted(category.store.subject)) FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = $1\(lock)"
        return try run(sql, .texts(key), doing: "read table \(category.store.table)").rows.first.flatMap { row in
            PostgresValues.string(row.makeRandomAccess()[0])
        }
    }

    func file(id: String, subject: String) throws -> StoredFile? {
        guard let f = schema.files else { return nil }
        let sql = "SELECT \(quoted(f.name)), \(quoted(f.mediaType)), \(quoted(f.content)) FROM \(quoted(f.table)) WHERE \(quoted(f.key)) = $1 AND \(quoted(f.subject)) = $2"
        guard let row = try run(sql, .texts(id, subject), doing: "read table \(f.table)").rows.first else { return nil }
        let cells = row.makeRandomAccess()
        var content: [UInt8] = []
        if var bytes = cells[2].bytes {
            content = bytes.readBytes(length: bytes.readableBytes) ?? []
        }
        return StoredFile(id: id, name: PostgresValues.string(cells[0]) ?? "", mediaType: PostgresValues.string(cells[1]) ?? "", content: content)
    }

    func auditEntries(subject: String) throws -> [AuditEntry] {
        let exists = try run("SELECT to_regclass('seqport_audit') IS NOT NULL", doing: "look for the audit table")
        guard let cell = exists.rows.first?.makeRandomAccess()[0], (try? cell.decode(Bool.self)) == true else { return [] }
        let rows = try run("""
            SELECT at, subject_id, category, record_key, action, field, old_value, new_value, bundle_sha256, actor
            FROM seqport_audit WHERE subject_id = $1 ORDER BY id
            """, .texts(subject), doing: "read the audit trail").rows
        return rows.map { row in
            let c = row.makeRandomAccess()
            func s(_ i: Int) -> String? { PostgresValues.string(c[i]) }
            return AuditEntry(at: s(0) ?? "", subject: s(1) ?? "", category: s(2) ?? "", recordKey: s(3) ?? "", action: s(4) ?? "",
                              field: s(5), oldValue: s(6), newValue: s(7), bundleSHA256: s(8) ?? "", actor: s(9) ?? "")
        }
    }

    func insert(table: String, columns: [String], values: [StoreValue]) throws {
        buffer.add(table: table, columns: columns, values: values)
        if buffer.isFull { try flush() }
    }

    func update(subject: String, in category: Category, key: String, set: [(Field, Value)]) throws -> Int {
        guard !set.isEmpty else { return 0 }
        var binds = PostgresBindings(capacity: set.count + 2)
        var assignments: [String] = []
        for (n, (field, value)) in set.enumerated() {
            assignments.append("\(quoted(field.column)) = $\(n + 1)")
            binds.append(store: StoreValue(value, for: field))
        }
        binds.append(text: key)
        binds.append(text: subject)
        let sql = "UPDATE \(quoted(category.store.table)) SET \(assignments.joined(separator: ", ")) WHERE \(quoted(category.keyField.column)) = $\(set.count + 1) AND \(quoted(category.store.subject)) = $\(set.count + 2)"
        return try run(sql, binds, doing: "update table \(category.store.table)").metadata.rows ?? 0
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
        let sql = "SELECT (COALESCE(MAX(\(quoted(category.keyField.column))), 0) + 1)::text FROM \(quoted(category.store.table))"
        guard let row = try run(sql, doing: "choose a new key in table \(category.store.table)").rows.first,
              let key = PostgresValues.string(row.makeRandomAccess()[0]) else {
            throw SeqPortError(.storeQuery, "PostgreSQL gave no new key for table \(category.store.table)")
        }
        return key
    }

    func delete(subject: String, in category: Category, key: String) throws -> Int {
        let sql = "DELETE FROM \(quoted(category.store.table)) WHERE \(quoted(category.keyField.column)) = $1 AND \(quoted(category.store.subject)) = $2"
        return try run(sql, .texts(key, subject), doing: "delete from table \(category.store.table)").metadata.rows ?? 0
    }

    func appendAudit(_ e: AuditEntry) throws {
        var values: [StoreValue] = [.text(e.at), .text(e.subject), .text(e.category), .text(e.recordKey), .text(e.action)]
        values += [e.field, e.oldValue, e.newValue].map { $0.map(StoreValue.text) ?? .null }
        values += [.text(e.bundleSHA256), .text(e.actor)]
        try insert(table: "seqport_audit", columns: ["at", "subject_id", "category", "record_key", "action", "field", "old_value",
                                                      "new_value", "bundle_sha256", "actor"], values: values)
    }
}
