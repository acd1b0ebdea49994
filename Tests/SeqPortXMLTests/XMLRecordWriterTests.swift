import SeqPortModel
@testable import SeqPortXML
import XCTest

final class XMLRecordWriterTests: XCTestCase {
    func testWritesTheDocumentedVocabularyWithTwoSpaceIndentation() throws {
        let bytes = try XMLFixtures.write(XMLFixtures.contact, [
            Record(["c-1", "a@example.com", nil, "", .text("\u{1}\u{2}\u{3}")]),
        ])
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), """
        <?xml version="1.0" encoding="UTF-8"?>
        <contact xmlns="urn:seqport:bundle:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <record>
            <id>c-1</id>
            <email>a@example.com</email>
            <phone xsi:nil="true"/>
            <note></note>
            <bio enc="base64">AQID</bio>
          </record>
        </contact>

        """)
    }

    func testNullIsNilAndEmptyStringIsAnEmptyElementWithoutNil() throws {
        let text = String(decoding: try XMLFixtures.write(XMLFixtures.contact, [Record(["x", nil, "", nil, ""])]), as: UTF8.self)
        XCTAssertTrue(text.contains("<email xsi:nil=\"true\"/>"))
        XCTAssertTrue(text.contains("<phone></phone>"))
        XCTAssertTrue(text.contains("<bio></bio>"))
    }

    func testCarriageReturnIsWrittenAsACharacterReferenceAndMarkupIsEscaped() throws {
        let text = String(decoding: try XMLFixtures.write(XMLFixtures.contact, [Record(["a\r\nb", nil, "<&>]]>", nil, "\tx "])]), as: UTF8.self)
        XCTAssertTrue(text.contains("<id>a&#13;\nb</id>"), text)
        XCTAssertTrue(text.contains("<phone>&lt;&amp;&gt;]]&gt;</phone>"), text)
        XCTAssertTrue(text.contains("<bio>\tx </bio>"), text)
    }

    func testValuesXMLCannotCarryAreWrittenWholeAsBase64() throws {
        let text = String(decoding: try XMLFixtures.write(XMLFixtures.contact, [
            Record(["nul\u{0}", nil, "\u{FFFE}", nil, "fine\u{FFFD}"]),
        ]), as: UTF8.self)
        XCTAssertTrue(text.contains("<id enc=\"base64\">bnVsAA==</id>"), text)
        XCTAssertTrue(text.contains("<phone enc=\"base64\">77++</phone>"), text)
        XCTAssertTrue(text.contains("<bio>fine\u{FFFD}</bio>"), text)
    }

    func testEmptyCategoryIsAnEmptyRootElement() throws {
        let text = String(decoding: try XMLFixtures.write(XMLFixtures.contact, []), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<contact xmlns=\"urn:seqport:bundle:1\""), text)
        XCTAssertEqual(try XMLFixtures.read(Array(text.utf8), layout: XMLFixtures.contact).1, [])
    }

    func testWithoutIndentationTheDocumentHasNoWhitespaceBetweenElements() throws {
        let text = String(decoding: try XMLFixtures.write(XMLFixtures.contact, [Record(["1", nil, nil, nil, nil])],
                                                          options: .init(indent: false)), as: UTF8.self)
        XCTAssertTrue(text.contains("<record><id>1</id><email xsi:nil=\"true\"/>"), text)
    }

    func testOutputIsDeterministic() throws {
        let records = XMLFixtures.awkward.map { Record([.text($0), nil, .text($0), "", .text($0)]) }
        XCTAssertEqual(try XMLFixtures.write(XMLFixtures.contact, records), try XMLFixtures.write(XMLFixtures.contact, records))
    }

    func testFieldNameThatIsNotAnXMLNameThrowsBadNameNamingTheField() {
        let layout = RecordLayout(name: "partner", fields: [.untyped("ok"), .untyped("first name")], isTyped: false)
        let error = assertThrows(.xmlBadName) {
            try XMLFixtures.write(layout, [Record(["a", "b"])])
        }
        XCTAssertEqual(error?.location.field, "first name")
    }

    func testCategoryNameThatIsNotAnXMLNameThrowsBadNameOnFinish() {
        let layout = RecordLayout(name: "1st", fields: [.untyped("a")], isTyped: false)
        assertThrows(.xmlBadName) { try XMLFixtures.write(layout, []) }
    }

    func testSinkErrorIsRethrown() {
        let sink = FailingSink(after: 10_000)
        var writer = XMLRecordWriter(layout: XMLFixtures.contact, sink: sink)
        XCTAssertThrowsError(try {
            for i in 0..<100_000 { try writer.write(Record([.text("c-\(i)"), "a@example.com", nil, "", "bio"])) }
            try writer.finish()
        }()) { error in
            XCTAssertEqual(error as? FailingSink.Failure, FailingSink.Failure())
        }
    }

    func testNothingReachesTheSinkBeforeSixtyFourKiBOrFinish() throws {
        let sink = MemorySink()
        var writer = XMLRecordWriter(layout: XMLFixtures.contact, sink: sink)
        try writer.write(Record(["c-1", nil, nil, nil, nil]))
        XCTAssertTrue(sink.bytes.isEmpty)
        try writer.finish()
        XCTAssertTrue(sink.string.hasSuffix("</contact>\n"))
    }
}
