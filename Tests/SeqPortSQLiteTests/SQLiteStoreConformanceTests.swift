import Foundation
import GRDB
import SeqPortModel
import SeqPortStoreConformance
import XCTest
@testable import SeqPortSQLite
import SeqPortStore

/// The store conformance suite against SQLite files in a temporary folder.
final class SQLiteStoreConformanceTests: XCTestCase {
    var suite: StoreConformance!

    override func setUpWithError() throws {
        let dir = NSTemporaryDirectory() + "seqport-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        var n = 0
        suite = StoreConformance(
            makeStore: { schema in
                n += 1
                return try SQLiteStore(path: "\(dir)/store-\(n).sqlite", schema: schema, create: true)
            },
            execute: { store, sql in
                try (store as! SQLiteStore).queue.write { try $0.execute(sql: sql) }
            })
    }

    func testSubjectIDsAreInByteOrder() throws { try suite.subjectIDsAreInByteOrder() }
    func testSnapshotStreamsRecordsInKeyByteOrder() throws { try suite.snapshotStreamsRecordsInKeyByteOrder() }
    func testNewKeysAreFreeAndFollowTheRules() throws { try suite.newKeysAreFreeAndFollowTheRules() }
    func testSnapshotStreamsManyRecordsAcrossPages() throws { try suite.snapshotStreamsManyRecordsAcrossPages() }
    func testEveryFieldTypeReadsBackCanonical() throws { try suite.everyFieldTypeReadsBackCanonical() }
    func testBadDataInTheStoreIsReportedWithTableAndKey() throws { try suite.badDataInTheStoreIsReportedWithTableAndKey() }
    func testLookupsFindRecordsOwnersAndFiles() throws { try suite.lookupsFindRecordsOwnersAndFiles() }
    func testTransactionUpdatesInsertsDeletesAndAudits() throws { try suite.transactionUpdatesInsertsDeletesAndAudits() }
    func testThrowingBodyRollsEverythingBack() throws { try suite.throwingBodyRollsEverythingBack() }
    func testInitializeTwiceIsHarmless() throws { try suite.initializeTwiceIsHarmless() }
    func testInitializeWithoutSchemaTablesCreatesOnlySeqportTables() throws { try suite.initializeWithoutSchemaTablesCreatesOnlySeqportTables() }
    func testAnotherSchemaVersionIsRefused() throws { try suite.anotherSchemaVersionIsRefused() }
}

/// The SQLite row loop reads columns by storage class; values SQLite keeps in another class than the
/// field's (a REAL amount, an INTEGER in a text column, text with U+0000) take the slow path.
final class SQLiteRowsTests: XCTestCase {
    func testValuesInOtherStorageClassesAreCanonicalizedOrRefused() throws {
        let dir = NSTemporaryDirectory() + "seqport-rows-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite", schema: StoreConformance.schema, create: true)
        try store.initialize(createSchemaTables: true)
        try store.queue.write { db in
            try db.execute(sql: "INSERT INTO subjects (id, created_at) VALUES ('s1', '2024-01-01T00:00:00Z')")
            // id, n, flag, amount, day, at, colour, doc, note
            try db.execute(sql: """
                INSERT INTO things (subject_id, id, n, flag, amount, day, at, colour, doc, note) VALUES
                ('s1', 'k1', 7, 1, 12.5, '2024-02-29', '2024-05-01T12:00:00+02:00', 'red', NULL, 42),
                ('s1', 'k2', -3, 0, 3, '1970-01-01', '2024-05-01T10:00:00Z', 'blue', 'f-1', CAST('a' || char(0) || 'b' AS TEXT)),
                ('s1', 'k3', 0, NULL, '0.25', NULL, '2024-05-01T10:00:00.5Z', 'green', NULL, 'ünïcode')
                """)
        }
        var read: [[Value]] = []
        try store.withSnapshot { snap in
            try snap.forEachRecordView(subject: "s1", in: StoreConformance.things, fields: StoreConformance.things.fields) {
                read.append($0.record().values)
            }
        }
        XCTAssertEqual(read, [
            ["k1", "7", "true", "12.5", "2024-02-29", "2024-05-01T10:00:00Z", "red", nil, "42"],
            ["k2", "-3", "false", "3", "1970-01-01", "2024-05-01T10:00:00Z", "blue", "f-1", .text("a\u{0}b")],
            ["k3", "0", nil, "0.25", nil, "2024-05-01T10:00:00.5Z", "green", nil, "ünïcode"],
        ])

        try store.queue.write { db in
            try db.execute(sql: "UPDATE things SET at = x'00ff' WHERE id = 'k2'")
        }
        XCTAssertThrowsError(try store.withSnapshot { snap in
            try snap.forEachRecordView(subject: "s1", in: StoreConformance.things, fields: StoreConformance.things.fields) { _ in }
        }) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .storeBadData)
            XCTAssertEqual(e?.location.field, "at")
            XCTAssertTrue(e?.message.contains("table things key k2") ?? false, "\(error)")
        }
    }
}
