import Foundation
import SeqPortModel
import SeqPortTestSupport
@testable import SeqPortVCard
import XCTest

/// Python's vobject (pip, `.ci/run`) as an independent reader and writer: it parses our vCards with
/// every property equal to what we read, and we read what it writes with every property equal. Skipped
/// when python3 or vobject is missing, a failure under `SEQPORT_TEST_TOOLS_REQUIRED=1` (`.ci/run`).
final class VCardInteropTests: XCTestCase {
    func python(_ arguments: [String]) throws -> (status: Int32, out: Data, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, String(decoding: errData, as: UTF8.self))
    }

    func requireVobject() throws {
        guard let probe = try? python(["-c", "import vobject"]), probe.status == 0 else {
            throw TestTools.missing("python3 with vobject is not installed (pip install vobject; .ci/run installs it)")
        }
    }

    func script() throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/vobject_check", withExtension: "py")).path
    }

    /// One property as a canonical JSON string: group, name, merged parameters, value (components for
    /// N and ADR, base64 of the decoded bytes for inline binary, text otherwise).
    func describe(_ p: VCardProperty) throws -> String {
        var params: [String: [String]] = [:]
        for parameter in p.parameters { params[parameter.name, default: []] += parameter.values }
        var value: Any = p.text
        if p.name == "N" || p.name == "ADR" { value = p.components }
        if p.isInlineBase64, let binary = try p.binary() { value = ["base64": VCardCoding.base64(binary.bytes)] }
        let object: [String: Any] = ["group": p.group ?? NSNull(), "name": p.name, "params": params, "value": value]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func canonical(_ json: Data) throws -> [[String]] {
        let cards = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [[Any]])
        return try cards.map { card in
            try card.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }.sorted()
        }
    }

    func contactCard() throws -> VCard {
        let contact = RecordLayout(name: "contact", fields: ["id", "full_name", "phone", "photo", "preferred_language", "created_at"].map(Field.untyped), isTyped: false)
        let email = RecordLayout(name: "email_addresses", fields: ["id", "address", "label", "is_primary", "verified_at"].map(Field.untyped), isTyped: false)
        return try VCardMapping.contactCard(
            contact: Record(["c-1", "Åsa Öberg-Lind, Jr.; \\ \"Q\"\nsecond line 😀 שלום \u{202E}x", "+46 70 123 45 67", "files/p.jpg", "sv", "2024-05-01T10:00:00Z"]),
            contactLayout: contact,
            emails: [Record(["e-1", "asa@example.se", "personal", "true", "2024-05-02T08:30:00Z"]), Record(["e-2", "asa@work.example.com", "work", "false", nil])],
            emailLayout: email, photo: VCardPhoto(mediaType: "image/jpeg", bytes: (0..<2000).map { UInt8($0 % 251) }), revision: "2026-01-01T00:00:00Z")
    }

    func testVobjectParsesOurCardsWithEveryPropertyEqual() throws {
        try requireVobject()
        let card = try contactCard()
        for version in [VCardVersion.v4_0, .v3_0] {
            let bytes = try VCardWriter.bytes(card, version: version)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("seqport-vobject-\(UUID().uuidString).vcf")
            try Data(bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let run = try python([try script(), "read", url.path])
            XCTAssertEqual(run.status, 0, run.err)
            var theirs = try canonical(run.out)
            var ours = [try readCards(bytes)[0].properties.map(describe).sorted()]
            if version == .v4_0 {
                // vobject 0.9 reads a 4.0 `data:` URI only up to its first comma; the photo is compared in 3.0.
                theirs = theirs.map { $0.filter { !$0.contains("\"PHOTO\"") } }
                ours = ours.map { $0.filter { !$0.contains("\"PHOTO\"") } }
            }
            XCTAssertEqual(theirs, ours, "vCard \(version.rawValue)")
            XCTAssertEqual(ours[0].count, card.properties.count - (version == .v4_0 ? 1 : 0))
        }
    }

    func testWeReadWhatVobjectWritesWithEveryPropertyEqual() throws {
        try requireVobject()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seqport-vobject-\(UUID().uuidString).vcf")
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try python([try script(), "write", url.path])
        XCTAssertEqual(run.status, 0, run.err)
        let cards = try readCards(Array(try Data(contentsOf: url)))
        XCTAssertEqual(cards.count, 1)
        XCTAssertEqual(try canonical(run.out), [try cards[0].properties.map(describe).sorted()])
        // And through our 4.0 writer and reader nothing changes.
        let again = try readCards(try VCardWriter.bytes(cards[0]))[0]
        XCTAssertEqual(again.properties.map(\.text).count, cards[0].properties.count)
        XCTAssertEqual(try again.first("PHOTO")?.binary()?.bytes, Array(0...255))
        XCTAssertEqual(again.first("FN")?.text, cards[0].first("FN")?.text)
    }

    func testTheTakeoutFixtureParsesTheSameInVobject() throws {
        try requireVobject()
        // vobject does not join quoted-printable soft line breaks (`=` at the end of a line); give it the
        // note on one line (the note is not compared: vobject leaves quoted-printable undecoded).
        let text = String(decoding: try fixture("takeout-3.0.vcf"), as: UTF8.self).replacingOccurrences(of: "=\r\nefter lunch", with: "efter lunch")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seqport-vobject-\(UUID().uuidString).vcf")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try python([try script(), "read", url.path])
        XCTAssertEqual(run.status, 0, run.err)
        let ours = try readCards(try fixture("takeout-3.0.vcf"))
        let theirs = try canonical(run.out)
        XCTAssertEqual(theirs.count, ours.count)
        // vobject keeps the transfer parameters (CHARSET, quoted-printable) that we undo; compare the rest.
        let skip = ["\"NOTE\"", "X-ABLABEL", "\"CATEGORIES\""]
        for (t, o) in zip(theirs, ours) {
            XCTAssertEqual(t.filter { s in !skip.contains { s.contains($0) } }, try o.properties.map(describe).sorted().filter { s in !skip.contains { s.contains($0) } })
        }
    }
}
