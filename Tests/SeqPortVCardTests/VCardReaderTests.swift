import SeqPortModel
@testable import SeqPortVCard
import XCTest

final class VCardReaderTests: XCTestCase {
    let simple = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEMAIL;TYPE=work,home;PREF=1:ada@example.org\r\nEND:VCARD\r\n"

    func testReadsAVersion4Card() throws {
        let cards = try readCards(simple)
        XCTAssertEqual(cards.count, 1)
        XCTAssertEqual(cards[0].version, .v4_0)
        XCTAssertEqual(cards[0].first("fn")?.text, "Ada Lovelace")
        let email = try XCTUnwrap(cards[0].first("EMAIL"))
        XCTAssertEqual(email.types, ["work", "home"])
        XCTAssertEqual(email.parameter("pref"), ["1"])
    }

    func testDripFedInputReadsTheSame() throws {
        XCTAssertEqual(try readCards(simple, chunk: 1), try readCards(simple))
    }

    func testUnfoldsCRLFAndLFFoldsWithSpaceOrTab() throws {
        let text = "BEGIN:VCARD\nVERSION:4.0\r\nFN:Ada Lo\r\n velace\r\nNOTE:a\n\tb\n  c\nEND:VCARD\n"
        let card = try XCTUnwrap(try readCards(text).first)
        XCTAssertEqual(card.first("FN")?.text, "Ada Lovelace")
        XCTAssertEqual(card.first("NOTE")?.text, "ab c")
    }

    func testFoldInsideAUTF8SequenceIsJoinedBack() throws {
        // "é" is C3 A9; a writer folding between the two bytes is wrong, but unfolding joins bytes.
        let bytes = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:caf".utf8) + [0xC3, 0x0D, 0x0A, 0x20, 0xA9] + Array("\r\nEND:VCARD\r\n".utf8)
        XCTAssertEqual(try readCards(bytes).first?.first("FN")?.text, "café")
    }

    func testGroupsQuotedParametersAndStructuredValues() throws {
        let text = """
        BEGIN:VCARD
        VERSION:4.0
        item1.ADR;LABEL="Storgatan 1, Karlstad: main";TYPE=home:;;Storgatan 1\\, lgh 4;Karlstad;;652 24;Sweden
        N:Lovelace;Ada;Augusta,King;;
        END:VCARD

        """
        let card = try XCTUnwrap(try readCards(text).first)
        let adr = try XCTUnwrap(card.first("ADR"))
        XCTAssertEqual(adr.group, "item1")
        XCTAssertEqual(adr.parameter("LABEL"), ["Storgatan 1, Karlstad: main"])
        XCTAssertEqual(adr.components[2], ["Storgatan 1, lgh 4"])
        XCTAssertEqual(adr.components.count, 7)
        XCTAssertEqual(card.first("N")?.components[2], ["Augusta", "King"])
    }

    func testUnescapesTextValues() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:a\\nb\\Nc\\,d\\;e\\\\f\\x\r\nEND:VCARD\r\n"
        XCTAssertEqual(try readCards(text).first?.first("NOTE")?.text, "a\nb\nc,d;e\\f\\x")
    }

    func testCaretEscapesInVersion4Parameters() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nADR;LABEL=\"a^nb ^'q^' ^^\":;;;;;;\r\nEND:VCARD\r\n"
        XCTAssertEqual(try readCards(text).first?.first("ADR")?.parameter("LABEL"), ["a\nb \"q\" ^"])
    }

    func testVersion21BareParametersAndQuotedPrintableSoftBreaks() throws {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;WORK;VOICE:+46 1\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:f=C3=B6rsta=0D=0A=\r\nandra\r\nEND:VCARD\r\n"
        let card = try XCTUnwrap(try readCards(text).first)
        XCTAssertEqual(card.first("TEL")?.types, ["work", "voice"])
        let note = try XCTUnwrap(card.first("NOTE"))
        XCTAssertEqual(note.text, "första\nandra")
        XCTAssertNil(note.parameter("ENCODING"), "transfer encodings are undone and dropped")
        XCTAssertNil(note.parameter("CHARSET"))
    }

    func testCharsetLatin1AndWindows1252() throws {
        let latin1 = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=ISO-8859-1:G".utf8) + [0xE5] + Array("rd\r\nEND:VCARD\r\n".utf8)
        XCTAssertEqual(try readCards(latin1).first?.first("FN")?.text, "Gård")
        let cp1252 = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=windows-1252:".utf8) + [0x80, 0x93, 0x94] + Array("\r\nEND:VCARD\r\n".utf8)
        XCTAssertEqual(try readCards(cp1252).first?.first("FN")?.text, "€\u{201C}\u{201D}")
        let unknown = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=KOI8-R:x\r\nEND:VCARD\r\n"
        XCTAssertEqual(seqPortError { _ = try readCards(unknown) }?.code, .vcardCharset)
    }

    func testBlankLinesBetweenCardsAndSeveralCards() throws {
        let text = simple + "\r\n\r\n" + simple.replacingOccurrences(of: "Ada", with: "Bob")
        let cards = try readCards(text)
        XCTAssertEqual(cards.map { $0.first("FN")?.text }, ["Ada Lovelace", "Bob Lovelace"])
    }

    func testTakeoutFixture() throws {
        let cards = try readCards(try fixture("takeout-3.0.vcf"))
        XCTAssertEqual(try readCards(try fixture("takeout-3.0.vcf"), chunk: 1), cards, "drip-fed")
        XCTAssertEqual(cards.count, 2)
        let asa = cards[0]
        XCTAssertEqual(asa.version, .v3_0)
        XCTAssertEqual(asa.first("FN")?.text, "Åsa Öberg")
        XCTAssertEqual(asa.first("NOTE")?.text, "Träffas på kontoret\nefter lunch")
        let emails = asa.properties(named: "EMAIL")
        XCTAssertEqual(emails.map(\.text), ["asa@example.se", "asa.oberg@example.com"])
        XCTAssertEqual(emails[0].group, "item1")
        XCTAssertEqual(emails[0].types, ["internet", "home"])
        XCTAssertEqual(asa.first("X-ABLABEL")?.group, "item1")
        XCTAssertEqual(asa.first("X-GOOGLE-TALK")?.text, "asa.oberg")
        XCTAssertEqual(asa.first("ADR")?.components[2], ["Storgatan 1, lgh 4"])
        let photo = try XCTUnwrap(try asa.first("PHOTO")?.binary())
        XCTAssertEqual(photo.mediaType, "image/png")
        XCTAssertEqual(Array(photo.bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(cards[1].first("NOTE")?.text, "Går bra")
    }

    func testDataURIPhoto() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nPHOTO:data:image/jpeg;base64,/9j/4AAQ\r\nLOGO:data:,a%20b\r\nEND:VCARD\r\n"
        let card = try XCTUnwrap(try readCards(text).first)
        let photo = try XCTUnwrap(try card.first("PHOTO")?.binary())
        XCTAssertEqual(photo.mediaType, "image/jpeg")
        XCTAssertEqual(photo.bytes, [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10])
        let logo = try XCTUnwrap(try card.first("LOGO")?.binary())
        XCTAssertNil(logo.mediaType)
        XCTAssertEqual(logo.bytes, Array("a b".utf8))
    }

    func testErrorsNameLineCardAndPropertyNeverTheValue() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:secret name\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nNOTE;X=\"open:secret\r\nEND:VCARD\r\n"
        let error = try XCTUnwrap(seqPortError { _ = try readCards(text) })
        XCTAssertEqual(error.code, .vcardSyntax)
        XCTAssertEqual(error.location.line, 7)
        XCTAssertEqual(error.location.record, 2)
        XCTAssertEqual(error.location.field, "NOTE")
        XCTAssertFalse(error.description.contains("secret"))
    }

    func testStructuralErrors() {
        let cases: [(String, SeqPortError.Code)] = [
            ("FN:x\r\n", .vcardSyntax),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nBEGIN:VCARD\r\n", .vcardSyntax),
            ("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n", .vcardVersion),
            ("BEGIN:VCARD\r\nVERSION:5.0\r\nEND:VCARD\r\n", .vcardVersion),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN x\r\nEND:VCARD\r\n", .vcardSyntax),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a\rb\r\nEND:VCARD\r\n", .vcardSyntax),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nPHOTO;ENCODING=b:@@@@\r\nEND:VCARD\r\n", .vcardEncoding),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE;ENCODING=QUOTED-PRINTABLE:=ZZ\r\nEND:VCARD\r\n", .vcardEncoding),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE;ENCODING=x-rot13:a\r\nEND:VCARD\r\n", .vcardEncoding),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n", .vcardTruncated),
            ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\u{1B}[31m\r\nEND:VCARD\r\n", .vcardControlCharacter),
        ]
        for (text, code) in cases {
            XCTAssertEqual(seqPortError { _ = try readCards(text) }?.code, code, text)
        }
    }
}
