import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortSQLite
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// What Samples/ shows is what the code does.
final class SamplesTests: XCTestCase {
    let rectification = packageRoot + "/Samples/rectification/"

    func copyOfSampleStore() throws -> (SQLiteStore, Configuration, String) {
        let config = try defaultConfiguration()
        let dir = try temporaryDirectory(self)
        try FileManager.default.copyItem(atPath: packageRoot + "/Samples/sample-store.sqlite", toPath: dir + "/store.sqlite")
        return (try SQLiteStore(path: dir + "/store.sqlite", schema: config.schema), config, dir)
    }

    func testTheBundledSampleStoreHoldsWhatTheGeneratorMakes() throws {
        let (committed, config, dir) = try copyOfSampleStore()
        let fresh = try SQLiteStore(path: dir + "/fresh.sqlite", schema: config.schema, create: true)
        try SampleData(subjects: 25, events: 200).populate(fresh)
        let subjects = try committed.subjectIDs()
        XCTAssertEqual(subjects, try fresh.subjectIDs())
        XCTAssertEqual(subjects.count, 25)
        XCTAssertEqual(try dump(committed, subjects: subjects), try dump(fresh, subjects: subjects))
    }

    func testTheWorkedExportIsWhatSeqportExportsToday() throws {
        let (store, config, dir) = try copyOfSampleStore()
        let result = try export(store, config, to: dir + "/out")
        XCTAssertEqual(FileManager.default.contents(atPath: result.path), FileManager.default.contents(atPath: rectification + "original.zip"),
                       "Samples/rectification/original.zip is stale: regenerate it with the command in its README")
    }

    func testTheEditedBundleDiffersFromTheExportOnlyByTheSubjectsEdit() throws {
        let original = Dictionary(uniqueKeysWithValues: try entries(of: rectification + "original.zip").map { ($0.name, $0.bytes) })
        let edited = Dictionary(uniqueKeysWithValues: try entries(of: rectification + "edited.zip").map { ($0.name, $0.bytes) })
        XCTAssertEqual(Set(original.keys), Set(edited.keys))
        for (name, bytes) in original where name != "csv/contact.csv" { XCTAssertEqual(edited[name], bytes, name) }
        XCTAssertEqual(edited["csv/contact.csv"], Array(try XCTUnwrap(FileManager.default.contents(atPath: rectification + "edited-contact.csv"))))
    }

    func testTheWorkedPlanIsWhatImportPrintsAndApplies() throws {
        let (store, _, _) = try copyOfSampleStore()
        var options = ImportOptions()
        let path = rectification + "edited.zip"
        let plan = try Importer(store: store).run(bundle: path, options: options)
        let text = plan.renderText().replacingOccurrences(of: path, with: "edited.zip")
        XCTAssertEqual(text, String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: rectification + "plan.txt")), as: UTF8.self))
        options.apply = true
        options.actor = "samples-test"
        XCTAssertTrue(try Importer(store: store).run(bundle: path, options: options).applied)
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(audit.map(\.field), ["full_name", "preferred_language"])
    }

    // MARK: Samples/partner

    let partner = packageRoot + "/Samples/partner/"

    func testThePartnerFileThroughItsMappingPlansWhatContactPlanSays() throws {
        let (store, _, _) = try copyOfSampleStore()
        var convert = ConvertOptions()
        convert.encoding = .windows1252
        convert.delimiter = nil
        let path = partner + "contact.csv"
        let plan = try Importer(store: store).run(file: path, subject: "s-00001", category: nil, map: try ColumnMap.load(path: partner + "map.json"),
                                                  convert: convert)
        XCTAssertEqual(plan.renderText().replacingOccurrences(of: path, with: "contact.csv"),
                       String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: partner + "contact-plan.txt")), as: UTF8.self))
    }

    func testThePackedPartnerBundleIsWhatPackMakesTodayAndPlansWhatPackPlanSays() throws {
        let (store, config, dir) = try copyOfSampleStore()
        let out = dir + "/partner.zip"
        _ = try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: partner + "email_addresses.jsonl")], map: nil,
                                                   options: ConvertOptions(), out: out, generatedAt: fixedTime)
        XCTAssertEqual(FileManager.default.contents(atPath: out), FileManager.default.contents(atPath: partner + "partner.zip"),
                       "Samples/partner/partner.zip is stale: run Samples/partner/regenerate.sh")
        XCTAssertTrue(try Verifier().verify(path: partner + "partner.zip").sound)
        let path = partner + "partner.zip"
        let plan = try Importer(store: store).run(bundle: path)
        XCTAssertEqual(plan.renderText().replacingOccurrences(of: path, with: "partner.zip"),
                       String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: partner + "pack-plan.txt")), as: UTF8.self))
    }

    func testTheTakeoutCardThroughItsMappingPlansWhatTakeoutPlanSays() throws {
        let (store, _, _) = try copyOfSampleStore()
        let path = partner + "takeout-contact.vcf"
        let plan = try Importer(store: store).run(card: path, subject: "s-00001", ignoring: try ColumnMap.load(path: partner + "takeout-map.json").drop)
        XCTAssertEqual(plan.renderText().replacingOccurrences(of: path, with: "takeout-contact.vcf"),
                       String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: partner + "takeout-plan.txt")), as: UTF8.self),
                       "Samples/partner/takeout-plan.txt is stale: run Samples/partner/regenerate.sh")
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText())
        XCTAssertEqual(plan.changes.filter { $0.action == .update }.map(\.field), ["full_name", "phone"], plan.renderText())
        XCTAssertEqual(plan.changes.filter { $0.action == .insert }.map { $0.values?["address"] ?? nil }, ["asa@partner.example.net"])
        // Without the mapping nothing is dropped silently: the structured name stops the import.
        XCTAssertThrowsError(try Importer(store: store).run(card: path, subject: "s-00001")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .vcardMapping, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.location.field, "N")
        }
    }
}
