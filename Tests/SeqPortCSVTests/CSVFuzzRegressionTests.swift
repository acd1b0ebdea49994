import SeqPortCSV
import SeqPortModel
import XCTest

/// Inputs the fuzzer (`Fuzz/run.sh csv`) found, kept as regression tests.
final class CSVFuzzRegressionTests: XCTestCase {
    /// Fuzz/crashes/csv/crash-15cc921d…: an untyped header cell holding CR LF became a field name, and
    /// the error naming that field spanned two lines.
    func testAnErrorNamingAHeaderCellWithALineBreakStaysOneLine() throws {
        var reader = try CSVReader(source: MemorySource("a,\"x\r\ny\",b\r\n1\r\n"), layout: nil)
        XCTAssertThrowsError(try reader.next()) { error in
            let e = error as! SeqPortError
            XCTAssertEqual(e.code, .csvFieldCount)
            XCTAssertFalse(e.description.contains("\n") || e.description.contains("\r"), e.description)
        }
    }

    func testLocationsEscapeControlCharactersInNames() {
        let location = SourceLocation(entry: "csv/a\u{7}.csv", line: 2, field: "x\r\ny\u{2028}")
        XCTAssertEqual(location.description, #"csv/a\u{7}.csv line 2, field "x\r\ny\u{2028}""#)
    }
}
