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
}
