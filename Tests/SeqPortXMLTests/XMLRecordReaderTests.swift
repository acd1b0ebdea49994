import Foundation
import SeqPortModel
@testable import SeqPortXML
import XCTest

final class XMLRecordReaderTests: XCTestCase {
    private let untypedLayout = RecordLayout(name: "partner", fields: ["a", "b", "c"].map(Field.untyped), isTyped: false)

    private func awkwardRecords() -> [Record] {
        XMLFixtures.awkward.enumerated().map { i, s in
            Record([.text("c-\(i)"), i % 2 == 0 ? .null : "a@example.com", .text(s), .text(String(s.reversed())), .text(s + s)])
        }
    }

    // MARK: Round trips

    func testAwkwardValuesRoundTripTypedWholeAndDripFed() throws {
        let records = awkwardRecords()
        let bytes = try XMLFixtures.write(XMLFixtures.contact, records)
        for chunk in [Int.max, 4096, 1] {
            let (layout, read) = try XMLFixtures.read(bytes, layout: XMLFixtures.contact, chunk: chunk)
            XCTAssertEqual(layout, XMLFixtures.contact)
            XCTAssertEqual(read.count, records.count, "chunk \(chunk)")
            for (a, b) in zip(read, records) { XCTAssertEqual(a, b, "chunk \(chunk)") }
        }
    }

    func testAwkwardValuesRoundTripUntypedDripFed() throws {
        let records = XMLFixtures.awkward.map { Record([.text($0), nil, ""]) }
        let bytes = try XMLFixtures.write(untypedLayout, records)
        let (layout, read) = try XMLFixtures.read(bytes, layout: nil, chunk: 1)
        XCTAssertEqual(layout, untypedLayout)
        XCTAssertEqual(read, records)
    }

    func testEveryTypeRoundTripsWithoutIndentation() throws {
        let records = [
            Record(["p-1", "-9223372036854775808", "-0.50", "true", "2024-02-29", "2024-05-01T10:00:00.123456789Z", "gold & <silver>", "files/a b.png"]),
            Record(["p-2", nil, nil, "false", nil, nil, nil, nil]),
        ]
        let bytes = try XMLFixtures.write(XMLFixtures.everyType, records, options: .init(indent: false))
        XCTAssertEqual(try XMLFixtures.read(bytes, layout: XMLFixtures.everyType, chunk: 3).1, records)
    }

    func testNullAndEmptyStringStayDistinct() throws {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["phone": "<phone/>", "note": "<note xsi:nil=\"true\"></note>"]))
        let record = try XCTUnwrap(XMLFixtures.read(doc, layout: XMLFixtures.contact).first)
        XCTAssertEqual(record[2], "")
        XCTAssertEqual(record[3], .null)
    }

    func testFieldsMayComeInAnyOrderAndAreReturnedInLayoutOrder() throws {
        let doc = XMLFixtures.document("""
        <record><bio>b</bio><note>n</note><phone>p</phone><email>e@example.com</email><id>i</id></record>
        """)
        XCTAssertEqual(try XMLFixtures.read(doc, layout: XMLFixtures.contact), [Record(["i", "e@example.com", "p", "n", "b"])])
    }

    func testCDATACommentsAndCharacterReferencesMakeOneText() throws {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio>a<![CDATA[<b>&]]><!-- c -->&#x9;&#13;&amp;</bio>"]))
        XCTAssertEqual(try XMLFixtures.read(doc, layout: XMLFixtures.contact).first?[4], "a<b>&\t\r&")
    }

    func testLiteralLineEndsAreNormalisedToLineFeed() throws {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio>a\r\nb\rc</bio>"]))
        XCTAssertEqual(try XMLFixtures.read(doc, layout: XMLFixtures.contact).first?[4], "a\nb\nc")
    }

    func testTypedReaderCanonicalizesValues() throws {
        let doc = XMLFixtures.document("""
        <record><id>p</id><age>-0</age><balance>1.5</balance><active>true</active><born xsi:nil="true"/>
        <seen>2024-05-01T12:00:00+02:00</seen><tier>free</tier><avatar/></record>
        """, root: "profile")
        XCTAssertEqual(try XMLFixtures.read(doc, layout: XMLFixtures.everyType),
                       [Record(["p", "0", "1.5", "true", nil, "2024-05-01T10:00:00Z", "free", ""])])
    }

    func testUntypedReaderTakesItsLayoutFromTheFirstRecordOfAnyXML() throws {
        let doc = """
        <people><person><name>Ann</name><x:age xmlns:x="urn:other">41</x:age><nick xsi:nil="true" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></person>
        <person><age>7</age><nick/><name>Bob</name></person></people>
        """
        let (layout, records) = try XMLFixtures.read(Array(doc.utf8), layout: nil, chunk: 1)
        XCTAssertEqual(layout, RecordLayout(name: "people", fields: ["name", "age", "nick"].map(Field.untyped), isTyped: false))
        XCTAssertEqual(records, [Record(["Ann", "41", nil]), Record(["Bob", "7", ""])])
    }

    /// Issue #13: `<order id="A-1" status="paid"><price currency="SEK">10</price>…` lost the id, the
    /// status and the currency without a word. Attributes are fields now: a record's by their name, a
    /// field element's as `element@name`.
    func testUntypedAttributesBecomeFieldsAndNothingIsDropped() throws {
        let doc = """
        <orders xmlns:p="urn:partner"><order id="A-1" status="paid"><price currency="SEK">10</price><customer>Ann</customer></order>
        <order status="open" id="A-2"><customer p:vip="yes">Bob</customer><price currency="EUR" enc="latin1">7</price></order></orders>
        """
        for chunk in [1, 7, Int.max] {
            var reader = XMLRecordReader(source: MemorySource(Array(doc.utf8), chunk: chunk), layout: nil)
            XCTAssertEqual(try reader.next(), Record(["A-1", "paid", "10", "SEK", "Ann"]), "chunk \(chunk)")
            XCTAssertEqual(reader.layout.fields.map(\.name), ["id", "status", "price", "price@currency", "customer"], "chunk \(chunk)")
        }
        // The second record has attributes the first did not: every record must have the same fields.
        XCTAssertThrowsError(try XMLFixtures.read(Array(doc.utf8), layout: nil)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .xmlUnknownField, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.location.field, "customer@p:vip")
        }
    }

    func testAnAttributeNamedLikeAFieldIsADuplicateNotALoss() {
        let doc = "<orders><order id=\"A-1\"><id>B-2</id></order></orders>"
        XCTAssertThrowsError(try XMLFixtures.read(Array(doc.utf8), layout: nil)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .xmlDuplicateField, "\(error)")
        }
    }

    func testARootAttributeCannotBeCarriedAndIsRefused() {
        let doc = "<orders batch=\"7\"><order><id>A</id></order></orders>"
        XCTAssertThrowsError(try XMLFixtures.read(Array(doc.utf8), layout: nil)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .xmlVocabulary, "\(error)")
            XCTAssertTrue("\(error)".contains("\"batch\""), "\(error)")
        }
    }

    func testUntypedLayoutIsEmptyBeforeTheFirstRecord() {
        let reader = XMLRecordReader(source: MemorySource("<a/>"), layout: nil)
        XCTAssertEqual(reader.layout.fields, [])
        XCTAssertFalse(reader.layout.isTyped)
    }

    // MARK: Vocabulary errors

    func testWrongRootElementIsVocabularyError() {
        assertThrows(.xmlVocabulary) { try XMLFixtures.read(XMLFixtures.document("", root: "order"), layout: XMLFixtures.contact) }
    }

    func testRootOutsideTheBundleNamespaceIsVocabularyError() {
        assertThrows(.xmlVocabulary) { try XMLFixtures.read("<contact><record/></contact>", layout: XMLFixtures.contact) }
    }

    func testAttributeOnRecordIsVocabularyError() {
        let doc = XMLFixtures.document("<record id=\"1\"/>")
        let error = assertThrows(.xmlVocabulary) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }
        XCTAssertEqual(error?.location.line, 3)
        XCTAssertEqual(error?.location.record, 1)
    }

    func testUnknownAttributeOnFieldIsVocabularyErrorNamingTheField() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["note": "<note lang=\"en\">x</note>"]))
        XCTAssertEqual(assertThrows(.xmlVocabulary) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }?.location.field, "note")
    }

    func testBase64OnANonTextFieldIsVocabularyError() {
        let doc = XMLFixtures.document("""
        <record><id>p</id><age enc="base64">NDI=</age><balance/><active>true</active><born/><seen/><tier/><avatar/></record>
        """, root: "profile")
        assertThrows(.xmlVocabulary) { try XMLFixtures.read(doc, layout: XMLFixtures.everyType) }
    }

    func testNilFieldWithContentIsVocabularyError() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["note": "<note xsi:nil=\"true\">\(XMLFixtures.secret)</note>"]))
        assertThrows(.xmlVocabulary) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }
    }

    func testTextBetweenFieldsIsVocabularyError() {
        let doc = XMLFixtures.document("<record>\(XMLFixtures.secret)<id>1</id></record>")
        assertThrows(.xmlVocabulary) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }
    }

    func testElementInsideAFieldIsNotFlat() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio>x<b>\(XMLFixtures.secret)</b></bio>"]))
        XCTAssertEqual(assertThrows(.xmlNotFlat) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }?.location.field, "bio")
    }

    func testMissingFieldIsReportedWithRecordNumberAndName() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord() + "\n  " + XMLFixtures.contactRecord(dropping: ["email"]))
        let error = assertThrows(.xmlMissingField) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }
        XCTAssertEqual(error?.location.record, 2)
        XCTAssertEqual(error?.location.field, "email")
        XCTAssertEqual(error?.location.line, 10)
    }

    func testUnknownFieldIsReported() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio/><age>3</age>"]))
        XCTAssertEqual(assertThrows(.xmlUnknownField) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }?.location.field, "age")
    }

    func testDuplicateFieldIsReported() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio/><note/>"]))
        XCTAssertEqual(assertThrows(.xmlDuplicateField) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }?.location.field, "note")
    }

    func testUntypedLaterRecordWithOtherFieldsIsRefused() {
        let doc = "<r><x><a>1</a><b>2</b></x><x><a>1</a></x><x><a>1</a><b>2</b><c>3</c></x></r>"
        assertThrows(.xmlMissingField) { try XMLFixtures.read(doc, layout: nil) }
        assertThrows(.xmlUnknownField) { try XMLFixtures.read("<r><x><a>1</a></x><x><a>1</a><c/></x></r>", layout: nil) }
    }

    func testUntypedRecordWithTooManyFieldsIsRefused() {
        var limits = ReaderLimits()
        limits.maxFields = 2
        assertThrows(.xmlTooManyFields) { try XMLFixtures.read("<r><x><a/><b/><c/></x></r>", layout: nil, limits: limits) }
    }

    func testLongElementNameIsRefused() {
        let name = String(repeating: "n", count: 300)
        assertThrows(.xmlNameTooLong) { try XMLFixtures.read("<r><x><\(name)/></x></r>", layout: nil) }
    }

    func testInvalidBase64IsReported() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio enc=\"base64\">AQI*</bio>"]))
        XCTAssertEqual(assertThrows(.xmlBase64) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }?.location.field, "bio")
        let notUTF8 = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio enc=\"base64\">/w==</bio>"]))
        assertThrows(.xmlBase64) { try XMLFixtures.read(notUTF8, layout: XMLFixtures.contact) }
    }

    func testValueBreakingItsTypeReportsLineRecordAndFieldWithoutTheValue() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["email": "<email>\(XMLFixtures.secret.replacingOccurrences(of: "@", with: " at "))</email>"]))
        let error = assertThrows(.valueFormat) { try XMLFixtures.read(doc, layout: XMLFixtures.contact, chunk: 1) }
        XCTAssertEqual(error?.location, SourceLocation(line: 5, record: 1, field: "email"))
        XCTAssertEqual(error?.description, "line 5, record 1, field \"email\": not a valid e-mail address")
    }

    func testNullInANonNullableFieldIsValueNull() {
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["id": "<id xsi:nil=\"true\"/>"]))
        assertThrows(.valueNull) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }
    }

    func testProcessingInstructionIsRefused() {
        assertThrows(.xmlPI) { try XMLFixtures.read("<?xml-stylesheet href=\"a.xsl\"?><r/>", layout: nil) }
        assertThrows(.xmlPI) { try XMLFixtures.read("<r><x><?php echo 1; ?></x></r>", layout: nil) }
    }

    func testSyntaxErrorReportsLineAndColumn() {
        let error = assertThrows(.xmlSyntax) { try XMLFixtures.read("<r>\n<x>\n<a>1</b></x></r>", layout: nil) }
        XCTAssertEqual(error?.location.line, 3)
        XCTAssertNotNil(error?.location.column)
    }

    func testContentAfterTheRootIsASyntaxError() {
        assertThrows(.xmlSyntax) { try XMLFixtures.read("<r><x><a>1</a></x></r><r/>", layout: nil) }
    }

    func testSourceErrorIsRethrownAndTheReaderStaysFailed() throws {
        let records = (0..<2000).map { Record([.text("c-\($0)"), nil, "", nil, "x"]) }
        let bytes = try XMLFixtures.write(XMLFixtures.contact, records)
        var reader = XMLRecordReader(source: FailingSource(bytes, failAfter: 20_000), layout: XMLFixtures.contact)
        var count = 0
        XCTAssertThrowsError(try { while try reader.next() != nil { count += 1 } }()) { error in
            XCTAssertEqual(error as? FailingSource.Failure, FailingSource.Failure())
        }
        XCTAssertGreaterThan(count, 0)
        XCTAssertLessThan(count, 2000)
        XCTAssertThrowsError(try reader.next())
    }

    func testReadersOnSeveralThreadsAtOnceDoNotDisturbEachOther() throws {
        let records = awkwardRecords()
        let bytes = try XMLFixtures.write(XMLFixtures.contact, records)
        let bad = Array(XMLFixtures.document("<record><id>1</b></record>").utf8)
        // nonisolated(unsafe): each iteration writes only its own index; read after concurrentPerform returns.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 8)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            if i % 2 == 0 {
                results[i] = (try? XMLFixtures.read(bytes, layout: XMLFixtures.contact, chunk: 777).1) == records
            } else {
                do { _ = try XMLFixtures.read(bad, layout: XMLFixtures.contact); results[i] = false } catch let e as SeqPortError {
                    results[i] = e.code == .xmlSyntax
                } catch { results[i] = false }
            }
        }
        XCTAssertEqual(Array(results), Array(repeating: true, count: 8))
    }
}
