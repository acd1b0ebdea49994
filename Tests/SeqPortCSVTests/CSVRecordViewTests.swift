import SeqPortModel
import XCTest

@testable import SeqPortCSV

/// The export writes `RecordView`s (borrowed bytes); both paths must give the same bytes.
final class CSVRecordViewTests: XCTestCase {
    static let values: [Value] = [
        "", " ", " lead", "trail\t", "a,b", "say \"hi\"", "\"", "cr\rlf\n", "=SUM(A1)", "'=x", "+1", "-1", "@me", "\ttab",
        "ünïcode 😀", "plain", "0123456789abcdef0123", .null, "nul \u{0}", .text(String(repeating: "x,\"", count: 30_000)),
    ]

    func testViewsAndRecordsWriteTheSameBytes() throws {
        let layout = RecordLayout(name: "t", fields: [
            Field(name: "id", type: .integer), Field(name: "text", type: .string), Field(name: "kind", type: .enumeration(["=a", "b"])),
        ])
        let records = Self.values.enumerated().map { i, v in Record([.text(String(i)), v, i % 2 == 0 ? "=a" : .null]) }
        for options in [CSVWriter.Options(), CSVWriter.Options(byteOrderMark: false, formulaGuard: false)] {
            let viaViews = MemorySink()
            var writer = CSVWriter(layout: layout, sink: viaViews, options: options)
            for record in records { try RecordView.withView(of: record) { try writer.write($0) } }
            try writer.finish()
            XCTAssertEqual(viaViews.bytes, try CSVTest.write(layout, records, options: options))
        }
    }
}
