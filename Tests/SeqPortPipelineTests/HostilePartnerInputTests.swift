import Foundation
import SeqPortModel
import SeqPortVCard
import XCTest
@testable import SeqPortPipeline

/// Issue #13, item 7: hostile cards through the paths a partner's file takes (`import contact.vcf`,
/// `convert`) are refused within Specs/limits.md, naming the file as given and the line, and leave
/// nothing behind.
final class HostilePartnerInputTests: XCTestCase {
    static let end = Array("\r\nEND:VCARD\r\n".utf8)

    /// An 11 MiB photo (the limit is 10 MiB), endless folding of empty continuation lines, and a line
    /// that never ends, each past the content-line limit (≈ 13.4 MiB).
    var hostileCards: [(name: String, bytes: [UInt8], line: Int)] {
        let limits = VCardLimits.default
        let photo = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nPHOTO;ENCODING=b;TYPE=JPEG:".utf8)
            + [UInt8](repeating: UInt8(ascii: "A"), count: (11 << 20) / 3 * 4) + Self.end
        var folding = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nNOTE:y".utf8)
        for _ in 0..<(limits.maxLineBytes / 3 + 10) { folding += [0x0D, 0x0A, 0x20] }
        folding += Self.end
        let endless = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:".utf8) + [UInt8](repeating: 0x61, count: limits.maxLineBytes + 10)
        return [("photo.vcf", photo, 4), ("folding.vcf", folding, 4), ("endless.vcf", endless, 3)]
    }

    func testHostileCardsAreRefusedByImportAndConvertNamingTheFileAndLine() throws {
        let (store, _, dir) = try sampleStore(self)
        for card in hostileCards {
            let path = dir + "/" + card.name
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(card.bytes)))
            XCTAssertThrowsError(try Importer(store: store).run(card: path, subject: "s-00001")) { error in
                let e = error as? SeqPortError
                XCTAssertEqual(e?.code, .vcardTooLong, "\(card.name): \(error)")
                XCTAssertEqual(e?.location.entry, path, card.name)
                XCTAssertEqual(e?.location.line, card.line, card.name)
                XCTAssertLessThan(e?.description.count ?? .max, 300, "one short line, no value: \(card.name)")
            }
            let out = dir + "/out.jsonl"
            XCTAssertThrowsError(try Converter.convert(path: path, from: .vcf, to: .jsonl, layout: nil, out: out, options: ConvertOptions())) { error in
                let e = error as? SeqPortError
                XCTAssertEqual(e?.code, .vcardTooLong, "\(card.name): \(error)")
                XCTAssertEqual(e?.location.entry, path, card.name)
                XCTAssertEqual(e?.location.line, card.line, card.name)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(card.name): nothing written")
        }
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertTrue(audit.isEmpty)
    }
}
