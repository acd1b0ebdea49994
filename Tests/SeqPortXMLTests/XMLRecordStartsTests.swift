@testable import SeqPortXML
import XCTest

final class XMLRecordStartsTests: XCTestCase {
    /// Offsets of `marker` in `text`.
    private func offset(of marker: String, in text: String) -> Int {
        text.utf8.count - (text.components(separatedBy: marker).dropFirst().joined(separator: marker).utf8.count + marker.utf8.count)
    }

    func testRecordsAreFoundPastCommentsCDATAInstructionsAndQuotedBrackets() {
        let text = """
        <?xml version="1.0"?><!-- <x> --><r a="<>">\
        <p q='/>' w=">"><f><![CDATA[</p><p>]]></f><!-- </p> --><?pi </p>?></p>\
        <p/>
        <p><f>x</f></p>
        </r>
        """
        for chunk in [1, 2, 7, text.utf8.count] {
            let starts = XMLRecordStarts()
            let bytes = Array(text.utf8)
            var i = 0
            while i < bytes.count {
                let n = min(chunk, bytes.count - i)
                bytes[i..<(i + n)].withUnsafeBytes { starts.scan($0) }
                i += n
            }
            let first = offset(of: "<p q=", in: text)
            let second = offset(of: "<p/>", in: text)
            let third = offset(of: "<p><f>x", in: text)
            XCTAssertNil(starts.record(at: first), "the root's own tag is in no record (chunk \(chunk))")
            XCTAssertEqual(starts.record(at: first + 1), 1)
            XCTAssertEqual(starts.record(at: second - 1), 1, "the CDATA, comment and PI did not end it")
            XCTAssertEqual(starts.record(at: second), 1, "just past the first record's end tag")
            XCTAssertEqual(starts.record(at: second + 4), 2, "an empty record ends with its />")
            XCTAssertNil(starts.record(at: second + 5), "between records")
            XCTAssertEqual(third, second + 5)
            XCTAssertEqual(starts.record(at: third + 10), 3)
            XCTAssertNil(starts.record(at: bytes.count), "the root's end")
            starts.drop(through: 2)
            XCTAssertEqual(starts.record(at: third + 10), 3, "dropping the records the reader passed keeps the count")
        }
    }
}
