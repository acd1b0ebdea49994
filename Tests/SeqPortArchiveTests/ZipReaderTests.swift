import Foundation
import XCTest
@testable import SeqPortArchive
import SeqPortModel

final class ZipReaderTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func sample() throws -> (path: String, text: [UInt8]) {
        let text = ZipTestSupport.recordText(400_000)
        let path = dir + "/s.zip"
        var options = ZipWriter.Options()
        options.chunkSize = 64 << 10
        try ZipTestSupport.writeArchive(path, [("json/a.json", text, true), ("raw.bin", text, false), ("empty", [], true)], options: options)
        return (path, text)
    }

    func testDripFedReadsOneByteAtATimeAndStillChecksTheCRC() throws {
        let (path, text) = try sample()
        let reader = try ZipReader(path: path)
        let small = Array(text.prefix(5_000))
        XCTAssertEqual(try ZipTestSupport.readThrough(reader, reader.entries[0], bufferSize: 1).prefix(5_000), small[...])
        XCTAssertEqual(try ZipTestSupport.readThrough(reader, reader.entries[1], bufferSize: 1).count, text.count)
        XCTAssertEqual(try ZipTestSupport.readThrough(reader, reader.entries[2], bufferSize: 1), [])
    }

    func testEntryNamedFindsExactNamesOnly() throws {
        let (path, _) = try sample()
        let reader = try ZipReader(path: path)
        XCTAssertEqual(reader.entry(named: "raw.bin")?.method, 0)
        XCTAssertNil(reader.entry(named: "RAW.bin"))
        XCTAssertEqual(reader.entry(named: "json/a.json")?.localHeaderOffset, 0)
    }

    func testReadAllRefusesAnEntryOverTheCallersLimit() throws {
        let (path, _) = try sample()
        let reader = try ZipReader(path: path)
        let error = XCTAssertThrowsCode(.zipEntryTooLarge, try reader.readAll(reader.entries[0], maxBytes: 1_000))
        XCTAssertEqual(error?.location.entry, "json/a.json")
        XCTAssertEqual(error?.code.exitClass, .archive)
    }

    func testArchiveCommentOfExactlyTheDeclaredLengthIsAccepted() throws {
        var zip = HandBuiltZip([HandBuiltZip.Entry("a.txt", stored: Array("hello".utf8))])
        zip.comment = Array("exported by seqport".utf8)
        let path = dir + "/c.zip"
        try ZipTestSupport.write(zip.bytes(), to: path)
        let reader = try ZipReader(path: path)
        XCTAssertEqual(try reader.readAll(reader.entries[0], maxBytes: 10), Array("hello".utf8))
    }

    func testTotalLimitCountsInflatedBytesAcrossEntries() throws {
        let (path, _) = try sample()
        var limits = ZipLimits()
        limits.maxTotalUncompressedBytes = 800_000
        let reader = try ZipReader(path: path, limits: limits)
        _ = try reader.readAll(reader.entries[0], maxBytes: 1 << 20)
        _ = try reader.readAll(reader.entries[1], maxBytes: 1 << 20)
        XCTAssertThrowsCode(.zipTotalTooLarge, try reader.readAll(reader.entries[0], maxBytes: 1 << 20))
    }

    func testMissingFileIsAnIOError() {
        XCTAssertThrowsCode(.ioFailed, try ZipReader(path: dir + "/nope.zip"))
    }

    func testFileSourceReadsAFileInPieces() throws {
        let path = dir + "/f.bin"
        let bytes = ZipTestSupport.randomBytes(100_000)
        try ZipTestSupport.write(bytes, to: path)
        let source = try FileSource(path: path)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 7_777)
        while case let n = try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }), n > 0 {
            out.append(contentsOf: buffer[0..<n])
        }
        XCTAssertEqual(out, bytes)
    }
}
