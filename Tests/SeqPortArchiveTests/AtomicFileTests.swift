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
        XCTAssertEqual(mode, 0o600, "private by default")
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    private func withUmask<T>(_ mask: mode_t, _ body: () throws -> T) rethrows -> T {
        let old = umask(mask)
        defer { umask(old) }
        return try body()
    }

    func testTheDefaultModeIsNeverWiderThanTheUmaskAllows() throws {
        try withUmask(0o077) {
            let file = try AtomicFile(finalPath: dir + "/a.zip")
            try file.commit()
        }
        XCTAssertEqual(try mode(dir + "/a.zip"), 0o600)
        try withUmask(0o277) {
            let file = try AtomicFile(finalPath: dir + "/b.zip")
            try file.commit()
        }
        XCTAssertEqual(try mode(dir + "/b.zip"), 0o400)
    }

    func testAnExplicitModeIsSetExactly() throws {
        try withUmask(0o077) {
            let file = try AtomicFile(finalPath: dir + "/shared.zip", mode: 0o640)
            try file.commit()
        }
        XCTAssertEqual(try mode(dir + "/shared.zip"), 0o640)
    }

    func testASymlinkIsWrittenThroughNeverReplaced() throws {
        let target = dir + "/target.json"
        FileManager.default.createFile(atPath: target, contents: Data("old and longer".utf8))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.json", withDestinationPath: target)
        let file = try AtomicFile(finalPath: dir + "/link.json")
        XCTAssertTrue(file.isDirect)
        try file.sink.write(Array("new".utf8))
        try file.commit()
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.json"), target)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "new")
        XCTAssertEqual(listing.sorted(), ["link.json", "target.json"])
    }

    func testAFIFOIsWrittenInPlace() throws {
        let fifo = dir + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // nonisolated(unsafe): written only by the reader thread, read here after `done` is signalled.
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            if fd >= 0 { close(fd) }
            done.signal()
        }
        thread.start()
        let file = try AtomicFile(finalPath: fifo)
        XCTAssertTrue(file.isDirect)
        try file.sink.write(Array("through the pipe".utf8))
        try file.commit()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "through the pipe")
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
    }

    func testACharacterDeviceIsWrittenInPlace() throws {
        let file = try AtomicFile(finalPath: "/dev/null")
        XCTAssertTrue(file.isDirect)
        try file.sink.write(Array("gone".utf8))
        try file.commit()
        var info = stat()
        XCTAssertEqual(stat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
    }

    func testAFolderIsRefused() {
        XCTAssertThrowsCode(.ioFailed, try AtomicFile(finalPath: dir))
    }

    func testRemoveAllPartialFilesRemovesTheOnesStillOpen() throws {
        let file = try AtomicFile(finalPath: dir + "/half.zip")
        try file.sink.write(Array("half".utf8))
        XCTAssertEqual(listing.count, 1)
        AtomicFile.removeAllPartialFiles()
        XCTAssertEqual(listing, [])
        file.abort()
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
