import Foundation
import SeqPortModel
import SeqPortPostgres
import SeqPortSQLite
import SeqPortStore

/// Opens a store from what the user typed: a path, `sqlite:PATH`, `sqlite://PATH`, or `postgres://…`.
public enum StoreLocator {
    /// What kind of store a location names.
    public enum Kind: Equatable, Sendable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public static func kind(of location: String) throws -> Kind {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") { return .postgres(url: location) }
        if location.hasPrefix("sqlite://") { return .sqlite(path: String(location.dropFirst("sqlite://".count))) }
        if location.hasPrefix("sqlite:") { return .sqlite(path: String(location.dropFirst("sqlite:".count))) }
        if location.contains("://") {
            throw SeqPortError(.storeURL, "unknown store scheme in \"\(location.prefix { $0 != ":" })\" (use a path, sqlite:PATH or postgres://)")
        }
        return .sqlite(path: location)
    }

    /// Opens the store; `create` makes a new SQLite file (for `sample`).
    public static func open(_ location: String, schema: Schema, readOnly: Bool = false, create: Bool = false) throws -> any Store {
        switch try kind(of: location) {
        case .sqlite(let path):
            return try SQLiteStore(path: path, schema: schema, readOnly: readOnly, create: create)
        case .postgres(let url):
            // `create` has no meaning here: the database must exist (`seqport store init` makes the tables).
            return try PostgresStore(url: url, schema: schema, readOnly: readOnly)
        }
    }
}
