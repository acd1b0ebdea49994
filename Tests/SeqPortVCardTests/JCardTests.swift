import SeqPortJSON
import SeqPortModel
@testable import SeqPortVCard
import XCTest

final class JCardTests: XCTestCase {
    func readJCards(_ bytes: [UInt8], chunk: Int = .max) throws -> [VCard] {
        var reader = JCardReader(source: MemorySource(bytes, chunk: chunk))
        var cards: [VCard] = []
        while let c = try reader.next() { cards.append(c) }
        return cards
    }

    func testWritesRFC7095Shapes() throws {
        let card = VCard(properties: [
            .text("FN", "Ada, \"Countess\""),
            .structured("N", [["Lovelace"], ["Ada"], ["Augusta", "King"], [""], [""]]),
            .text("EMAIL", "ada@example.org", parameters: [VCardParameter("TYPE", ["work", "home"]), VCardParameter("PREF", "1")], group: "item1"),
            VCardProperty(name: "CATEGORIES", value: "math,poetry\\, science"),
            VCardProperty(name: "PHOTO", value: "data:image/png;base64,AAAA"),
        ])
        let json = String(decoding: try JCard.encode(card), as: UTF8.self)
        XCTAssertEqual(json, #"["vcard",[["version",{},"text","4.0"],["fn",{},"text","Ada, \"Countess\""],"#
            + #"["n",{},"text",["Lovelace","Ada",["Augusta","King"],"",""]],"#
            + #"["email",{"group":"item1","type":["work","home"],"pref":"1"},"text","ada@example.org"],"#
            + #"["categories",{},"text","math","poetry, science"],["photo",{},"uri","data:image/png;base64,AAAA"]]]"#)
        XCTAssertEqual(try readJCards(Array(json.utf8)), [card])
    }

    func testAwkwardTextsRoundTripAndAStreamOfCards() throws {
        let cards = awkwardTexts.map { VCard(properties: [.text("NOTE", $0), .structured("ADR", [[$0], [""], ["x"]])]) }
        let sink = MemorySink()
        var writer = JCardWriter(sink: sink)
        for c in cards { try writer.write(c) }
        try writer.finish()
        XCTAssertEqual(try readJCards(sink.bytes), cards)
        XCTAssertEqual(try readJCards(sink.bytes, chunk: 2), cards)
        XCTAssertEqual(try readJCards(Array("[]".utf8)), [])
    }

    func testVCardToJCardAndBack() throws {
        let cards = try readCards(try fixture("takeout-3.0.vcf"))
        for card in cards {
            let back = try XCTUnwrap(try readJCards(try JCard.encode(card)).first)
            // jCard is 4.0: compare as the 4.0 writer spells both.
            var v4 = card
            v4.version = .v4_0
            XCTAssertEqual(try VCardWriter.bytes(back), try VCardWriter.bytes(v4))
        }
    }

    func testMalformedJCardsAreRefused() {
        let cases: [(String, SeqPortError.Code)] = [
            (#"{}"#, .jcardSyntax),
            (#"["vcard"]"#, .jcardSyntax),
            (#"["vcard",[["fn",{},"text","x"]]]"#, .vcardVersion),
            (#"["vcard",[["version",{},"text","4.0"],["fn",{"a":"1","A":"2"},"text","x"]]]"#, .jcardSyntax),
            (#"["vcard",[["version",{},"text","4.0"],["fn",{},"text",{}]]]"#, .jcardSyntax),
            (#"["vcard",[["version",{},"text","4.0"],["fn",{},"text","a\u0000b"]]]"#, .vcardControlCharacter),
            (#"["vcard",[["version",{},"text","4.0"]]] x"#, .jsonSyntax),
            (#"["vcard",[["version",{},"text","4.0"],["fn",{},"text","x"]"#, .jsonTruncated),
        ]
        for (json, code) in cases {
            XCTAssertEqual(seqPortError { _ = try self.readJCards(Array(json.utf8)) }?.code, code, json)
        }
    }

    func testAParameterNamedGroupCannotBeWritten() {
        let card = VCard(properties: [.text("NOTE", "x", parameters: [VCardParameter("GROUP", "g")])])
        XCTAssertEqual(seqPortError { _ = try JCard.encode(card) }?.code, .vcardUnrepresentable)
    }
}
