import Foundation
import GRDB
import SeqPortModel
import SeqPortStore

/// The embedded default store: one SQLite file, read and written through GRDB.
///
/// Reads run in one deferred read transaction (a consistent snapshot); writes in one immediate
/// transaction. A locked database waits up to `busyTimeout` and then fails with `store.locked`.
public final class SQLiteStore: Store {
    public let schema: Schema
    public let path: String
    let queue: DatabaseQueue

    /// Opens an existing SQLite store (`create: false`, the default) or creates the file.
    public init(path: String, schema: Schema, readOnly: Bool = false, create: Bool = false, busyTimeout: TimeInterval = 5) throws {
        self.schema = schema
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw SeqPortError(.storeMissing, "no SQLite store at \(path)")
        }
        if readOnly { SQLiteStore.rollBackHotJournal(path: path, busyTimeout: busyTimeout) }
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(busyTimeout)
        config.label = "seqport"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw SQLiteStore.translate(error, doing: "open \(path)")
        }
        // Every command checks the version of seqport's own tables before it reads or writes.
        if !create, let version = try storeVersion(), version != seqportStoreVersion {
            throw SeqPortError(.storeVersion, "store has seqport schema version \(version), this seqport uses \(seqportStoreVersion)")
        }
    }

    /// A rollback journal left by a writer that died mid-transaction (a full disk during
    /// `import --apply`, a kill) is "hot": SQLite rolls it back on the next read, which a read-only
    /// connection cannot do ("attempt to write a readonly database"). Open read-write once to let it,
    /// when the file allows; otherwise the read-only open reports the problem as before.
    static func rollBackHotJournal(path: String, busyTimeout: TimeInterval) {
        let journal = (try? FileManager.default.attributesOfItem(atPath: path + "-journal"))?[.size] as? Int ?? 0
        guard journal > 0, FileManager.default.isWritableFile(atPath: path) else { return }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "seqport-recovery"
        guard let queue = try? DatabaseQueue(path: path, configuration: config) else { return }
        _ = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        try? queue.close()
    }

    public func subjectIDs() throws -> [String] {
        try run("list subjects") {
            try queue.read { db in
                var ids: [String] = []
                try SQLiteExact(db: db).forEachRow("SELECT \(quoted(schema.subjects.key)) FROM \(quoted(schema.subjects.table)) ORDER BY 1",
                                                   [], doing: "list subjects") { row in
                    if let id = try row[0].string("table \(schema.subjects.table), a subject id") { ids.append(id) }
                }
                return ids
            }
        }
    }

    public func withSnapshot<R>(_ body: (any StoreSnapshot) throws -> R) throws -> R {
        try run("read") {
            try queue.read { db in try body(SQLiteSession(db: db, schema: schema)) }
        }
    }

    public func withTransaction<R>(_ body: (any StoreTransaction) throws -> R) throws -> R {
        try run("write") {
            try queue.inDatabase { db in
                var result: R?
                try db.inTransaction(.immediate) {
                    result = try body(SQLiteSession(db: db, schema: schema))
                    return .commit
                }
                return result!
            }
        }
    }

    public func initialize(createSchemaTables: Bool) throws {
        if let version = try storeVersion(), version != seqportStoreVersion {
            throw SeqPortError(.storeVersion, "store has seqport schema version \(version), this seqport uses \(seqportStoreVersion)")
        }
        try run("initialize") {
            try queue.write { db in
                for sql in StoreSchemaDDL.seqportTables(.sqlite) { try db.execute(sql: sql) }
                if createSchemaTables { for sql in StoreSchemaDDL.schemaTables(schema, .sqlite) { try db.execute(sql: sql) } }
                try db.execute(sql: "INSERT OR IGNORE INTO seqport_meta (key, value) VALUES ('schema_version', ?)", arguments: ["\(seqportStoreVersion)"])
            }
        }
    }

    public func storeVersion() throws -> Int? {
        try run("read version") {
            try queue.read { db in
                guard try db.tableExists("seqport_meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM seqport_meta WHERE key = 'schema_version'").flatMap { Int($0) }
            }
        }
    }

    func run<R>(_ doing: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch { throw SQLiteStore.translate(error, doing: doing) }
    }

    /// Maps GRDB/SQLite errors to `store.*` codes; SeqPortErrors pass through.
    static func translate(_ error: any Error, doing: String) -> any Error {
        if error is SeqPortError { return error }
        if let db = error as? DatabaseError {
            let what = db.message ?? "\(db.resultCode)"
            switch db.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return SeqPortError(.storeLocked, "SQLite store is locked by another process (\(doing))")
            case .SQLITE_CANTOPEN: return SeqPortError(.storeMissing, "cannot open SQLite store (\(doing)): \(what)")
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return SeqPortError(.storeMissing, "not a usable SQLite database (\(doing)): \(what)")
            default: return SeqPortError(.storeQuery, "SQLite failed to \(doing): \(what)")
            }
        }
        return SeqPortError(.storeQuery, "SQLite failed to \(doing): \(error)")
    }
}
