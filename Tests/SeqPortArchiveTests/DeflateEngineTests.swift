import Foundation
import SeqPortZlib
import XCTest
@testable import SeqPortArchive
import SeqPortModel

/// The two deflate engines, and the joining of libdeflate's whole-buffer streams into one stream.
final class DeflateEngineTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Inflates a raw deflate stream with zlib; nil when it does not decode to its end.
    private func inflateRaw(_ deflated: [UInt8], expected: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: expected + 16)
        let status: Int32 = deflated.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(output.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, stream.avail_in == 0 else { return nil }
        return Array(out.prefix(Int(stream.total_out)))
    }

    /// Compresses `pieces` as the writer's chunks would be (each but the last not final) and joins them.
    private func joined(_ pieces: [[UInt8]], engine: DeflateEngine, level: Int32 = 6) throws -> [UInt8] {
        let deflater = try ChunkDeflater(level: level, engine: engine)
        var out: [UInt8] = []
        var previous: [UInt8] = []
        for (i, piece) in pieces.enumerated() {
            let dictionary = Array(previous.suffix(ChunkDeflater.dictionarySize))
            let bytes = try piece.withUnsafeBytes { input in
                try dictionary.withUnsafeBytes { try deflater.compress(input, dictionary: engine == .zlib ? $0 : UnsafeRawBufferPointer(start: nil, count: 0), last: i == pieces.count - 1) }
            }
            out += bytes
            previous = piece
        }
        return out
    }

    /// Every way a libdeflate stream can end (0–7 padding bits after the final block) is joined into a
    /// stream zlib decodes to the same bytes; both branches of the appended stored block are taken.
    func testJoinedLibdeflateChunksDecodeForEveryEndingBitOffset() throws {
        let walker = try BlockWalker()
        let deflater = try ChunkDeflater(level: 6, engine: .libdeflate)
        var endings = Set<Int>()
        for n in 0..<160 {
            let size = 1 + (n * 7919) % 5000
            let piece = n % 3 == 0 ? ZipTestSupport.randomBytes(size, seed: UInt64(n + 1)) : ZipTestSupport.recordText(size + n)
            let last = try piece.withUnsafeBytes { try deflater.compress($0, dictionary: UnsafeRawBufferPointer(start: nil, count: 0), last: true) }
            endings.insert(try last.withUnsafeBytes { try walker.walk($0) }.unusedBitsInLastByte)
            let tail = ZipTestSupport.recordText(100 + n)
            let stream = try joined([piece, tail, piece], engine: .libdeflate)
            XCTAssertEqual(inflateRaw(stream, expected: piece.count * 2 + tail.count), piece + tail + piece, "input \(n)")
        }
        XCTAssertTrue(endings.contains { $0 < 3 } && endings.contains { $0 >= 3 }, "endings seen: \(endings.sorted())")
    }

    /// A chunk that libdeflate splits into several blocks: the final one is found, not the first.
    func testMultiBlockChunksAreJoinedAtTheirFinalBlock() throws {
        // Text whose statistics change every 20 KB makes libdeflate end blocks early.
        var piece: [UInt8] = []
        for i in 0..<30 { piece += i % 2 == 0 ? ZipTestSupport.recordText(20_000) : ZipTestSupport.randomBytes(20_000, seed: UInt64(i)) }
        let deflater = try ChunkDeflater(level: 6, engine: .libdeflate)
        let alone = try piece.withUnsafeBytes { try deflater.compress($0, dictionary: UnsafeRawBufferPointer(start: nil, count: 0), last: true) }
        let shape = try alone.withUnsafeBytes { try BlockWalker().walk($0) }
        XCTAssertGreaterThan(shape.finalBlockStart, 0, "the test needs a chunk of more than one block")
        let stream = try joined([piece, piece, []], engine: .libdeflate)
        XCTAssertEqual(inflateRaw(stream, expected: piece.count * 2), piece + piece)
    }

    /// A corrupt chunk is an error, never a silently broken archive.
    func testTheWalkerRefusesAStreamThatDoesNotDecode() throws {
        let walker = try BlockWalker()
        XCTAssertThrowsError(try ([0x05, 0xFF, 0xFF, 0x13] as [UInt8]).withUnsafeBytes { try walker.walk($0) })
        let good = try ChunkDeflater(level: 6, engine: .libdeflate)
        let bytes = try ZipTestSupport.recordText(10_000).withUnsafeBytes { try good.compress($0, dictionary: UnsafeRawBufferPointer(start: nil, count: 0), last: true) }
        XCTAssertThrowsError(try Array(bytes.dropLast(3)).withUnsafeBytes { try walker.walk($0) }, "a truncated stream")
        XCTAssertThrowsError(try (bytes + [0, 0]).withUnsafeBytes { try walker.walk($0) }, "bytes after the final block")
    }

    /// Both engines write archives the reader opens, entry by entry, at chunk boundaries and across them,
    /// with one and two workers giving the same bytes; libdeflate's archive is the smaller on export-like text.
    func testBothEnginesRoundTripAtEveryChunkBoundary() throws {
        let chunk = 64 << 10
        let sizes = [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 3 * chunk + 17]
        let entries: [(String, [UInt8], Bool)] = sizes.enumerated().flatMap { i, size in
            [("text-\(size).txt", ZipTestSupport.recordText(size), true),
             ("random-\(size).bin", ZipTestSupport.randomBytes(size, seed: UInt64(i + 3)), true)]
        }
        var sizesByEngine: [DeflateEngine: Int] = [:]
        for engine in DeflateEngine.allCases {
            var bytes: [[UInt8]] = []
            for workers in [1, 2] {
                var options = ZipWriter.Options()
                options.chunkSize = chunk
                options.workers = workers
                options.engine = engine
                let path = dir + "/\(engine)-\(workers).zip"
                bytes.append(try ZipTestSupport.writeArchive(path, entries, options: options))
                let reader = try ZipReader(path: path)
                for (name, content, _) in entries {
                    let entry = try XCTUnwrap(reader.entry(named: name))
                    XCTAssertEqual(try reader.readAll(entry, maxBytes: 1 << 20), content, "\(engine) \(workers) \(name)")
                }
            }
            XCTAssertTrue(bytes[0] == bytes[1], "\(engine): one and two workers must give the same bytes")
            sizesByEngine[engine] = bytes[0].count
        }
        XCTAssertLessThan(sizesByEngine[.libdeflate]!, sizesByEngine[.zlib]!)
    }

    /// An entry compressed once and copied gives the archive the bytes compressing it there would: at
    /// every chunk boundary, for both engines, stored and deflated, encrypted archives still opening.
    func testPrecompressedEntriesAreByteIdenticalToCompressingInPlace() throws {
        let chunk = 64 << 10
        let contents: [[UInt8]] = [[], Array("x".utf8), ZipTestSupport.randomBytes(5_000, seed: 11)]
            + [chunk - 1, chunk, chunk + 1, 2 * chunk, 2 * chunk + 999].map { ZipTestSupport.recordText($0) }
        for engine in DeflateEngine.allCases {
            var options = ZipWriter.Options()
            options.chunkSize = chunk
            options.workers = 2
            options.engine = engine
            let entries = contents.enumerated().map { ("e\($0.offset)", $0.element, true) }
            let direct = try ZipTestSupport.writeArchive(dir + "/direct.zip", entries, options: options)
            let sink = try FileSink(path: dir + "/copied.zip")
            let zip = ZipWriter(sink: sink, options: options)
            for (name, bytes, _) in entries { try zip.addEntry(name, precompressed: try PrecompressedEntry(bytes, options: options)) }
            try zip.finish()
            try sink.close()
            let copied = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/copied.zip")))
            XCTAssertTrue(direct == copied, "\(engine): a copied entry must give the same archive")
            var other = options
            other.level = 1
            let mismatched = ZipWriter(sink: try FileSink(path: dir + "/other.zip"), options: other)
            XCTAssertThrowsError(try mismatched.addEntry("a", precompressed: try PrecompressedEntry(contents[3], options: options)))
        }
    }

    /// Writers sharing a cache write the archives they would without it; repeated content is copied from
    /// the second archive on, content seen once is never kept, and large entries never go through it.
    func testACompressionCacheChangesNoByteAndCopiesWhatRepeats() throws {
        let cache = CompressionCache(maxEntrySize: 64 << 10, maxBytes: 1 << 20)
        var withCache = ZipWriter.Options()
        withCache.cache = cache
        for round in 0..<4 {
            let entries: [(String, [UInt8], Bool)] = [
                ("shared/notes.xml", ZipTestSupport.recordText(9_000), true),
                ("shared/tiny.txt", Array("same".utf8), true),
                ("own/data.json", ZipTestSupport.recordText(3_000 + round), true),
                ("own/random.bin", ZipTestSupport.randomBytes(2_000, seed: UInt64(round + 1)), true),
                ("big.json", ZipTestSupport.recordText(700_000), true),
            ]
            let plain = try ZipTestSupport.writeArchive(dir + "/plain.zip", entries, options: ZipWriter.Options())
            let cached = try ZipTestSupport.writeArchive(dir + "/cached.zip", entries, options: withCache)
            XCTAssertTrue(plain == cached, "round \(round): the cache must not change a byte")
        }
        // Seen in rounds 0 and 1, kept then, copied in rounds 2 and 3: two entries, two hits each.
        XCTAssertEqual(cache.hits, 4)
    }
}
