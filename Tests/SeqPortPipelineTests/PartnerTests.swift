import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Issue #13, items 3 and 4: column mappings, `seqport pack`, and bare partner files imported.
final class PartnerTests: XCTestCase {
    func write(_ dir: String, _ name: String, _ bytes: [UInt8]) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    var swedishContact: [UInt8] {
        // Windows-1252, `;`, the partner's own column names.
        Array("Kundnr;Namn;Telefon;Intern\r\nc-s-00001;".utf8) + [0xC5, 0x73, 0x61, 0x20, 0x4C, 0x69, 0x6E, 0x64, 0x73, 0x74, 0x72, 0xF6, 0x6D]
            + Array(";070-123 45 67;x\r\n".utf8)
    }

    func testABarePartnerFileThroughAMappingCorrectsOnlyTheFieldsItGives() throws {
        let (store, _, dir) = try sampleStore(self)
        let file = write(dir, "contact.csv", swedishContact)
        let map = ColumnMap(columns: ["Kundnr": "id", "Namn": "full_name", "Telefon": "phone"], drop: ["Intern"])
        var convert = ConvertOptions()
        convert.encoding = .windows1252
        convert.delimiter = nil
        var options = ImportOptions()
        options.apply = true
        options.now = fixedTime
        let plan = try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: map, convert: convert, options: options)
        XCTAssertTrue(plan.applied, plan.renderText())
        XCTAssertEqual(Set(plan.changes.map { $0.field ?? "" }), ["full_name", "phone"])
        XCTAssertEqual(plan.changes.first { $0.field == "full_name" }?.new, "Åsa Lindström")
        XCTAssertTrue(plan.refusals.isEmpty, "created_at, photo and preferred_language are not given, so not compared")
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(audit.count, 2)
    }

    func testAnUnmappedColumnAndTwoColumnsForOneFieldAreRefusedNamingThem() throws {
        let (store, _, dir) = try sampleStore(self)
        let file = write(dir, "contact.csv", swedishContact)
        var convert = ConvertOptions()
        convert.encoding = .windows1252
        convert.delimiter = nil
        let unmapped = ColumnMap(columns: ["Kundnr": "id", "Namn": "full_name", "Telefon": "phone"])
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: unmapped, convert: convert)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .mapUnmappedColumn)
            XCTAssertEqual((error as? SeqPortError)?.location.field, "Intern")
        }
        let twice = ColumnMap(columns: ["Kundnr": "id", "Namn": "full_name", "Telefon": "full_name"], drop: ["Intern"])
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: twice, convert: convert)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .mapConflict, "\(error)")
        }
        let noKey = ColumnMap(columns: ["Namn": "full_name", "Telefon": "phone"], drop: ["Intern", "Kundnr"])
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: noKey, convert: convert)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .mapMissingField, "\(error)")
        }
    }

    func testAMappingFileIsReadStrictly() throws {
        let dir = try temporaryDirectory(self)
        let good = write(dir, "good.json", Array(#"{"columns": {"Namn": "full_name"}, "drop": ["x"], "constants": {"preferred_language": "sv", "phone": null}}"#.utf8))
        let constants: [String: String?] = ["preferred_language": "sv", "phone": String?.none]
        XCTAssertEqual(try ColumnMap.load(path: good), ColumnMap(columns: ["Namn": "full_name"], drop: ["x"], constants: constants))
        for (name, text, code) in [("dup.json", #"{"columns": {"a": "id", "a": "phone"}}"#, SeqPortError.Code.jsonDuplicateKey),
                                   ("unknown.json", #"{"colums": {}}"#, .mapInvalid), ("number.json", #"{"constants": {"phone": 7}}"#, .mapInvalid)] {
            XCTAssertThrowsError(try ColumnMap.load(path: write(dir, name, Array(text.utf8)))) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, code, "\(name): \(error)")
            }
        }
    }

    func testPackMakesASoundPartnerBundleThatImportsByKey() throws {
        let (store, config, dir) = try sampleStore(self)
        let emails = config.schema.category(named: "email_addresses")!
        var current: [Record] = []
        try store.withSnapshot { try $0.forEachRecord(subject: "s-00001", in: emails, fields: emails.layout(scope: .access).fields) { current.append($0) } }
        // The partner's JSON Lines: the subject's addresses with the first corrected.
        var lines = ""
        for (n, r) in current.enumerated() {
            let address = n == 0 ? "corrected@example.com" : r[1].text!
            let verified = r[4].text.map { "\"\($0)\"" } ?? "null"
            lines += "{\"id\":\"\(r[0].text!)\",\"address\":\"\(address)\",\"label\":\"\(r[2].text!)\",\"is_primary\":\(r[3].text!),\"verified_at\":\(verified)}\n"
        }
        let file = write(dir, "email_addresses.jsonl", Array(lines.utf8))
        let bundle = dir + "/partner.zip"
        let result = try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: file)], map: nil, options: ConvertOptions(),
                                                            out: bundle, generatedAt: fixedTime)
        XCTAssertEqual(result.records["email_addresses"], current.count)
        let report = try Verifier().verify(path: bundle)
        XCTAssertTrue(report.sound, "\(report.problems)")
        let plan = try Importer(store: store).run(bundle: bundle)
        XCTAssertEqual(plan.changes.map(\.new), ["corrected@example.com"], plan.renderText())
        XCTAssertTrue(plan.refusals.isEmpty)
        XCTAssertThrowsError(try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: write(dir, "nosuch.csv", Array("a\r\n".utf8)))],
                                                                    map: nil, options: ConvertOptions(), out: dir + "/x.zip")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .usage)
            XCTAssertTrue("\(error)".contains("email_addresses"), "the message lists the categories: \(error)")
        }
    }
}
