import Foundation
import SeqPortTestSupport
import XCTest
@testable import SeqPortArchive
import SeqPortModel

final class FileSinkTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testFullDiskIsAnIOError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw TestTools.missing("/dev/full is not available") }
        let sink = try FileSink(path: "/dev/full")
        try sink.write([1, 2, 3])  // buffered
        let error = XCTAssertThrowsCode(.ioFailed, try sink.flush())
        XCTAssertEqual(error?.message, "cannot write /dev/full: No space left on device")
    }

    func testFileSinkWritesLargeAndSmallPiecesInOrder() throws {
        let path = dir + "/f.bin"
        let sink = try FileSink(path: path)
        let big = ZipTestSupport.randomBytes(3 << 20)
        try sink.write(Array(big[0..<10]))
        try sink.write(Array(big[10..<(2 << 20)]))
        try sink.write(Array(big[(2 << 20)...]))
        try sink.close()
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), big)
    }
}
