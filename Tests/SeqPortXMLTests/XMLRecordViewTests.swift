import SeqPortModel
import XCTest

@testable import SeqPortXML

/// The export writes `RecordView`s (borrowed bytes); both paths must give the same bytes, and the
/// records that follow the first batch (written past libxml2's buffer) must land in order.
final class XMLRecordViewTests: XCTestCase {
    func testViewsAndRecordsWriteTheSameBytes() throws {
        let layout = XMLFixtures.contact
        var records: [Record] = []
        for round in 0..<40 {   // well past one 32 KiB batch
            for (i, text) in XMLFixtures.awkward.enumerated() {
                records.append(Record([.text("c-\(round)-\(i)"), i % 3 == 0 ? .null : "a@b.se", .text(text), i % 2 == 0 ? "" : .null, .text(text)]))
            }
        }
        for options in [XMLRecordWriter.Options(indent: true), XMLRecordWriter.Options(indent: false)] {
            let viaViews = MemorySink()
            var writer = XMLRecordWriter(layout: layout, sink: viaViews, options: options)
            for record in records { try RecordView.withView(of: record) { try writer.write($0) } }
            try writer.finish()
            let viaRecords = try XMLFixtures.write(layout, records, options: options)
            XCTAssertEqual(viaViews.bytes, viaRecords)
            XCTAssertEqual(try XMLFixtures.read(String(decoding: viaViews.bytes, as: UTF8.self), layout: layout), records)
        }
    }
}
