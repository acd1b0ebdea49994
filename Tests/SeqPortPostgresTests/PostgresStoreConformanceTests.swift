import Foundation
import SeqPortModel
import SeqPortStore
import SeqPortStoreConformance
import XCTest
@testable import SeqPortPostgres

/// The store conformance suite against a real PostgreSQL server, one fresh database per test.
final class PostgresStoreConformanceTests: XCTestCase {
    var suite: StoreConformance!

    override func setUpWithError() throws {
        let location = try PostgresTestServer.freshDatabase(self)
        suite = StoreConformance(
            makeStore: { schema in
                let store = try PostgresStore(location: location, schema: schema)
                // Each store of a test gets an empty database: drop what an earlier one made.
                try store.link.run("DROP SCHEMA public CASCADE", doing: "reset")
                try store.link.run("CREATE SCHEMA public", doing: "reset")
                return store
            },
            execute: PostgresTestServer.execute)
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
