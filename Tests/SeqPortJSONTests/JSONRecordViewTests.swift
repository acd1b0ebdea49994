import SeqPortFormatConformance
import SeqPortModel
import XCTest

@testable import SeqPortJSON

/// The export writes `RecordView`s (borrowed bytes); every other caller writes `Record`s. Both paths
/// must give the same bytes, awkward values included.
final class JSONRecordViewTests: XCTestCase {
    func written(_ layout: RecordLayout, _ records: [Record], views: Bool, bufferSize: Int = 64 << 10) throws -> [UInt8] {
        let sink = MemorySink()
        var writer = JSONRecordWriter(layout: layout, sink: sink, options: .init(bufferSize: bufferSize))
        for record in records {
            if views { try RecordView.withView(of: record) { try writer.write($0) } } else { try writer.write(record) }
        }
        try writer.finish()
        return sink.bytes
    }

    func testViewsAndRecordsWriteTheSameBytes() throws {
        for (layout, records) in [(AwkwardValues.typedLayout, AwkwardValues.typedRecords), (AwkwardValues.untypedLayout, AwkwardValues.untypedRecords)] {
            for size in [1024, 64 << 10] {
                let fromRecords = try written(layout, records, views: false, bufferSize: size)
                XCTAssertEqual(try written(layout, records, views: true, bufferSize: size), fromRecords, layout.name)
            }
        }
    }

    func testAViewWithANonCanonicalIntegerIsRefusedLikeARecord() throws {
        let layout = AwkwardValues.typedLayout
        var values = AwkwardValues.typedRecords[3].values
        values[0] = "012"
        let sink = MemorySink()
        var writer = JSONRecordWriter(layout: layout, sink: sink)
        XCTAssertThrowsError(try RecordView.withView(of: Record(values)) { try writer.write($0) }) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .valueType)
        }
    }
}
