import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore

/// The production store: a PostgreSQL database, read and written through postgres-nio over one
/// connection per store object (`Specs/stores.md`).
///
/// - Snapshots are `REPEATABLE READ READ ONLY` transactions: one subject is read in one consistent view.
/// - Writes run in one `READ COMMITTED` transaction; records read inside it are locked
///   (`SELECT … FOR UPDATE`), and serialization failures, deadlocks and duplicate keys become
///   `store.conflict`. A body that throws rolls everything back.
/// - A lost connection throws `store.connection`; the server then rolls the open transaction back,
///   so nothing is half-applied. The next call connects again.
///
/// The store is not thread-safe: use one per thread (a batch uses one per worker).
///
/// ```swift
/// let store = try PostgresStore(url: "postgres://seqport@localhost/crm", schema: schema)
/// let ids = try store.subjectIDs()
/// ```
public final class PostgresStore: Store {
    public let schema: Schema
    public let location: PostgresLocation
    let link: PostgresLink

    /// Connects to the server; `readOnly` makes every transaction of the session read-only.
    public init(location: PostgresLocation, schema: Schema, readOnly: Bool = false) throws {
        self.schema = schema
        self.location = location
        link = try PostgresLink(location: location, readOnly: readOnly)
    }

    /// Connects to the server a `postgres://` URL names, completed from the `PG*` environment.
    public convenience init(url: String, schema: Schema, readOnly: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(location: PostgresLocation(url: url, environment: environment), schema: schema, readOnly: readOnly)
    }

    /// Closes the connection now (it closes by itself when the store is released).
    public func close() { link.close() }

    public func subjectIDs() throws -> [String] {
        try withSnapshot { snap in
            let session = snap as! PostgresSession
            let s = schema.subjects
            return try session.run("SELECT \(quoted(s.key)) FROM \(quoted(s.table)) ORDER BY \(quoted(s.key)) COLLATE \"C\"", doing: "list subjects")
                .rows.compactMap { PostgresValues.string($0.makeRandomAccess()[0]) }
        }
    }

    public func withSnapshot<R>(_ body: (any StoreSnapshot) throws -> R) throws -> R {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", writing: false, body)
    }

    public func withTransaction<R>(_ body: (any StoreTransaction) throws -> R) throws -> R {
        try transaction("BEGIN ISOLATION LEVEL READ COMMITTED", writing: true, body)
    }

    func transaction<R>(_ begin: String, writing: Bool, _ body: (PostgresSession) throws -> R) throws -> R {
        try link.run(begin, doing: writing ? "start a write transaction" : "start a read transaction")
        link.inTransaction = true
        defer { link.inTransaction = false }
        let session = PostgresSession(link: link, schema: schema, writing: writing)
        let result: R
        do {
            result = try body(session)
            try session.flush()
        } catch {
            // The body's own errors pass through unchanged; the link already translated its own.
            if link.isOpen { _ = try? link.run("ROLLBACK", doing: "roll back") }
            throw error
        }
        do {
            try link.run("COMMIT", doing: writing ? "commit" : "end a read transaction")
        } catch let error as SeqPortError where error.code == .storeConnection && writing {
            throw SeqPortError(.storeConnection, "connection to PostgreSQL lost during commit; the server applied the transaction entirely or not at all")
        }
        return result
    }

    public func initialize(createSchemaTables: Bool) throws {
        if let version = try storeVersion(), version != seqportStoreVersion {
            throw SeqPortError(.storeVersion, "store has seqport schema version \(version), this seqport uses \(seqportStoreVersion)")
        }
        try withTransaction { tx in
            let session = tx as! PostgresSession
            // Two `store init` at once would race on CREATE TABLE IF NOT EXISTS; one waits for the other.
            try session.run("SELECT pg_advisory_xact_lock(7305110723)", doing: "initialize")
            for sql in StoreSchemaDDL.seqportTables(.postgres) { try session.run(sql, doing: "initialize") }
            if createSchemaTables { for sql in StoreSchemaDDL.schemaTables(schema, .postgres) { try session.run(sql, doing: "initialize") } }
            try session.run("INSERT INTO seqport_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING",
                            .texts("\(seqportStoreVersion)"), doing: "initialize")
        }
    }

    public func storeVersion() throws -> Int? {
        try withSnapshot { snap in
            let session = snap as! PostgresSession
            let exists = try session.run("SELECT to_regclass('seqport_meta') IS NOT NULL", doing: "read version")
            guard let cell = exists.rows.first?.makeRandomAccess()[0], (try? cell.decode(Bool.self)) == true else { return nil }
            let rows = try session.run("SELECT value FROM seqport_meta WHERE key = 'schema_version'", doing: "read version").rows
            return rows.first.flatMap { PostgresValues.string($0.makeRandomAccess()[0]) }.flatMap { Int($0) }
        }
    }
}
