import Foundation
import XCTest
@testable import SeqPortArchive
import SeqPortModel

final class AtomicFileTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private var listing: [String] { (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] }

    func testCommitRenamesThePartialFileToTheFinalPath() throws {
        let file = try AtomicFile(finalPath: dir + "/out.zip")
        XCTAssertTrue(file.partialPath.hasPrefix(dir + "/.out.zip.partial-\(getpid())-"))
        try file.sink.write(Array("hello".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.zip"))
        try file.commit()
        XCTAssertEqual(listing, ["out.zip"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/out.zip")), Data("hello".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/out.zip")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o644)
    }

    func testDroppingWithoutCommitLeavesNothingBehind() throws {
        do {
            let file = try AtomicFile(finalPath: dir + "/out.zip")
            try file.sink.write(Array("partial".utf8))
            XCTAssertEqual(listing.count, 1)
        }
        XCTAssertEqual(listing, [])
    }

    func testAbortRemovesThePartialFile() throws {
        let file = try AtomicFile(finalPath: dir + "/out.zip")
        file.abort()
        XCTAssertEqual(listing, [])
        XCTAssertThrowsCode(.zipWriterState, try file.commit())
    }

    func testMissingDirectoryIsAnIOErrorNamingThePath() {
        let error = XCTAssertThrowsCode(.ioFailed, try AtomicFile(finalPath: dir + "/no/such/out.zip"))
        XCTAssertTrue(error?.message.contains("/no/such/.out.zip.partial-") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("No such file or directory") ?? false)
    }

    func testFullDiskIsAnIOError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("/dev/full is not available") }
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
