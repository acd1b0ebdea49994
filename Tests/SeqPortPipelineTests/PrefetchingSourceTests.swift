import XCTest
import SeqPortModel
@testable import SeqPortPipeline

/// Verify reads every copy through a `PrefetchingSource`: what comes out must be the wrapped source's
/// bytes exactly, then its end or its error, whatever the piece and read sizes.
final class PrefetchingSourceTests: XCTestCase {
    private func bytes(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }

    private func readAll(_ source: any ByteSource, readSize: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    func testBytesComeOutExactlyForEveryPieceAndReadSize() throws {
        for size in [0, 1, 4095, 4096, 4097, 100_000] {
            let content = bytes(size)
            for (piece, chunk, readSize) in [(4096, 1, 7), (4096, 1000, 4096), (8192, .max, 1), (65536, 333, 10_000)] {
                let source = PrefetchingSource(MemorySource(content, chunk: chunk), pieceSize: piece, maxPieces: 2)
                XCTAssertEqual(try readAll(source, readSize: readSize), content, "size \(size) piece \(piece) chunk \(chunk) read \(readSize)")
                XCTAssertEqual(try readAll(source, readSize: 10), [], "the end stays the end")
                source.close()
            }
        }
    }

    private final class Failing: ByteSource {
        var left: Int
        init(after: Int) { left = after }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            if left == 0 { throw SeqPortError(.zipCorruptData, "broken") }
            let n = min(left, buffer.count, 1000)
            for i in 0..<n { buffer[i] = 0x41 }
            left -= n
            return n
        }
    }

    func testTheErrorComesAfterTheBytesReadBeforeIt() throws {
        let source = PrefetchingSource(Failing(after: 10_000), pieceSize: 4096, maxPieces: 2)
        var got = 0
        var buffer = [UInt8](repeating: 0, count: 3000)
        XCTAssertThrowsError(try {
            while true {
                let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                XCTAssertGreaterThan(n, 0, "no end before the error")
                got += n
            }
        }()) { XCTAssertEqual(($0 as? SeqPortError)?.code, .zipCorruptData) }
        XCTAssertEqual(got, 10_000)
    }

    /// Closed early, the thread stops, and the wrapped source continues after what the thread took.
    func testClosingEarlyHandsTheSourceBackInOrder() throws {
        let content = bytes(200_000)
        let base = MemorySource(content, chunk: 5000)
        let source = PrefetchingSource(base, pieceSize: 8192, maxPieces: 2)
        var first = [UInt8](repeating: 0, count: 100)
        let n = try first.withUnsafeMutableBytes { try source.read(into: $0) }
        source.close()
        let rest = try readAll(base, readSize: 4096)
        XCTAssertEqual(Array(first[0..<n]), Array(content[0..<n]))
        XCTAssertLessThan(rest.count, content.count - n, "the thread read ahead")
        XCTAssertEqual(rest, Array(content.suffix(rest.count)), "what is left follows what the thread took")
    }
}
