import Foundation
import SeqPortModel
import SeqPortStoreConformance
import XCTest
@testable import SeqPortSQLite
import SeqPortStore

/// What only the SQLite store does: files on disk.
final class SQLiteStoreTests: XCTestCase {
    func testMissingFileIsStoreMissing() {
        let path = NSTemporaryDirectory() + "seqport-missing-" + UUID().uuidString + ".sqlite"
        XCTAssertThrowsError(try SQLiteStore(path: path, schema: StoreConformance.schema)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeMissing)
            XCTAssertEqual((error as? SeqPortError)?.code.rawValue, "store.missing")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "opening does not create the file")
    }

    func testAFileThatIsNotADatabaseIsRefused() throws {
        let path = NSTemporaryDirectory() + "seqport-notadb-" + UUID().uuidString + ".sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try SQLiteStore(path: path, schema: StoreConformance.schema).storeVersion()) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeMissing, "\(error)")
        }
    }
}
