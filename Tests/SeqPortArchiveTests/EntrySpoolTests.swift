import Foundation
import XCTest
@testable import SeqPortArchive
import SeqPortModel

final class EntrySpoolTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testSmallContentStaysInMemory() throws {
        let spool = EntrySpool(memoryLimit: 1_000, directory: dir)
        try spool.append([1, 2, 3])
        XCTAssertFalse(spool.isSpilled)
        let sink = MemorySink()
        try spool.drain(into: sink)
        XCTAssertEqual(sink.bytes, [1, 2, 3])
    }

    func testContentOverTheLimitSpillsToAnUnlinkedFileAndDrainsIntact() throws {
        let spool = EntrySpool(memoryLimit: 10_000, directory: dir)
        let bytes = ZipTestSupport.randomBytes(3_000_000)
        for start in stride(from: 0, to: bytes.count, by: 7_000) {
            try spool.append(Array(bytes[start..<min(start + 7_000, bytes.count)]))
        }
        XCTAssertTrue(spool.isSpilled)
        XCTAssertEqual(spool.count, bytes.count)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "the spool file is unlinked at once")
        let sink = MemorySink()
        try spool.drain(into: sink)
        XCTAssertEqual(sink.bytes, bytes)
    }

    func testMissingSpoolDirectoryIsAnIOError() {
        let spool = EntrySpool(memoryLimit: 1, directory: dir + "/missing")
        XCTAssertThrowsCode(.ioFailed, try spool.append([1, 2, 3]))
    }
}
