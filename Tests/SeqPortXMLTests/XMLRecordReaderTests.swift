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

    // The awkward values typed, untyped and in every chunk size: Tests/SeqPortFormatConformanceTests.

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
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 8)
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

    // MARK: Reading on past one record's errors (--max-errors)

    /// Reads every record it can: the first field of each record returned, and each error with its
    /// code, line, record, field and whether the reader could go on.
    private func readPastErrors(_ reader: inout XMLRecordReader) -> (got: [String], errors: [ReadError]) {
        var got: [String] = []
        var errors: [ReadError] = []
        while true {
            do {
                guard let r = try reader.next() else { break }
                got.append(r[0].text ?? "")
            } catch let e as SeqPortError {
                XCTAssertFalse(e.description.contains(XMLFixtures.secret), "message leaks a value: \(e)")
                errors.append(ReadError(code: e.code.rawValue, line: e.location.line, record: e.location.record,
                                        field: e.location.field, resumes: reader.canContinueAfterError))
                if !reader.canContinueAfterError { break }
            } catch {
                XCTFail("unexpected \(error)")
                break
            }
        }
        return (got, errors)
    }

    private struct ReadError: Equatable {
        var code: String
        var line: Int?
        var record: Int?
        var field: String?
        var resumes: Bool
    }

    /// A typed document with an error in most records: each is reported with its line, record and field,
    /// the records between them are read, and a processing instruction still stops the reading.
    func testAnErrorInOneRecordLeavesTheNextReadable() throws {
        let s = XMLFixtures.secret
        let records = [
            XMLFixtures.contactRecord(["id": "<id>c-1</id>"]),
            XMLFixtures.contactRecord(["id": "<id>c-2</id>", "email": "<email>\(s)@</email>"]),
            XMLFixtures.contactRecord(["id": "<id>c-3</id>", "bio": "<bio>x</bio><zz>\(s)</zz>"]),
            XMLFixtures.contactRecord(["id": "<id>c-4</id>"], dropping: ["bio"]),
            XMLFixtures.contactRecord(["id": "<id>c-5</id>"]).replacingOccurrences(of: "<record>", with: "<record a=\"1\">"),
            XMLFixtures.contactRecord(["id": "<id>c-6</id>"]),
            XMLFixtures.contactRecord(["id": "<id>c-7</id>", "note": "<note>a<b><i>\(s)</i></b></note>"]),
            XMLFixtures.contactRecord(["id": "<id>c-8</id><id>\(s)</id>"]),
            "<record a=\"2\"/>",
            XMLFixtures.contactRecord(["id": "<id>c-10</id>"]),
            XMLFixtures.contactRecord(["id": "<id>c-11</id>", "bio": "<bio enc=\"base64\">!!!</bio>"]),
            XMLFixtures.contactRecord(["id": "<id>c-12</id>", "phone": "<phone xsi:nil=\"maybe\"/>"]),
            XMLFixtures.contactRecord(["id": "<id>c-13</id>"]),
            XMLFixtures.contactRecord(["id": "<id>c-14</id>", "note": "<note><?pi x?></note>"]),
            XMLFixtures.contactRecord(["id": "<id>c-15</id>"]),
        ]
        let body = records.joined(separator: "\n  ")
        let doc = XMLFixtures.document(body)
        // The lines each record spans (the body starts on line 3).
        var first = 3
        let spans: [ClosedRange<Int>] = records.map { record in
            defer { first += record.split(separator: "\n", omittingEmptySubsequences: false).count }
            return first...(first + record.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        }
        for chunk in [1, 5, 64, 4096, Int.max] {
            var reader = XMLRecordReader(source: MemorySource(Array(doc.utf8), chunk: chunk), layout: XMLFixtures.contact)
            let (got, errors) = readPastErrors(&reader)
            XCTAssertEqual(got, ["c-1", "c-6", "c-10", "c-13"], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.code), ["value.format", "xml.unknown-field", "xml.missing-field", "xml.vocabulary", "xml.not-flat",
                                                "xml.duplicate-field", "xml.vocabulary", "xml.base64", "xml.vocabulary", "xml.pi"], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.record), [2, 3, 4, 5, 7, 8, 9, 11, 12, 14], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.field), ["email", "zz", "bio", nil, "note", "id", nil, "bio", "phone", nil], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.resumes), Array(repeating: true, count: 9) + [false], "chunk \(chunk)")
            for e in errors {
                guard let record = e.record, let line = e.line else { XCTFail("no line or record: \(e)"); continue }
                XCTAssertTrue(spans[record - 1].contains(line), "\(e) is not on the lines of its record \(spans[record - 1])")
            }
            XCTAssertThrowsError(try reader.next(), "a processing instruction stops the reader for good")
        }
    }

    /// Without a layout, a later record's unknown field or attribute is an error in that record only; an
    /// error in the first record (which names the fields) stops.
    func testUntypedReadingGoesOnPastABadLaterRecord() throws {
        let doc = """
        <people>
          <p id="1"><name>a</name></p>
          <p id="2"><name>b</name><age>3</age></p>
          <p id="3" extra="x"><name>c</name></p>
          <p id="4"><name>d</name><name>e</name></p>
          <p><name>f</name></p>
          <p id="6"><name>g</name></p>
        </people>
        """
        for chunk in [1, 7, Int.max] {
            var reader = XMLRecordReader(source: MemorySource(Array(doc.utf8), chunk: chunk), layout: nil)
            let (got, errors) = readPastErrors(&reader)
            XCTAssertEqual(got, ["1", "6"], "chunk \(chunk)")
            XCTAssertEqual(errors, [
                ReadError(code: "xml.unknown-field", line: 3, record: 2, field: "age", resumes: true),
                ReadError(code: "xml.unknown-field", line: 4, record: 3, field: "extra", resumes: true),
                ReadError(code: "xml.duplicate-field", line: 5, record: 4, field: "name", resumes: true),
                ReadError(code: "xml.missing-field", line: 6, record: 5, field: "id", resumes: true),
            ], "chunk \(chunk)")
        }
        var firstBad = XMLRecordReader(source: MemorySource(Array("<r><p><a>1</a><a>2</a></p><p><a>3</a></p></r>".utf8)), layout: nil)
        let (got, errors) = readPastErrors(&firstBad)
        XCTAssertEqual(got, [])
        XCTAssertEqual(errors.map(\.code), ["xml.duplicate-field"])
        XCTAssertEqual(errors.map(\.resumes), [false], "the first record names the fields: an error in it stops")
    }

    /// Limits stop the reader even inside one record.
    func testALimitInARecordStillStops() throws {
        var limits = ReaderLimits.default
        limits.maxValueBytes = 4
        let doc = XMLFixtures.document([XMLFixtures.contactRecord(["id": "<id>c-1-too-long</id>"]), XMLFixtures.contactRecord(["id": "<id>c-2</id>"])].joined())
        var reader = XMLRecordReader(source: MemorySource(Array(doc.utf8)), layout: XMLFixtures.contact, limits: limits)
        let (got, errors) = readPastErrors(&reader)
        XCTAssertEqual(got, [])
        XCTAssertEqual(errors.map(\.code), ["value.too-long"])
        XCTAssertEqual(errors.map(\.resumes), [false])
    }
}
