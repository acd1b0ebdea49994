import SeqPortModel
import XCTest

final class OutputBufferTests: XCTestCase {
    func testGrowsKeepsBytesTruncatesAndFlushes() throws {
        var buffer = OutputBuffer(capacity: 64)
        var expected: [UInt8] = []
        for i in 0..<10_000 {
            let piece = Array("v\(i),".utf8)
            buffer.append(piece)
            expected += piece
            if i % 7 == 0 {
                buffer.append(0x0A)
                expected.append(0x0A)
            }
        }
        XCTAssertEqual(Array(buffer.bytes), expected)
        buffer.truncate(to: 3)
        XCTAssertEqual(Array(buffer.bytes), Array(expected.prefix(3)))
        let sink = MemorySink()
        try buffer.flush(to: sink)
        XCTAssertEqual(sink.bytes, Array(expected.prefix(3)))
        XCTAssertTrue(buffer.isEmpty)
        try buffer.flush(to: sink)   // nothing more
        XCTAssertEqual(sink.bytes.count, 3)
    }

    func testRecordViewMatchesTheRecordItWasMadeFrom() {
        let record = Record([.text("a"), .null, .text(""), .text("ünïcode 😀 and more than fifteen bytes")])
        RecordView.withView(of: record) { view in
            XCTAssertEqual(view.count, 4)
            XCTAssertTrue(view[1].isNull)
            XCTAssertFalse(view[2].isNull)
            XCTAssertEqual(view.record(), record)
        }
    }

    func testWordScanFindsEveryByteInEveryPosition() {
        var rng: UInt64 = 7
        for b in 0...255 {
            for position in 0..<8 {
                for _ in 0..<4 {
                    var bytes = (0..<8).map { _ -> UInt8 in
                        rng = rng &* 6364136223846793005 &+ 1442695040888963407
                        return UInt8(truncatingIfNeeded: rng >> 40)
                    }
                    bytes[position] = UInt8(b)
                    let word = bytes.withUnsafeBufferPointer { WordScan.load($0.baseAddress!, 0) }
                    for c: UInt8 in [0x00, 0x0A, 0x22, 0x26, 0x5C, 0x80, 0xE2, 0xEF, 0xFF] {
                        XCTAssertEqual(WordScan.has(word, c) != 0, bytes.contains(c), "has \(c) in \(bytes)")
                    }
                    for n: UInt8 in [1, 0x20, 0x30, 0x80] {
                        XCTAssertEqual(WordScan.hasLess(word, than: n) != 0, bytes.contains { $0 < n }, "less than \(n) in \(bytes)")
                    }
                }
            }
        }
    }
}
