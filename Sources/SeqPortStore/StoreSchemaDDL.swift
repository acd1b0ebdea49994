import SeqPortModel

/// The SQL dialect differences the stores hide: column types for the sample schema.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    func columnType(_ type: FieldType) -> String {
        switch (self, type) {
        case (.sqlite, .integer), (.sqlite, .boolean): return "INTEGER"
        case (.sqlite, _): return "TEXT"
        case (.postgres, .integer): return "BIGINT"
        case (.postgres, .boolean): return "BOOLEAN"
        case (.postgres, _): return "TEXT"
        }
    }

    var blobType: String { self == .sqlite ? "BLOB" : "BYTEA" }
}

/// The DDL that creates seqport's own tables and, on request, tables for every category of a schema.
public enum StoreSchemaDDL {
    /// seqport's own tables: a one-row meta table with the version, and the audit trail.
    public static func seqportTables(_ dialect: SQLDialect) -> [String] {
        let id = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            "CREATE TABLE IF NOT EXISTS seqport_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS seqport_audit (id \(id), at TEXT NOT NULL, subject_id TEXT NOT NULL,
              category TEXT NOT NULL, record_key TEXT NOT NULL, action TEXT NOT NULL, field TEXT, old_value TEXT,
              new_value TEXT, bundle_sha256 TEXT NOT NULL, actor TEXT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS seqport_audit_subject ON seqport_audit (subject_id)",
        ]
    }

    /// Tables for the schema's subjects, files and categories, keyed and indexed by subject.
    public static func schemaTables(_ schema: Schema, _ dialect: SQLDialect) -> [String] {
        var sql = ["CREATE TABLE IF NOT EXISTS \(quoted(schema.subjects.table)) (\(quoted(schema.subjects.key)) TEXT PRIMARY KEY, created_at TEXT NOT NULL)"]
        if let files = schema.files {
            sql.append("""
                CREATE TABLE IF NOT EXISTS \(quoted(files.table)) (\(quoted(files.key)) TEXT PRIMARY KEY, \(quoted(files.subject)) TEXT NOT NULL, \
                \(quoted(files.name)) TEXT NOT NULL, \(quoted(files.mediaType)) TEXT NOT NULL, \(quoted(files.content)) \(dialect.blobType) NOT NULL)
                """)
        }
        for c in schema.categories {
            var columns = ["\(quoted(c.store.subject)) TEXT NOT NULL"]
            for f in c.fields {
                let null = f.nullable ? "" : " NOT NULL"
                let key = f.name == c.store.key ? " PRIMARY KEY" : ""
                columns.append("\(quoted(f.column)) \(dialect.columnType(f.type))\(null)\(key)")
            }
            sql.append("CREATE TABLE IF NOT EXISTS \(quoted(c.store.table)) (\(columns.joined(separator: ", ")))")
            sql.append("CREATE INDEX IF NOT EXISTS \(quoted(c.store.table + "_subject")) ON \(quoted(c.store.table)) (\(quoted(c.store.subject)), \(quoted(c.keyField.column)))")
        }
        return sql
    }
}
