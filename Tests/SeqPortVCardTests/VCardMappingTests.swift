import Foundation
import SeqPortModel
@testable import SeqPortVCard
import XCTest

/// The contact category ↔ one card, on the layouts of the real schema (Specs/schema/seqops.schema.json).
final class VCardMappingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var contactLayout: RecordLayout!
    var emailLayout: RecordLayout!

    override func setUpWithError() throws {
        let schema = try Schema.decode(Data(contentsOf: Self.root.appendingPathComponent("Specs/schema/seqops.schema.json")))
        contactLayout = try XCTUnwrap(schema.category(named: "contact")).layout(scope: .access)
        emailLayout = try XCTUnwrap(schema.category(named: "email_addresses")).layout(scope: .access)
    }

    func record(_ layout: RecordLayout, _ values: [String: Value]) -> Record {
        Record(layout.fields.map { values[$0.name] ?? .null })
    }

    var contact: Record {
        record(contactLayout, ["id": "c-1", "full_name": "Åsa Öberg-Lind, Jr.; \\ \"Q\" 😀 שלום", "phone": "+46 70 123 45 67",
                               "photo": "files/f-1-abc/me.jpg", "preferred_language": "sv", "created_at": "2024-05-01T10:00:00Z"])
    }

    var emails: [Record] {
        [record(emailLayout, ["id": "e-1", "address": "asa@example.se", "label": "personal", "is_primary": "true", "verified_at": "2024-05-02T08:30:00Z"]),
         record(emailLayout, ["id": "e-2", "address": "asa@work.example.com", "label": "work", "is_primary": "false", "verified_at": nil]),
         record(emailLayout, ["id": "e-3", "address": "bills@example.se", "label": "billing", "is_primary": "false", "verified_at": nil]),
         record(emailLayout, ["id": "e-4", "address": "other@example.se", "label": "other", "is_primary": "false", "verified_at": nil])]
    }

    let photo = VCardPhoto(mediaType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0] + (0..<300).map { UInt8($0 % 256) })

    func testTheCardOfAContact() throws {
        let card = try VCardMapping.contactCard(contact: contact, contactLayout: contactLayout, emails: emails, emailLayout: emailLayout,
                                                photo: photo, revision: "2026-01-01T00:00:00Z")
        let text = String(decoding: try VCardWriter.bytes(card), as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
        XCTAssertTrue(text.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Åsa Öberg-Lind\\, Jr.\\; \\\\ \"Q\" 😀 שלום\r\nN:;;;;\r\nUID:c-1\r\nTEL:+46 70 123 45 67\r\n"), text)
        XCTAssertTrue(text.contains("EMAIL;TYPE=home;PREF=1;X-SEQPORT-ID=e-1;X-SEQPORT-VERIFIED-AT=\"2024-05-02T08:30:00Z\":asa@example.se\r\n"), text)
        XCTAssertTrue(text.contains("EMAIL;TYPE=work;X-SEQPORT-ID=e-2:asa@work.example.com\r\n"), text)
        XCTAssertTrue(text.contains("EMAIL;TYPE=x-billing;X-SEQPORT-ID=e-3:bills@example.se\r\n"), text)
        XCTAssertTrue(text.contains("EMAIL;X-SEQPORT-ID=e-4:other@example.se\r\n"), text)
        XCTAssertTrue(text.contains("LANG:sv\r\nPHOTO:data:image/jpeg;base64,/9j/4AABAgMEBQ"), text)
        XCTAssertTrue(text.contains("X-SEQPORT-CREATED-AT:2024-05-01T10:00:00Z\r\nREV:20260101T000000Z\r\nEND:VCARD\r\n"), text)
    }

    func testEveryFieldRoundTripsThroughVersion4And3AndJCard() throws {
        let card = try VCardMapping.contactCard(contact: contact, contactLayout: contactLayout, emails: emails, emailLayout: emailLayout, photo: photo)
        var copies = [try readCards(try VCardWriter.bytes(card, version: .v4_0))[0], try readCards(try VCardWriter.bytes(card, version: .v3_0))[0]]
        var jcard = JCardReader(source: MemorySource(try JCard.encode(card)))
        copies.append(try XCTUnwrap(try jcard.next()))
        for copy in copies {
            let back = try VCardMapping.records(from: copy, contactLayout: contactLayout, emailLayout: emailLayout, photoReference: "files/f-1-abc/me.jpg")
            XCTAssertEqual(back.contact, contact, "\(copy.version)")
            XCTAssertEqual(back.emails, emails, "\(copy.version)")
            XCTAssertEqual(back.photo, photo)
        }
    }

    func testNullsStayNullAndEmptyStaysEmpty() throws {
        let sparse = record(contactLayout, ["id": "c-2", "full_name": "", "preferred_language": "en", "created_at": "2024-05-01T10:00:00Z"])
        let card = try VCardMapping.contactCard(contact: sparse, contactLayout: contactLayout, emails: [], emailLayout: emailLayout, photo: nil)
        let back = try VCardMapping.records(from: try readCards(try VCardWriter.bytes(card))[0], contactLayout: contactLayout, emailLayout: emailLayout)
        XCTAssertEqual(back.contact, sparse)
        XCTAssertEqual(back.emails, [])
        XCTAssertNil(back.photo)
        let noPhone = record(contactLayout, ["id": "c-2", "full_name": "X", "preferred_language": "en", "created_at": "2024-05-01T10:00:00Z"])
        let card2 = try VCardMapping.contactCard(contact: noPhone, contactLayout: contactLayout, emails: [], emailLayout: emailLayout, photo: nil)
        XCTAssertNil(card2.first("TEL"))
        XCTAssertEqual(try VCardMapping.records(from: card2, contactLayout: contactLayout, emailLayout: emailLayout).contact, noPhone)
    }

    func testValuesVCardCannotCarryAreRefusedNamingTheField() {
        var bad = contact
        bad[contactLayout.index(of: "full_name")!] = "tab ok\tbut bell \u{7}"
        let error = seqPortError {
            _ = try VCardMapping.contactCard(contact: bad, contactLayout: self.contactLayout, emails: [], emailLayout: self.emailLayout, photo: self.photo)
        }
        XCTAssertEqual(error?.code, .vcardUnrepresentable)
        XCTAssertEqual(error?.location.field, "full_name")
        XCTAssertEqual(seqPortError {
            _ = try VCardMapping.contactCard(contact: self.contact, contactLayout: self.contactLayout, emails: [], emailLayout: self.emailLayout, photo: nil)
        }?.location.field, "photo")
    }

    func testCardsThatDoNotFitAreRefusedNotDropped() throws {
        let cases: [(String, String)] = [
            ("ADR:;;Storgatan 1;;;;", "ADR"),
            ("TEL:+46 1234\r\nTEL:+46 5678", "TEL"),
            ("EMAIL;TYPE=x-school:a@example.org", "EMAIL"),
            ("EMAIL;TYPE=work,home:a@example.org", "EMAIL"),
            ("EMAIL;PREF=2:a@example.org", "EMAIL"),
            ("TEL;TYPE=cell:+46 1234", "TEL"),
            ("N:Öberg;Åsa;;;", "N"),
            ("X-FOO:bar", "X-FOO"),
            ("PHOTO:https://example.org/me.jpg", "PHOTO"),
        ]
        for (lines, name) in cases {
            let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nLANG:en\r\nX-SEQPORT-CREATED-AT:2024-05-01T10:00:00Z\r\nUID:c-9\r\n\(lines)\r\nEND:VCARD\r\n"
            let card = try XCTUnwrap(try readCards(text).first)
            let error = seqPortError { _ = try VCardMapping.records(from: card, contactLayout: self.contactLayout, emailLayout: self.emailLayout) }
            XCTAssertEqual(error?.code, .vcardMapping, lines)
            XCTAssertEqual(error?.location.field, name, lines)
            // Dropped only when the caller says so.
            if name != "EMAIL" && name != "TEL" {
                XCTAssertNoThrow(try VCardMapping.records(from: card, contactLayout: contactLayout, emailLayout: emailLayout, ignoring: [name]), lines)
            }
        }
    }

    func testValuesAreCheckedByTheirFields() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nLANG:de\r\nX-SEQPORT-CREATED-AT:2024-05-01T10:00:00Z\r\nUID:c-9\r\nEND:VCARD\r\n"
        let card = try XCTUnwrap(try readCards(text).first)
        let error = seqPortError { _ = try VCardMapping.records(from: card, contactLayout: self.contactLayout, emailLayout: self.emailLayout) }
        XCTAssertEqual(error?.code, .valueEnum)
        XCTAssertEqual(error?.location.field, "preferred_language")
    }

    func testTakeoutStyleCardReadsWithVersion3Types() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nN:;;;;\r\nLANG:en\r\nX-SEQPORT-CREATED-AT:2024-05-01T10:00:00Z\r\nUID:c-9\r\nitem1.EMAIL;TYPE=INTERNET;TYPE=HOME;TYPE=pref:a@example.org\r\nEMAIL;TYPE=INTERNET:b@example.org\r\nTEL;VALUE=uri:tel:+46-70-1234\r\nEND:VCARD\r\n"
        let back = try VCardMapping.records(from: try readCards(text)[0], contactLayout: contactLayout, emailLayout: emailLayout)
        XCTAssertEqual(back.emails.map { $0[emailLayout.index(of: "label")!] }, ["personal", "other"])
        XCTAssertEqual(back.emails.map { $0[emailLayout.index(of: "is_primary")!] }, ["true", "false"])
        XCTAssertEqual(back.emails.map { $0[emailLayout.index(of: "id")!] }, [nil, nil], "new addresses have no key")
        XCTAssertEqual(back.contact[contactLayout.index(of: "phone")!], "+46-70-1234")
    }
}

extension VCardMappingTests {
    func testAnExtensionPropertyCannotStandForAMappedField() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nX-SEQPORT-FULL-NAME:A\r\nLANG:en\r\nX-SEQPORT-CREATED-AT:2024-05-01T10:00:00Z\r\nUID:c-9\r\nEND:VCARD\r\n"
        let card = try XCTUnwrap(try readCards(text).first)
        XCTAssertEqual(seqPortError { _ = try VCardMapping.records(from: card, contactLayout: self.contactLayout, emailLayout: self.emailLayout) }?.location.field,
                       "X-SEQPORT-FULL-NAME")
    }
}
