import SeqPortModel
@testable import SeqPortVCard
import XCTest

final class VCardWriterTests: XCTestCase {
    func text(_ card: VCard, _ version: VCardVersion = .v4_0) throws -> String {
        String(decoding: try VCardWriter.bytes(card, version: version), as: UTF8.self)
    }

    func testWritesBeginVersionPropertiesEndWithCRLF() throws {
        let card = VCard(properties: [.text("FN", "Ada"), .text("EMAIL", "ada@example.org", parameters: [VCardParameter("TYPE", "work"), VCardParameter("PREF", "1")])])
        XCTAssertEqual(try text(card), "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEMAIL;TYPE=work;PREF=1:ada@example.org\r\nEND:VCARD\r\n")
    }

    func testFoldsAt75OctetsWithoutSplittingUTF8() throws {
        for filler in ["a", "é", "😀", "漢", "a😀"] {
            let value = String(repeating: filler, count: 200)
            let bytes = try VCardWriter.bytes(VCard(properties: [.text("NOTE", value)]))
            let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
            for line in lines {
                XCTAssertLessThanOrEqual(line.utf8.count, 75, filler)
                XCTAssertNotNil(String(validating: Array(line.utf8), as: UTF8.self), "each physical line is whole UTF-8")
            }
            XCTAssertGreaterThan(lines.count, 4)
            XCTAssertEqual(try readCards(bytes).first?.first("NOTE")?.text, value)
        }
    }

    func testAwkwardTextsRoundTripInBothVersions() throws {
        for version in [VCardVersion.v4_0, .v3_0] {
            let card = VCard(properties: awkwardTexts.map { VCardProperty.text("NOTE", $0) }
                + [.structured("N", awkwardTexts.prefix(5).map { [$0, "second, value"] })])
            let back = try XCTUnwrap(try readCards(try VCardWriter.bytes(card, version: version)).first)
            XCTAssertEqual(back.version, version)
            XCTAssertEqual(back.properties(named: "NOTE").map(\.text), awkwardTexts)
            XCTAssertEqual(back.first("N")?.components, awkwardTexts.prefix(5).map { [$0, "second, value"] })
            XCTAssertEqual(try readCards(try VCardWriter.bytes(card, version: version), chunk: 3), [back])
        }
    }

    func testOutputIsDeterministic() throws {
        let card = VCard(properties: awkwardTexts.map { VCardProperty.text("NOTE", $0) })
        XCTAssertEqual(try VCardWriter.bytes(card), try VCardWriter.bytes(card))
    }

    func testRefusesControlCharactersItCannotCarry() {
        for bad in ["a\u{0}b", "cr\r\nlf", "esc\u{1B}", "del\u{7F}"] {
            let error = seqPortError { _ = try VCardWriter.bytes(VCard(properties: [.text("NOTE", bad)])) }
            XCTAssertEqual(error?.code, .vcardUnrepresentable)
            XCTAssertEqual(error?.location.field, "NOTE")
            XCTAssertEqual(error?.location.record, 1)
        }
        XCTAssertEqual(seqPortError { _ = try VCardWriter.bytes(VCard(properties: [VCardProperty(name: "BAD_NAME", value: "x")])) }?.code, .vcardUnrepresentable)
        let quote = VCard(properties: [.text("NOTE", "x", parameters: [VCardParameter("X-Q", "say \"hi\"")])])
        XCTAssertEqual(seqPortError { _ = try VCardWriter.bytes(quote, version: .v3_0) }?.code, .vcardUnrepresentable)
        XCTAssertNoThrow(try VCardWriter.bytes(quote, version: .v4_0), "4.0 carries it as ^'")
    }

    func testParameterValuesAreQuotedWhenNeededAndRoundTrip() throws {
        let values = ["a;b", "c:d", "e,f", "", "line\nbreak", "caret ^ \"quoted\""]
        let card = VCard(properties: [.text("NOTE", "x", parameters: [VCardParameter("X-P", values)])])
        let back = try XCTUnwrap(try readCards(try VCardWriter.bytes(card)).first)
        XCTAssertEqual(back.first("NOTE")?.parameter("X-P"), values)
    }

    func testVersion3SpellsPreferenceAndPhotosItsWay() throws {
        let photo = VCardPhoto(mediaType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3])
        let card = VCard(properties: [
            .text("EMAIL", "a@example.org", parameters: [VCardParameter("TYPE", "home"), VCardParameter("PREF", "1")]),
            VCardProperty(name: "PHOTO", value: DataURI.encode(mediaType: photo.mediaType, bytes: photo.bytes)),
        ])
        let v3 = try text(card, .v3_0)
        XCTAssertTrue(v3.contains("EMAIL;TYPE=home,pref:a@example.org") || v3.contains("EMAIL;TYPE=home;TYPE=pref:a@example.org"), v3)
        XCTAssertTrue(v3.contains("PHOTO;ENCODING=b;TYPE=JPEG:/9j/AAECAw=="), v3)
        // …and back to 4.0.
        let back = try XCTUnwrap(try readCards(v3).first)
        let v4 = try text(back, .v4_0)
        XCTAssertTrue(v4.contains("EMAIL;TYPE=home;PREF=1:a@example.org"), v4)
        XCTAssertTrue(v4.contains("PHOTO:data:image/jpeg;base64,/9j/AAECAw=="), v4)
    }
}

extension VCardWriterTests {
    func testVersion21Base64IsWrittenAsVersion3b() throws {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nPHOTO;JPEG;BASE64:/9j/AAEC\r\nEND:VCARD\r\n"
        let card = try XCTUnwrap(try readCards(text).first)
        let v3 = try self.text(card, .v3_0)
        XCTAssertTrue(v3.contains("PHOTO;TYPE=JPEG;ENCODING=b:/9j/AAEC\r\n"), v3)
        XCTAssertTrue(try self.text(card, .v4_0).contains("PHOTO:data:image/jpeg;base64,/9j/AAEC\r\n"))
    }
}
