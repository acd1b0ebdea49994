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
}
