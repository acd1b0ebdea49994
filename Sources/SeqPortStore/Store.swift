import SeqPortModel

/// A database holding subjects' records, mapped by a `Schema` (`Specs/stores.md`).
///
/// The same protocol fronts the embedded SQLite store and the PostgreSQL store, and one conformance
/// suite tests both. Reads happen in one consistent snapshot per subject; writes in one transaction.
public protocol Store: AnyObject {
    var schema: Schema { get }

    /// Every subject id, in ascending order.
    func subjectIDs() throws -> [String]

    /// Runs `body` against one consistent snapshot of the store (a read transaction).
    func withSnapshot<R>(_ body: (any StoreSnapshot) throws -> R) throws -> R

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    func withTransaction<R>(_ body: (any StoreTransaction) throws -> R) throws -> R

    /// Creates the tables seqport owns (meta, audit) and, if asked, the sample schema's tables.
    /// Harmless when they exist; throws `store.schema-version` for a store of another version.
    func initialize(createSchemaTables: Bool) throws

    /// The seqport schema version recorded in the store, or nil if `initialize` never ran.
    func storeVersion() throws -> Int?
}

extension StoreSnapshot {
    public var holdsNUL: Bool { true }

    /// `n-` and 32 random lowercase hex digits: a text key nobody could have chosen before.
    public static func randomTextKey() -> String {
        var g = SystemRandomNumberGenerator()
        return "n-" + (0..<2).map { _ in
            let hex = String(g.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    public func forEachRecordView(subject: String, in category: Category, fields: [Field], _ body: (RecordView) throws -> Void) throws {
        try forEachRecord(subject: subject, in: category, fields: fields) { record in
            try RecordView.withView(of: record, body)
        }
    }
}

/// What a snapshot can read.
public protocol StoreSnapshot {
    /// Whether text values may hold U+0000. PostgreSQL's `text` cannot; an import that would store one
    /// there is refused in the plan (`import.unstorable`) instead of failing in the transaction.
    var holdsNUL: Bool { get }

    /// Whether the subject exists.
    func subjectExists(_ subject: String) throws -> Bool

    /// Streams one subject's records of a category, ordered by key, as canonical values of `fields`.
    /// Bad data in the store throws `store.bad-data` naming the category, field and record key.
    func forEachRecord(subject: String, in category: Category, fields: [Field], _ body: (Record) throws -> Void) throws

    /// The same records as `forEachRecord`, as borrowed bytes valid only during `body` (the export's
    /// path: no `String` per value). The default copies each `Record` into a view.
    func forEachRecordView(subject: String, in category: Category, fields: [Field], _ body: (RecordView) throws -> Void) throws

    /// One record of a subject by key, or nil.
    func record(subject: String, in category: Category, key: String, fields: [Field]) throws -> Record?

    /// Finds the subject that owns `key` in a category, if any record has it.
    func owner(of key: String, in category: Category) throws -> String?

    /// A stored file of this subject, or nil if there is none with that id.
    func file(id: String, subject: String) throws -> StoredFile?

    /// Audit entries of a subject, oldest first.
    func auditEntries(subject: String) throws -> [AuditEntry]
}

/// What a write transaction can do, beyond reading.
public protocol StoreTransaction: StoreSnapshot {
    /// Inserts one row into a table; values are already in store form.
    func insert(table: String, columns: [String], values: [StoreValue]) throws
    /// Sets fields of one record of a subject; returns the number of rows changed (0 or 1).
    func update(subject: String, in category: Category, key: String, set: [(Field, Value)]) throws -> Int
    /// Inserts a record for a subject; `values` follow `fields`.
    func insertRecord(subject: String, in category: Category, fields: [Field], values: [Value]) throws
    /// A key for a new record of the category, free in this transaction: one more than the largest
    /// integer key, or `n-` and 32 random lowercase hex digits for a text key (`Specs/import.md`).
    func newKey(in category: Category) throws -> String
    /// Deletes one record of a subject; returns the number of rows removed (0 or 1).
    func delete(subject: String, in category: Category, key: String) throws -> Int
    /// Appends one audit entry.
    func appendAudit(_ entry: AuditEntry) throws
}

/// A value as a store column holds it.
public enum StoreValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case boolean(Bool)
}

/// A file's bytes and description, as the store keeps them.
public struct StoredFile: Hashable, Sendable {
    public var id: String
    public var name: String
    public var mediaType: String
    public var content: [UInt8]

    public init(id: String, name: String, mediaType: String, content: [UInt8]) {
        self.id = id
        self.name = name
        self.mediaType = mediaType
        self.content = content
    }
}

/// One line of the audit trail (Art. 16 and 19): who changed what, when, from which bundle.
public struct AuditEntry: Hashable, Sendable, Codable {
    public var at: String
    public var subject: String
    public var category: String
    public var recordKey: String
    /// `update`, `insert` or `delete`.
    public var action: String
    /// The field changed; nil for a whole-record insert or delete.
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var bundleSHA256: String
    public var actor: String

    public init(at: String, subject: String, category: String, recordKey: String, action: String, field: String?,
                oldValue: String?, newValue: String?, bundleSHA256: String, actor: String) {
        self.at = at
        self.subject = subject
        self.category = category
        self.recordKey = recordKey
        self.action = action
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.bundleSHA256 = bundleSHA256
        self.actor = actor
    }
}

/// The version of the tables seqport owns; `initialize` records it, every command checks it.
public let seqportStoreVersion = 1

extension SeqPortError.Code {
    public static let storeMissing = Self("store.missing", .store)
    public static let storeLocked = Self("store.locked", .store)
    public static let storeVersion = Self("store.schema-version", .store)
    public static let storeQuery = Self("store.query", .store)
    public static let storeBadData = Self("store.bad-data", .store)
    public static let storeConnection = Self("store.connection", .store)
    /// A concurrent writer changed the same rows first (PostgreSQL serialization failure,
    /// deadlock or duplicate key); nothing of the transaction was applied. Retrying may succeed.
    public static let storeConflict = Self("store.conflict", .refused)
    public static let storeURL = Self("store.url", .usage)
    public static let subjectUnknown = Self("store.unknown-subject", .notFound)
}
