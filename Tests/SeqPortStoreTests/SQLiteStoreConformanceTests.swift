import Foundation
import GRDB
import SeqPortModel
import SeqPortStoreConformance
import XCTest
@testable import SeqPortStore

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
