import Foundation
import SeqPortModel
import SeqPortStore
import XCTest

/// The conformance suite every `Store` passes: SQLite's and PostgreSQL's test classes each call
/// every check here from a one-line `func test…`, so the two stores cannot drift apart.
///
/// A harness gives the suite fresh, empty stores and a way to run raw SQL against one (for the
/// few checks that must break a store on purpose).
public struct StoreConformance {
    /// A new, empty store for `schema`, not yet initialized.
    public var makeStore: (Schema) throws -> any Store
    /// Runs one SQL statement outside any seqport transaction.
    public var execute: (any Store, String) throws -> Void

    public init(makeStore: @escaping (Schema) throws -> any Store, execute: @escaping (any Store, String) throws -> Void) {
        self.makeStore = makeStore
        self.execute = execute
    }

    // MARK: Subjects

    public func subjectIDsAreInByteOrder() throws {
        let store = try initializedStore()
        let ids = ["b", "a", "B", "ä", "a-1", "10", "9", "a_1", "Z", "😀", "é", "e\u{301}", " x"]
        try store.withTransaction { tx in
            for id in ids { try tx.insert(table: "subjects", columns: ["id", "created_at"], values: [.text(id), .text("2024-01-01T00:00:00Z")]) }
        }
        XCTAssertEqual(try store.subjectIDs(), ids.sorted(by: Self.byteOrder))
        try store.withSnapshot { snap in
            XCTAssertTrue(try snap.subjectExists("ä"))
            XCTAssertFalse(try snap.subjectExists("A"))
        }
    }

    // MARK: Reading

    public func snapshotStreamsRecordsInKeyByteOrder() throws {
        let store = try initializedStore()
        let keys = ["k-b", "k-a", "K-c", "k-ä", "k-10", "k-9", "k_", "k-😀"]
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            try Self.addSubject(tx, "s2")
            for (n, key) in keys.enumerated() { try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing(key, n: n)) }
            try tx.insertRecord(subject: "s2", in: Self.things, fields: Self.things.fields, values: Self.thing("k-0", n: 99))
            for n in [10, 2, -5, 1, 100] {
                try tx.insertRecord(subject: "s1", in: Self.numbers, fields: Self.numbers.fields, values: [.text(String(n)), .text("n\(n)")])
            }
        }
        try store.withSnapshot { snap in
            var seen: [String] = []
            try snap.forEachRecord(subject: "s1", in: Self.things, fields: Self.things.fields) { seen.append($0[0].text!) }
            XCTAssertEqual(seen, keys.sorted(by: Self.byteOrder), "text keys stream in byte order")
            var numbers: [String] = []
            try snap.forEachRecord(subject: "s1", in: Self.numbers, fields: Self.numbers.fields) { numbers.append($0[0].text!) }
            XCTAssertEqual(numbers, ["-5", "1", "2", "10", "100"], "integer keys stream in numeric order")
            var none = 0
            try snap.forEachRecord(subject: "nobody", in: Self.things, fields: Self.things.fields) { _ in none += 1 }
            XCTAssertEqual(none, 0)
        }
    }

    /// A new record's key chosen by the store (an import row with an empty key): one more than the
    /// largest integer key in the table (any subject's), or an `n-` text key nobody holds.
    public func newKeysAreFreeAndFollowTheRules() throws {
        let store = try initializedStore()
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            try Self.addSubject(tx, "s2")
            XCTAssertEqual(try tx.newKey(in: Self.numbers), "1", "an empty table starts at 1")
            for n in [10, -5, 41] {
                try tx.insertRecord(subject: n == 41 ? "s2" : "s1", in: Self.numbers, fields: Self.numbers.fields, values: [.text(String(n)), .text("n\(n)")])
            }
            XCTAssertEqual(try tx.newKey(in: Self.numbers), "42", "one more than the largest key of any subject")
            let text = try tx.newKey(in: Self.things)
            XCTAssertTrue(text.hasPrefix("n-") && text.count == 34 && text.dropFirst(2).allSatisfy { $0.isHexDigit && !$0.isUppercase }, text)
            XCTAssertNil(try tx.owner(of: text, in: Self.things))
            XCTAssertNotEqual(text, try tx.newKey(in: Self.things))
        }
    }

    public func snapshotStreamsManyRecordsAcrossPages() throws {
        let store = try initializedStore()
        let count = 2_345
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            for n in 0..<count {
                try tx.insertRecord(subject: "s1", in: Self.numbers, fields: Self.numbers.fields, values: [.text(String(count - n)), .text("n")])
            }
        }
        var expected = 1
        try store.withSnapshot { snap in
            try snap.forEachRecord(subject: "s1", in: Self.numbers, fields: Self.numbers.fields) { record in
                XCTAssertEqual(record[0], .text(String(expected)))
                expected += 1
            }
        }
        XCTAssertEqual(expected - 1, count)
    }

    public func everyFieldTypeReadsBackCanonical() throws {
        let store = try initializedStore()
        let rows: [[Value]] = [
            ["k1", "-42", "true", "12.50", "2024-02-29", "2024-05-01T12:00:00+02:00", "blue", "f-1", "plain"],
            ["k2", "0", "false", "-0.001", "1970-01-01", "2024-05-01T10:00:00.123Z", "red", nil, ""],
            ["k3", "9223372036854775807", nil, "1234567890123456789012345678901234567890", nil, "1999-12-31T23:59:59Z", "green", nil, nil],
            ["k4", "-9223372036854775808", "true", "0", "2000-01-01", "2024-05-01T10:00:00Z", "blue", nil, .text(Self.awkwardText)],
            ["k5", "7", "false", "3.14", "2024-12-31", "2024-05-01T10:00:00.5Z", "red", nil, .text(Self.longText)],
        ]
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            for row in rows { try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: row) }
        }
        var read: [[Value]] = []
        try store.withSnapshot { snap in
            try snap.forEachRecord(subject: "s1", in: Self.things, fields: Self.things.fields) { read.append($0.values) }
        }
        let expected = try rows.map { row in try zip(Self.things.fields, row).map { try $0.canonicalize($1) } }
        XCTAssertEqual(read.count, expected.count)
        for (got, want) in zip(read, expected) { XCTAssertEqual(got, want, "record \(want[0])") }
        XCTAssertEqual(read[0][5], "2024-05-01T10:00:00Z", "offsets become Z")
        XCTAssertEqual(read[1][8], "", "an empty string stays empty")
        XCTAssertEqual(read[2][8], .null, "NULL stays NULL")
        XCTAssertEqual(read[3][8], .text(Self.awkwardText))
        var viewed: [[Value]] = []
        try store.withSnapshot { snap in
            try snap.forEachRecordView(subject: "s1", in: Self.things, fields: Self.things.fields) { viewed.append($0.record().values) }
        }
        XCTAssertEqual(viewed, read, "the export's borrowed-bytes path reads the same values")
    }

    public func badDataInTheStoreIsReportedWithTableAndKey() throws {
        let store = try initializedStore()
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            try tx.insert(table: "things", columns: ["subject_id", "id", "n", "colour", "at"],
                          values: [.text("s1"), .text("k-bad"), .integer(1), .text("purple"), .text("2024-01-01T00:00:00Z")])
        }
        XCTAssertThrowsError(try store.withSnapshot { snap in
            try snap.forEachRecord(subject: "s1", in: Self.things, fields: Self.things.fields) { _ in }
        }) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeBadData)
            XCTAssertEqual(e?.location.field, "colour")
            XCTAssertTrue(e?.message.contains("table things key k-bad") ?? false, "\(error)")
            XCTAssertFalse("\(error)".contains("purple"), "no stored value in the message")
        }
    }

    public func lookupsFindRecordsOwnersAndFiles() throws {
        let store = try initializedStore()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 255, 0x0D, 0x0A]
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            try Self.addSubject(tx, "s2")
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k1", n: 1))
            try tx.insertRecord(subject: "s2", in: Self.things, fields: Self.things.fields, values: Self.thing("k2", n: 2))
            try tx.insertRecord(subject: "s1", in: Self.numbers, fields: Self.numbers.fields, values: ["42", "x"])
            try tx.insert(table: "files", columns: ["id", "subject_id", "filename", "media_type", "content"],
                          values: [.text("f-1"), .text("s1"), .text("a photo, \"mine\".png"), .text("image/png"), .blob(png)])
            try tx.insert(table: "files", columns: ["id", "subject_id", "filename", "media_type", "content"],
                          values: [.text("f-empty"), .text("s1"), .text(""), .text("text/plain"), .blob([])])
        }
        try store.withSnapshot { snap in
            XCTAssertEqual(try snap.record(subject: "s1", in: Self.things, key: "k1", fields: Self.things.fields)?.values,
                           try zip(Self.things.fields, Self.thing("k1", n: 1)).map { try $0.canonicalize($1) })
            XCTAssertNil(try snap.record(subject: "s1", in: Self.things, key: "k2", fields: Self.things.fields), "another subject's record")
            XCTAssertNil(try snap.record(subject: "s1", in: Self.things, key: "nope", fields: Self.things.fields))
            XCTAssertEqual(try snap.record(subject: "s1", in: Self.numbers, key: "42", fields: Self.numbers.fields)?.values, ["42", "x"])
            XCTAssertEqual(try snap.owner(of: "k2", in: Self.things), "s2")
            XCTAssertEqual(try snap.owner(of: "42", in: Self.numbers), "s1")
            XCTAssertNil(try snap.owner(of: "nope", in: Self.things))
            XCTAssertEqual(try snap.file(id: "f-1", subject: "s1"),
                           StoredFile(id: "f-1", name: "a photo, \"mine\".png", mediaType: "image/png", content: png))
            XCTAssertEqual(try snap.file(id: "f-empty", subject: "s1")?.content, [])
            XCTAssertNil(try snap.file(id: "f-1", subject: "s2"), "another subject's file")
            XCTAssertNil(try snap.file(id: "f-9", subject: "s1"))
            XCTAssertEqual(try snap.auditEntries(subject: "s1"), [])
        }
    }

    // MARK: Writing

    public func transactionUpdatesInsertsDeletesAndAudits() throws {
        let store = try initializedStore()
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            try Self.addSubject(tx, "s2")
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k1", n: 1))
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k2", n: 2))
            try tx.insertRecord(subject: "s2", in: Self.things, fields: Self.things.fields, values: Self.thing("k3", n: 3))
        }
        let note = Self.things.fields[8], flag = Self.things.fields[2], n = Self.things.fields[1]
        let audit = [
            AuditEntry(at: "2026-01-01T00:00:00Z", subject: "s1", category: "things", recordKey: "k1", action: "update", field: "note",
                       oldValue: "note 1", newValue: Self.awkwardText, bundleSHA256: String(repeating: "a", count: 64), actor: "tester"),
            AuditEntry(at: "2026-01-01T00:00:00Z", subject: "s1", category: "things", recordKey: "k2", action: "delete", field: nil,
                       oldValue: "{}", newValue: nil, bundleSHA256: String(repeating: "a", count: 64), actor: "tester"),
            AuditEntry(at: "2026-01-01T00:00:00Z", subject: "s1", category: "things", recordKey: "k9", action: "insert", field: nil,
                       oldValue: nil, newValue: "", bundleSHA256: String(repeating: "a", count: 64), actor: "tester"),
        ]
        try store.withTransaction { tx in
            XCTAssertEqual(try tx.update(subject: "s1", in: Self.things, key: "k1", set: [(note, .text(Self.awkwardText)), (flag, .null), (n, "-7")]), 1)
            XCTAssertEqual(try tx.update(subject: "s1", in: Self.things, key: "k3", set: [(note, "x")]), 0, "another subject's record is not touched")
            XCTAssertEqual(try tx.update(subject: "s1", in: Self.things, key: "k1", set: []), 0)
            XCTAssertEqual(try tx.delete(subject: "s1", in: Self.things, key: "k2"), 1)
            XCTAssertEqual(try tx.delete(subject: "s1", in: Self.things, key: "k3"), 0)
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k9", n: 9))
            XCTAssertEqual(try tx.owner(of: "k9", in: Self.things), "s1", "a transaction reads its own inserts")
            XCTAssertNotNil(try tx.record(subject: "s1", in: Self.things, key: "k9", fields: Self.things.fields))
            for e in audit { try tx.appendAudit(e) }
        }
        try store.withSnapshot { snap in
            let k1 = try snap.record(subject: "s1", in: Self.things, key: "k1", fields: Self.things.fields)
            XCTAssertEqual(k1?[8], .text(Self.awkwardText))
            XCTAssertEqual(k1?[2], .null)
            XCTAssertEqual(k1?[1], "-7")
            XCTAssertNil(try snap.record(subject: "s1", in: Self.things, key: "k2", fields: Self.things.fields))
            XCTAssertNotNil(try snap.record(subject: "s2", in: Self.things, key: "k3", fields: Self.things.fields))
            XCTAssertEqual(try snap.record(subject: "s2", in: Self.things, key: "k3", fields: Self.things.fields)?[8], "note 3")
            var keys: [String] = []
            try snap.forEachRecord(subject: "s1", in: Self.things, fields: Self.things.fields) { keys.append($0[0].text!) }
            XCTAssertEqual(keys, ["k1", "k9"])
            XCTAssertEqual(try snap.auditEntries(subject: "s1"), audit)
            XCTAssertEqual(try snap.auditEntries(subject: "s2"), [])
        }
    }

    public func throwingBodyRollsEverythingBack() throws {
        let store = try initializedStore()
        try store.withTransaction { tx in
            try Self.addSubject(tx, "s1")
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k1", n: 1))
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k2", n: 2))
        }
        let before = try Self.dump(store, subjects: ["s1", "s2"])
        struct Boom: Error {}
        XCTAssertThrowsError(try store.withTransaction { tx -> Void in
            _ = try tx.update(subject: "s1", in: Self.things, key: "k1", set: [(Self.things.fields[8], "changed")])
            _ = try tx.delete(subject: "s1", in: Self.things, key: "k2")
            try Self.addSubject(tx, "s2")
            try tx.insertRecord(subject: "s1", in: Self.things, fields: Self.things.fields, values: Self.thing("k3", n: 3))
            try tx.appendAudit(AuditEntry(at: "2026-01-01T00:00:00Z", subject: "s1", category: "things", recordKey: "k1", action: "update",
                                          field: "note", oldValue: nil, newValue: nil, bundleSHA256: "x", actor: "t"))
            throw SeqPortError(.internalError, "boom")
        }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .internalError, "the body's error comes out unchanged")
        }
        XCTAssertEqual(try Self.dump(store, subjects: ["s1", "s2"]), before)
        XCTAssertEqual(try store.subjectIDs(), ["s1"])
        // The store still works after a rollback.
        try store.withTransaction { tx in try Self.addSubject(tx, "s2") }
        XCTAssertEqual(try store.subjectIDs(), ["s1", "s2"])
    }

    // MARK: Initialization and versions

    public func initializeTwiceIsHarmless() throws {
        let store = try makeStore(Self.schema)
        XCTAssertNil(try store.storeVersion())
        try store.initialize(createSchemaTables: true)
        try store.withTransaction { tx in try Self.addSubject(tx, "s1") }
        try store.initialize(createSchemaTables: true)
        try store.initialize(createSchemaTables: false)
        XCTAssertEqual(try store.storeVersion(), seqportStoreVersion)
        XCTAssertEqual(try store.subjectIDs(), ["s1"])
    }

    public func initializeWithoutSchemaTablesCreatesOnlySeqportTables() throws {
        let store = try makeStore(Self.schema)
        try store.initialize(createSchemaTables: false)
        XCTAssertEqual(try store.storeVersion(), seqportStoreVersion)
        XCTAssertThrowsError(try store.subjectIDs()) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeQuery, "\(error)")
        }
        try store.withSnapshot { snap in XCTAssertEqual(try snap.auditEntries(subject: "s1"), []) }
    }

    public func anotherSchemaVersionIsRefused() throws {
        let store = try initializedStore()
        try execute(store, "UPDATE seqport_meta SET value = '99' WHERE key = 'schema_version'")
        XCTAssertEqual(try store.storeVersion(), 99)
        XCTAssertThrowsError(try store.initialize(createSchemaTables: true)) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeVersion)
            XCTAssertEqual(e?.code.rawValue, "store.schema-version")
            XCTAssertTrue(e?.message.contains("99") ?? false, "\(error)")
        }
    }

    // MARK: Fixtures

    /// A schema with every field type, a text-keyed and an integer-keyed category, and files.
    public static let things = Category(
        name: "things", title: "Things",
        fields: [
            Field(name: "id", type: .string, nullable: false),
            Field(name: "n", type: .integer, nullable: false, rectifiable: true),
            Field(name: "flag", type: .boolean, rectifiable: true),
            Field(name: "amount", type: .decimal),
            Field(name: "day", type: .date),
            Field(name: "at", type: .timestamp, nullable: false),
            Field(name: "colour", type: .enumeration(["red", "green", "blue"]), nullable: false),
            Field(name: "doc", type: .file),
            Field(name: "note", type: .string, rectifiable: true),
        ],
        store: StoreMapping(table: "things", key: "id", subject: "subject_id"), allowInsert: true, allowDelete: true)

    public static let numbers = Category(
        name: "numbers", title: "Numbers",
        fields: [Field(name: "id", type: .integer, nullable: false), Field(name: "label", type: .string, nullable: false)],
        store: StoreMapping(table: "numbers", key: "id", subject: "subject_id"))

    public static let schema = Schema(
        name: "conformance", version: "1", categories: [things, numbers],
        files: FileStoreMapping(table: "files", key: "id", subject: "subject_id", name: "filename", mediaType: "media_type", content: "content"))

    /// Quotes, separators, CR/LF, markup, emoji, right-to-left text, control characters (no U+0000,
    /// which PostgreSQL text cannot hold), a leading `=`.
    public static let awkwardText = "=SUM(A1) \"quoted\", 'single'; a\tb\r\nc\nd <tag> & &amp; 😀👩‍👩‍👧 مرحبا עברית \u{1}\u{7}\u{1B}\u{7F} \u{FEFF}é e\u{301}"
    public static let longText = String(repeating: "long ✓ ", count: 20_000)

    public static func thing(_ key: String, n: Int) -> [Value] {
        [.text(key), .text(String(n)), n % 2 == 0 ? "true" : "false", "1.50", "2024-01-01", "2024-01-01T00:00:00Z", "red", nil, .text("note \(n)")]
    }

    public static func addSubject(_ tx: any StoreTransaction, _ id: String) throws {
        try tx.insert(table: "subjects", columns: ["id", "created_at"], values: [.text(id), .text("2024-01-01T00:00:00Z")])
    }

    public static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    /// Everything the store holds for some subjects, as comparable text.
    public static func dump(_ store: any Store, subjects: [String]) throws -> [String] {
        var out = ["subjects: \(try store.subjectIDs())"]
        try store.withSnapshot { snap in
            for s in subjects {
                for c in schema.categories {
                    try snap.forEachRecord(subject: s, in: c, fields: c.fields) { out.append("\(s) \(c.name) \($0.values)") }
                }
                out.append("audit \(s): \(try snap.auditEntries(subject: s))")
            }
        }
        return out
    }

    func initializedStore() throws -> any Store {
        let store = try makeStore(Self.schema)
        try store.initialize(createSchemaTables: true)
        return store
    }
}
