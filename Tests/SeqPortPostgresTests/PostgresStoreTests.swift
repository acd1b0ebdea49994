import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore
import SeqPortStoreConformance
import XCTest
@testable import SeqPortPostgres
import SeqPortTestSupport

/// What only the PostgreSQL store does: TLS, connections that fail or break, concurrent writers.
final class PostgresStoreTests: XCTestCase {
    let schema = StoreConformance.schema
    let things = StoreConformance.things

    func store(_ location: PostgresLocation) throws -> PostgresStore {
        let store = try PostgresStore(location: location, schema: schema)
        addTeardownBlock { store.close() }
        return store
    }

    /// A fresh database with the conformance schema and one subject with `count` numbers and two things.
    func populated(count: Int = 10) throws -> PostgresLocation {
        let location = try PostgresTestServer.freshDatabase(self)
        let s = try store(location)
        try s.initialize(createSchemaTables: true)
        try s.withTransaction { tx in
            try StoreConformance.addSubject(tx, "s1")
            for n in 1...count { try tx.insertRecord(subject: "s1", in: StoreConformance.numbers, fields: StoreConformance.numbers.fields, values: [.text(String(n)), "n"]) }
            try tx.insertRecord(subject: "s1", in: things, fields: things.fields, values: StoreConformance.thing("k1", n: 1))
            try tx.insertRecord(subject: "s1", in: things, fields: things.fields, values: StoreConformance.thing("k2", n: 2))
        }
        return location
    }

    func isEncrypted(_ store: PostgresStore) throws -> Bool {
        try store.link.run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", doing: "test").rows[0].makeRandomAccess()[0].decode(Bool.self)
    }

    // MARK: TLS

    func testSslmodeRequireEncryptsWithoutVerifying() throws {
        var location = try PostgresTestServer.base()
        location.tls = .require
        XCTAssertTrue(try isEncrypted(try store(location)))
        location.tls = .disable
        XCTAssertFalse(try isEncrypted(try store(location)))
    }

    func testSslmodeVerifyFullChecksTheCertificate() throws {
        var location = try PostgresTestServer.base()
        guard let root = PostgresTestServer.rootCertificate else {
            if PostgresTestServer.environment[PostgresTestServer.requiredVariable] == "1" {
                return XCTFail("\(PostgresTestServer.rootCertificateVariable) is not set but the PostgreSQL tests are required")
            }
            throw XCTSkip("\(PostgresTestServer.rootCertificateVariable) is not set (the server's certificate, as .ci/run makes it)")
        }
        location.host = "localhost"
        location.tls = .verifyFull
        location.rootCertificatePath = root
        XCTAssertTrue(try isEncrypted(try store(location)))
        location.rootCertificatePath = nil
        XCTAssertThrowsError(try store(location), "a self-signed certificate is not trusted by the system roots") { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
        }
    }

    // MARK: Connecting

    func testAMissingDatabaseIsStoreMissing() throws {
        var location = try PostgresTestServer.base()
        location.database = "seqport_no_such_database"
        XCTAssertThrowsError(try store(location)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeMissing, "\(error)")
        }
    }

    func testAWrongPasswordIsStoreConnectionWithoutThePassword() throws {
        var location = try PostgresTestServer.base()
        location.password = "not-the-password-4711"
        XCTAssertThrowsError(try store(location)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
            XCTAssertFalse("\(error)".contains("4711"))
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testNoServerIsStoreConnection() throws {
        var location = try PostgresTestServer.base()
        location.host = "127.0.0.1"
        location.port = 1
        location.tls = .disable
        XCTAssertThrowsError(try store(location)) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeConnection, "\(error)")
            XCTAssertTrue(e?.message.contains("postgres://") ?? false, "names the server: \(error)")
        }
    }

    // MARK: Timeouts

    func testAStatementPastStatementTimeoutIsCanceledByTheServer() throws {
        var location = try PostgresTestServer.base()
        location.statementTimeout = 1
        location.readTimeout = 30
        let s = try store(location)
        XCTAssertThrowsError(try s.link.run("SELECT pg_sleep(10)", doing: "wait in a test")) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeQuery, "\(error)")
            XCTAssertTrue(e?.message.contains("statement_timeout") ?? false, "\(error)")
        }
        XCTAssertNoThrow(try s.link.run("SELECT 1", doing: "test"), "the connection is still usable")
    }

    func testAFrozenBackendIsStoreConnectionAfterTheReadTimeout() throws {
        var location = try PostgresTestServer.base()
        location.statementTimeout = 0
        location.readTimeout = 2
        let s = try store(location)
        let pid = try PostgresTestServer.backendPID(s)
        // Freeze the server process of this connection, as a stopped VM or a hung host would.
        guard kill(pid_t(pid), SIGSTOP) == 0 else {
            throw TestTools.missing("cannot stop the PostgreSQL backend \(pid) (not root, or the server runs elsewhere): \(String(cString: strerror(errno)))")
        }
        defer {
            kill(pid_t(pid), SIGCONT)
            try? PostgresTestServer.terminate(pid)
        }
        XCTAssertThrowsError(try s.link.run("SELECT 1", doing: "read a test value")) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeConnection, "\(error)")
            XCTAssertTrue(e?.message.contains("did not answer within 2 s while trying to read a test value (read_timeout)") ?? false, "\(error)")
        }
        XCTAssertEqual(try s.link.run("SELECT 7", doing: "test").rows[0].makeRandomAccess()[0].decode(Int.self), 7,
                       "the next call connects again")
    }

    func testAServerThatAcceptsButNeverAnswersIsAConnectTimeout() throws {
        let listener = try SilentListener()
        var location = try PostgresLocation(url: "postgres://seqport@127.0.0.1:\(listener.port)/postgres?sslmode=disable&connect_timeout=2",
                                            environment: ["PGPASSWORD": "x", "HOME": "/nonexistent"])
        location.tls = .disable
        XCTAssertThrowsError(try store(location)) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeConnection, "\(error)")
            XCTAssertTrue(e?.message.contains("timed out") ?? false, "\(error)")
            XCTAssertNil(PostgresLocationTests.internalName(in: e?.message ?? ""), "\(error)")
        }
        location.tls = .require
        XCTAssertThrowsError(try store(location), "the TLS request is not answered either") { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
            XCTAssertNil(PostgresLocationTests.internalName(in: (error as? SeqPortError)?.message ?? ""), "\(error)")
        }
    }

    func testNoPasswordForAPasswordServerIsSaidInWords() throws {
        var location = try PostgresTestServer.base()
        location.password = nil
        XCTAssertThrowsError(try store(location)) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeConnection, "\(error)")
            XCTAssertTrue(e?.message.contains("asks for a password and none was given") ?? false, "\(error)")
            XCTAssertNil(PostgresLocationTests.internalName(in: e?.message ?? ""), "\(error)")
        }
    }

    // MARK: One statement or a cursor

    /// A category of at most a page of records is read by one statement, a larger one through a cursor
    /// from its first record: at the edge and past it, every record comes once, in key order.
    func testEveryRecordOnceInKeyOrderAtThePageEdge() throws {
        for count in [PostgresSession.pageSize - 1, PostgresSession.pageSize, PostgresSession.pageSize + 1, 2 * PostgresSession.pageSize + 1] {
            let s = try store(try populated(count: count))
            var ids: [Int] = []
            try s.withSnapshot { snap in
                try snap.forEachRecordView(subject: "s1", in: StoreConformance.numbers, fields: StoreConformance.numbers.fields) { view in
                    ids.append(Int(view.record()[0].text ?? "") ?? -1)
                }
            }
            XCTAssertEqual(ids, Array(1...count), "\(count) records")
        }
    }

    // MARK: Losing the connection

    func testConnectionLostDuringExportIsStoreConnection() throws {
        let location = try populated(count: 2_500)
        let s = try store(location)
        let pid = try PostgresTestServer.backendPID(s)
        var seen = 0
        XCTAssertThrowsError(try s.withSnapshot { snap in
            try snap.forEachRecord(subject: "s1", in: StoreConformance.numbers, fields: StoreConformance.numbers.fields) { _ in
                seen += 1
                if seen == 1 { try PostgresTestServer.terminate(pid) }
            }
        }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
        }
        XCTAssertEqual(seen, PostgresSession.pageSize, "the first page was read, the next fetch failed")
        XCTAssertEqual(try s.subjectIDs(), ["s1"], "the store connects again on the next call")
    }

    func testConnectionLostDuringATransactionAppliesNothing() throws {
        let location = try populated()
        let s = try store(location)
        let before = try StoreConformance.dump(s, subjects: ["s1"])
        let pid = try PostgresTestServer.backendPID(s)
        XCTAssertThrowsError(try s.withTransaction { tx in
            _ = try tx.update(subject: "s1", in: self.things, key: "k1", set: [(self.things.fields[8], "changed")])
            _ = try tx.delete(subject: "s1", in: self.things, key: "k2")
            try tx.appendAudit(AuditEntry(at: "2026-01-01T00:00:00Z", subject: "s1", category: "things", recordKey: "k1", action: "update",
                                          field: "note", oldValue: nil, newValue: nil, bundleSHA256: "x", actor: "t"))
            try PostgresTestServer.terminate(pid)
            _ = try tx.update(subject: "s1", in: self.things, key: "k2", set: [(self.things.fields[8], "changed")])
        }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
        }
        XCTAssertEqual(try StoreConformance.dump(try store(location), subjects: ["s1"]), before)
    }

    // MARK: Concurrent writers

    /// Two writers check the same record against what they last saw and change it, as two imports
    /// of the same subject do: the record lock makes the second see the first's change.
    func testTwoWritersOfOneRecordCannotBothApplyStaleChanges() throws {
        let location = try populated()
        let expected = try store(location).withSnapshot { try $0.record(subject: "s1", in: things, key: "k1", fields: things.fields) }
        let stores = [try store(location), try store(location)]
        let firstHasLock = DispatchSemaphore(value: 0)
        let results = ResultBox()
        let group = DispatchGroup()
        let category = things
        for (i, store) in stores.enumerated() {
            // nonisolated(unsafe): each store is used by its one writer thread only.
            nonisolated(unsafe) let s = store
            DispatchQueue.global().async(group: group) {
                do {
                    if i == 1 { firstHasLock.wait() }
                    try s.withTransaction { tx in
                        let current = try tx.record(subject: "s1", in: category, key: "k1", fields: category.fields)
                        if i == 0 { firstHasLock.signal(); Thread.sleep(forTimeInterval: 0.3) }
                        guard current == expected else { throw SeqPortError(.storeConflict, "record changed") }
                        _ = try tx.update(subject: "s1", in: category, key: "k1", set: [(category.fields[8], .text("writer \(i)"))])
                    }
                    results.add("applied \(i)")
                } catch {
                    results.add("conflict \(i): \((error as? SeqPortError)?.code.rawValue ?? "\(error)")")
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(results.sorted, ["applied 0", "conflict 1: store.conflict"])
        XCTAssertEqual(try store(location).withSnapshot { try $0.record(subject: "s1", in: things, key: "k1", fields: things.fields)?[8] }, "writer 0")
    }

    func testTwoWritersInsertingOneKeyCannotBothSucceed() throws {
        let location = try populated()
        let stores = [try store(location), try store(location)]
        let results = ResultBox()
        let group = DispatchGroup()
        let firstInserted = DispatchSemaphore(value: 0)
        let category = things
        for (i, store) in stores.enumerated() {
            // nonisolated(unsafe): each store is used by its one writer thread only.
            nonisolated(unsafe) let s = store
            DispatchQueue.global().async(group: group) {
                do {
                    if i == 1 { firstInserted.wait() }
                    try s.withTransaction { tx in
                        guard try tx.owner(of: "k-new", in: category) == nil else { throw SeqPortError(.storeConflict, "exists") }
                        try tx.insertRecord(subject: "s1", in: category, fields: category.fields, values: StoreConformance.thing("k-new", n: i))
                        if i == 0 {
                            _ = try tx.owner(of: "k-new", in: category) // sends the buffered insert
                            firstInserted.signal()
                            Thread.sleep(forTimeInterval: 0.3)
                        }
                    }
                    results.add("applied \(i)")
                } catch {
                    results.add("conflict \(i): \((error as? SeqPortError)?.code.rawValue ?? "\(error)")")
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(results.sorted, ["applied 0", "conflict 1: store.conflict"])
    }

    // MARK: Values PostgreSQL holds in its own types

    func testNativeColumnTypesReadAsCanonicalText() throws {
        let location = try PostgresTestServer.freshDatabase(self)
        let s = try store(location)
        try s.link.run("""
            CREATE TABLE native (subject_id TEXT NOT NULL, id INTEGER PRIMARY KEY, amount NUMERIC(12,2), day DATE, at TIMESTAMPTZ, ratio DOUBLE PRECISION, small SMALLINT, label VARCHAR(20))
            """, doing: "test")
        try s.link.run("""
            INSERT INTO native VALUES ('s1', 1, 1490.00, '2024-02-29', '2024-05-01 12:00:00.25+02', 0.5, 7, 'x'),
                                      ('s1', 2, -0.05, '1969-12-31', '1969-12-31 23:59:59+00', 2, -1, '')
            """, doing: "test")
        let native = Category(name: "native", title: "Native", fields: [
            Field(name: "id", type: .integer, nullable: false), Field(name: "amount", type: .decimal), Field(name: "day", type: .date),
            Field(name: "at", type: .timestamp), Field(name: "ratio", type: .decimal), Field(name: "small", type: .integer), Field(name: "label", type: .string),
        ], store: StoreMapping(table: "native", key: "id", subject: "subject_id"))
        var rows: [[Value]] = []
        try s.withSnapshot { try $0.forEachRecord(subject: "s1", in: native, fields: native.fields) { rows.append($0.values) } }
        XCTAssertEqual(rows, [
            ["1", "1490.00", "2024-02-29", "2024-05-01T10:00:00.25Z", "0.5", "7", "x"],
            ["2", "-0.05", "1969-12-31", "1969-12-31T23:59:59Z", "2.0", "-1", ""],
        ])
        try s.withTransaction { tx in
            XCTAssertEqual(try tx.update(subject: "s1", in: native, key: "2", set: [(native.fields[1], "3.10"), (native.fields[2], "2025-01-02"),
                                                                                   (native.fields[3], "2025-01-02T03:04:05Z")]), 1,
                           "canonical text fills native columns (untyped parameters)")
        }
        try s.withSnapshot { XCTAssertEqual(try $0.record(subject: "s1", in: native, key: "2", fields: native.fields)?.values,
                                            ["2", "3.10", "2025-01-02", "2025-01-02T03:04:05Z", "2.0", "-1", ""]) }
    }

    /// The export's borrowed-bytes path (`PostgresRows`) against the per-cell slow path, on every kind of
    /// cell it treats: text it lends as is, text it refuses (non-ASCII, bidi, astral, controls, leading
    /// zeros, long, empty, NULL), BOOLEAN and SMALLINT/INTEGER/BIGINT into boolean, integer and string
    /// fields, CHAR's padding.
    func testTheExportViewReadsEveryCellAsTheSlowPathDoes() throws {
        let location = try PostgresTestServer.freshDatabase(self)
        let s = try store(location)
        try s.link.run("""
            CREATE TABLE mixed (subject_id TEXT NOT NULL, id BIGINT PRIMARY KEY, flag BOOLEAN, flag_text BOOLEAN, small_flag SMALLINT,
                                big INTEGER, code CHAR(4), name VARCHAR(40), note TEXT, colour TEXT NOT NULL, long TEXT)
            """, doing: "test")
        let long = String(repeating: "x", count: 100_000) + "é"
        let longASCII = String(repeating: "y", count: 70_000)
        let rows: [[StoreValue]] = [
            [.text("s1"), .integer(1), .boolean(true), .boolean(false), .integer(0), .integer(42), .text("ab"), .text("Åsa \u{202E}x"),
             .text("a\u{1}\tb\r\nc\u{7F}"), .text("blue"), .text(long)],
            [.text("s1"), .integer(2), .boolean(false), .boolean(true), .integer(5), .integer(-7), .null, .text("😀 مرحبا"),
             .text("007"), .text("red"), .text(longASCII)],
            [.text("s1"), .integer(-9_223_372_036_854_775_808), .null, .null, .null, .null, .text("abcd"), .text(""), .null, .text("red"), .text("")],
        ]
        for row in rows {
            var binds = PostgresBindings(capacity: row.count)
            for value in row { binds.append(store: value) }
            try s.link.run("INSERT INTO mixed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", binds, doing: "test")
        }
        let mixed = Category(name: "mixed", title: "Mixed", fields: [
            Field(name: "id", type: .integer, nullable: false), Field(name: "flag", type: .boolean), Field(name: "flag_text", type: .string),
            Field(name: "small_flag", type: .boolean), Field(name: "big", type: .string), Field(name: "code", type: .string),
            Field(name: "name", type: .string), Field(name: "note", type: .string),
            Field(name: "colour", type: .enumeration(["red", "blue"]), nullable: false), Field(name: "long", type: .string),
        ], store: StoreMapping(table: "mixed", key: "id", subject: "subject_id"))

        var viewed: [[Value]] = []
        try s.withSnapshot { try $0.forEachRecordView(subject: "s1", in: mixed, fields: mixed.fields) { viewed.append($0.record().values) } }
        XCTAssertEqual(viewed, [
            ["-9223372036854775808", nil, nil, nil, nil, "abcd", "", nil, "red", ""],
            ["1", "true", "false", "false", "42", "ab  ", "Åsa \u{202E}x", "a\u{1}\tb\r\nc\u{7F}", "blue", .text(long)],
            ["2", "false", "true", "true", "-7", nil, "😀 مرحبا", "007", "red", .text(longASCII)],
        ])

        let columns = mixed.fields.map { quoted($0.column) }.joined(separator: ", ")
        let slow: [[Value]] = try s.link.run("SELECT \(columns) FROM mixed ORDER BY id", doing: "test").rows.map { row in
            let cells = row.makeRandomAccess()
            return try mixed.fields.indices.map { try PostgresValues.value(cells[$0], for: mixed.fields[$0]) }
        }
        XCTAssertEqual(viewed, slow, "the fast path gives what the per-cell slow path gives")

        try s.link.run("UPDATE mixed SET colour = 'purple' WHERE id = 2", doing: "test")
        XCTAssertThrowsError(try s.withSnapshot { try $0.forEachRecordView(subject: "s1", in: mixed, fields: mixed.fields) { _ in } }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeBadData)
            XCTAssertEqual((error as? SeqPortError)?.message, "bad data in the store, table mixed key 2: not one of the allowed values")
            XCTAssertEqual((error as? SeqPortError)?.location.field, "colour")
        }
    }
}

/// Results from several threads.
// @unchecked Sendable: `items` is read and written only under `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var sorted: [String] { lock.lock(); defer { lock.unlock() }; return items.sorted() }
}
