import Foundation
import XCTest
@testable import SeqPortArchive
import SeqPortModel

final class ZipWriterTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Small chunks so a few MB make many chunks.
    private var manyChunks: ZipWriter.Options {
        var options = ZipWriter.Options()
        options.chunkSize = 64 << 10
        options.workers = 2
        return options
    }

    private var sampleEntries: [(String, [UInt8], Bool)] {
        [
            ("empty.txt", [], true),
            ("tiny.txt", Array("hi".utf8), true),
            ("json/usage.json", ZipTestSupport.recordText(3_000_000), true),
            ("files/photo.bin", ZipTestSupport.randomBytes(2_000_000), true),
            ("files/raw.bin", ZipTestSupport.randomBytes(300_000, seed: 7), false),
            ("csv/exact-chunk.csv", ZipTestSupport.recordText(64 << 10), true),
        ]
    }

    func testEntriesOfEverySizeRoundTripThroughTheReader() throws {
        let path = dir + "/a.zip"
        try ZipTestSupport.writeArchive(path, sampleEntries, options: manyChunks)
        let reader = try ZipReader(path: path)
        XCTAssertEqual(reader.entries.map(\.name), sampleEntries.map(\.0))
        for (name, bytes, _) in sampleEntries {
            let entry = try XCTUnwrap(reader.entry(named: name))
            XCTAssertEqual(entry.uncompressedSize, UInt64(bytes.count), name)
            XCTAssertEqual(try reader.readAll(entry, maxBytes: 8 << 20), bytes, name)
        }
        XCTAssertEqual(reader.entry(named: "files/raw.bin")?.method, 0)
        XCTAssertEqual(reader.entry(named: "json/usage.json")?.method, 8)
        XCTAssertLessThan(reader.entry(named: "json/usage.json")!.compressedSize, 1_000_000)
    }

    func testSameInputGivesIdenticalBytesWithOneOrTwoWorkers() throws {
        var one = manyChunks
        one.workers = 1
        one.maxInFlightChunks = 1
        var two = manyChunks
        two.workers = 2
        two.maxInFlightChunks = 3
        let a = try ZipTestSupport.writeArchive(dir + "/1.zip", sampleEntries, options: one)
        let b = try ZipTestSupport.writeArchive(dir + "/2.zip", sampleEntries, options: two)
        let c = try ZipTestSupport.writeArchive(dir + "/3.zip", sampleEntries, options: two)
        XCTAssertEqual(a.count, b.count)
        XCTAssertTrue(a == b, "workers 1 and 2 must give the same bytes")
        XCTAssertTrue(b == c, "two runs must give the same bytes")
    }

    func testChunkedDeflateMatchesTheInflatedInputAcrossManyChunks() throws {
        var options = manyChunks
        options.chunkSize = 64 << 10
        let text = ZipTestSupport.recordText(5_000_000)
        let path = dir + "/many.zip"
        let sink = MemorySink()
        let zip = ZipWriter(sink: sink, options: options)
        let entry = try zip.beginEntry("json/events.json")
        try entry.write(text)
        let info = try entry.finish()
        try zip.finish()
        try ZipTestSupport.write(sink.bytes, to: path)
        XCTAssertEqual(info.crc32, ZipTestSupport.crc(text))
        XCTAssertEqual(info.uncompressedSize, UInt64(text.count))
        let reader = try ZipReader(path: path)
        XCTAssertEqual(try ZipTestSupport.readThrough(reader, reader.entries[0], bufferSize: 4093), text)
    }

    func testOpenEntriesAppearInBeginOrderWhateverOrderTheyFinish() throws {
        var options = manyChunks
        options.memorySpoolLimit = 100_000  // force the waiting entries to spill to disk
        let sink = MemorySink()
        let zip = ZipWriter(sink: sink, options: options)
        let names = ["json/usage.json", "csv/usage.csv", "xml/usage.xml"]
        let writers = try names.map { try zip.beginEntry($0) }
        var expected = [[UInt8]](repeating: [], count: 3)
        for round in 0..<200 {
            for (i, writer) in writers.enumerated() {
                let piece = ZipTestSupport.recordText(5_000 + round * 13 + i)
                try writer.write(piece)
                expected[i].append(contentsOf: piece)
            }
        }
        try writers[2].finish()
        try writers[0].finish()
        try writers[1].finish()
        try zip.finish()
        let path = dir + "/open.zip"
        try ZipTestSupport.write(sink.bytes, to: path)
        let reader = try ZipReader(path: path)
        XCTAssertEqual(reader.entries.map(\.name), names)
        for (i, entry) in reader.entries.enumerated() {
            XCTAssertEqual(try reader.readAll(entry, maxBytes: 16 << 20), expected[i], entry.name)
        }
    }

    func testForcedZip64ArchiveRoundTripsAndHasZip64Records() throws {
        var options = manyChunks
        options.forceZip64 = true
        let path = dir + "/z64.zip"
        let bytes = try ZipTestSupport.writeArchive(path, sampleEntries, options: options)
        let tail = Array(bytes.suffix(22 + 20 + 56))
        XCTAssertEqual(LittleEndianReader.u32(tail, at: 0), ZipFormat.zip64EndSignature)
        XCTAssertEqual(LittleEndianReader.u32(tail, at: 56), ZipFormat.zip64LocatorSignature)
        let reader = try ZipReader(path: path)
        for (name, data, _) in sampleEntries {
            XCTAssertEqual(try reader.readAll(XCTUnwrap(reader.entry(named: name)), maxBytes: 8 << 20), data, name)
        }
    }

    func testIncompressibleSmallEntryIsStoredAndCompressibleOneIsDeflated() throws {
        let sink = MemorySink()
        let zip = ZipWriter(sink: sink)
        try zip.addEntry("noise.bin", bytes: ZipTestSupport.randomBytes(1_000))
        try zip.addEntry("text.txt", bytes: ZipTestSupport.recordText(10_000))
        try zip.finish()
        let path = dir + "/small.zip"
        try ZipTestSupport.write(sink.bytes, to: path)
        let reader = try ZipReader(path: path)
        XCTAssertEqual(reader.entries.map(\.method), [0, 8])
    }

    func testHeadersCarryUTF8FlagUnixModeAndFixedTimestamp() throws {
        let sink = MemorySink()
        var options = ZipWriter.Options()
        options.setModificationDate(Date(timeIntervalSince1970: 1_714_557_600))  // 2024-05-01 10:00:00 UTC
        let zip = ZipWriter(sink: sink, options: options)
        try zip.addEntry("schema/naïve.json", bytes: Array("{}".utf8))
        try zip.finish()
        var r = LittleEndianReader(sink.bytes, at: 6)
        XCTAssertEqual(r.u16(), 0x0800)  // flags: UTF-8 only
        r.offset = 10
        XCTAssertEqual(r.u16(), 10 << 11)  // 10:00:00
        XCTAssertEqual(r.u16(), (2024 - 1980) << 9 | 5 << 5 | 1)
        let central = sink.bytes.firstRange(of: [0x50, 0x4b, 0x01, 0x02])!.lowerBound
        r.offset = central + 4
        XCTAssertEqual(r.u16() >> 8, 3)  // made by UNIX
        r.offset = central + 38
        XCTAssertEqual(r.u32(), 0o100644 << 16)
    }

    func testDefaultTimestampIsTheDOSEpoch() throws {
        let sink = MemorySink()
        let zip = ZipWriter(sink: sink)
        try zip.addEntry("a.txt", bytes: [1])
        try zip.finish()
        var r = LittleEndianReader(sink.bytes, at: 10)
        XCTAssertEqual(r.u16(), 0)
        XCTAssertEqual(r.u16(), 0x21)
    }

    func testUnsafeOrDuplicateNamesAreRefusedByTheWriter() throws {
        let zip = ZipWriter(sink: MemorySink())
        XCTAssertThrowsCode(.zipUnsafeName, try zip.beginEntry("../escape"))
        XCTAssertThrowsCode(.zipUnsafeName, try zip.beginEntry("/etc/passwd"))
        XCTAssertThrowsCode(.zipUnsafeName, try zip.beginEntry("a\\b"))
        _ = try zip.beginEntry("json/A.json")
        XCTAssertThrowsCode(.zipDuplicateName, try zip.beginEntry("json/a.json"))
    }

    func testFinishingWithAnOpenEntryIsRefused() throws {
        let zip = ZipWriter(sink: MemorySink())
        let entry = try zip.beginEntry("a.txt")
        try entry.write([1, 2, 3])
        XCTAssertThrowsCode(.zipWriterState, try zip.finish())
        try entry.finish()
        try zip.finish()
        XCTAssertThrowsCode(.zipWriterState, try zip.beginEntry("b.txt"))
    }

    func testSinkFailurePropagatesAndBreaksTheWriter() throws {
        final class FullDisk: ByteSink {
            func write(_ bytes: UnsafeRawBufferPointer) throws {
                throw SeqPortError(.ioFailed, "cannot write out.zip: No space left on device")
            }
        }
        var options = manyChunks
        options.workers = 2
        let zip = ZipWriter(sink: FullDisk(), options: options)
        let entry = try zip.beginEntry("json/big.json")
        try entry.write(ZipTestSupport.recordText(1_000_000))
        XCTAssertThrowsCode(.ioFailed, try entry.finish())
        XCTAssertThrowsCode(.ioFailed, try zip.finish())
    }

    func testDroppingAnUnfinishedWriterStopsItsThreads() throws {
        weak var weakEntry: ZipEntryWriter?
        do {
            let zip = ZipWriter(sink: MemorySink(), options: manyChunks)
            let entry = try zip.beginEntry("json/big.json")
            weakEntry = entry
            try entry.write(ZipTestSupport.recordText(2_000_000))
        }
        XCTAssertNil(weakEntry, "writer and entry are released (no reference cycle), joining the pool threads")
    }

    func testWriteAfterFinishingTheEntryIsRefused() throws {
        let zip = ZipWriter(sink: MemorySink())
        let entry = try zip.beginEntry("a.txt")
        try entry.finish()
        XCTAssertThrowsCode(.zipWriterState, try entry.write([1]))
    }

    func testEmptyArchiveIsJustAnEndRecord() throws {
        let sink = MemorySink()
        let zip = ZipWriter(sink: sink)
        try zip.finish()
        XCTAssertEqual(sink.bytes.count, 22)
        let path = dir + "/empty.zip"
        try ZipTestSupport.write(sink.bytes, to: path)
        XCTAssertEqual(try ZipReader(path: path).entries.count, 0)
    }
}
