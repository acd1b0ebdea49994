import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import SeqPortXLSX
import XCTest
@testable import SeqPortPipeline

/// Issue #12: the workbook in every bundle, read back as a copy like the others.
final class WorkbookImportTests: XCTestCase {
    func run(_ store: any Store, _ bundle: String, workbook: Bool = false, apply: Bool = false) throws -> ImportPlan {
        var options = ImportOptions()
        options.sharedFormat = workbook ? "xlsx" : nil
        options.apply = apply
        options.now = fixedTime
        return try Importer(store: store).run(bundle: bundle, options: options)
    }

    /// The workbook of `bundle` rewritten by a program: every sheet read with our reader, `change` applied to
    /// the records, written again (as Excel's "save" writes every cell again), zipped back into the bundle.
    func resave(_ bundle: String, to out: String, config: Configuration, _ change: (String, inout [Record], RecordLayout) -> Void) throws {
        let dir = try temporaryDirectory(self)
        let all = try entries(of: bundle)
        let workbookBytes = all.first { $0.name == BundleLayout.workbook }!.bytes
        FileManager.default.createFile(atPath: dir + "/in.xlsx", contents: Data(workbookBytes))
        let manifest = try Manifest.decode(all.first { $0.name == "manifest.json" }!.bytes)
        let reader = try XLSXReader(path: dir + "/in.xlsx")
        let sink = MemorySink()
        let writer = XLSXWorkbookWriter(sink: sink, options: .init(modified: "2026-02-02T00:00:00Z"))
        for entry in manifest.categories {
            let layout = config.schema.category(named: entry.name)!.layout(scope: manifest.scope)
            var records: [Record] = []
            for sheet in entry.sheets! {
                var r = try reader.sheet(named: sheet, layout: layout)
                while let record = try r.next() { records.append(record) }
            }
            change(entry.name, &records, layout)
            var sheet = try writer.beginSheet(layout: layout, title: entry.name)
            for r in records { try sheet.write(r) }
            try sheet.finish()
        }
        try writer.finish()
        try rewriteBundle(bundle, to: out, replacing: [BundleLayout.workbook: sink.bytes])
    }

    func testEveryBundleHasAWorkbookWithASheetPerCategoryListedInTheManifest() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let all = try entries(of: bundle)
        let manifest = try Manifest.decode(all.first { $0.name == "manifest.json" }!.bytes)
        XCTAssertTrue(manifest.files.contains { $0.path == BundleLayout.workbook })
        XCTAssertTrue(manifest.files.contains { $0.path == BundleLayout.contactCard })
        XCTAssertEqual(manifest.categories.compactMap { $0.sheets?.first }, manifest.categories.map(\.name))
        XCTAssertTrue(try Verifier().verify(path: bundle).sound)
        // Determinism: the same export again gives the same workbook bytes.
        let again = try export(store, config, to: dir + "/again", workers: 1).path
        XCTAssertEqual(try entries(of: again).first { $0.name == BundleLayout.workbook }?.bytes, all.first { $0.name == BundleLayout.workbook }?.bytes)
    }

    func testAnUnchangedWorkbookReadsBackAsNoChangesEvenWithAwkwardValues() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let plan = try run(store, bundle, workbook: true)
        XCTAssertTrue(plan.isEmpty, plan.renderText())
        let resaved = dir + "/resaved.zip"
        try resave(bundle, to: resaved, config: config) { _, _, _ in }
        let again = try run(store, resaved)
        XCTAssertTrue(again.isEmpty, again.renderText())
        XCTAssertTrue(again.sources.contains { $0.entries.first?.hasPrefix(BundleLayout.workbook) == true && $0.reason == "edited" })
    }

    func testOneEditedCellImportsAsExactlyThatChange() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let edited = dir + "/edited.zip"
        try resave(bundle, to: edited, config: config) { name, records, layout in
            if name == "contact" { records[0][layout.index(of: "phone")!] = .text("0701234567") }
        }
        let plan = try run(store, edited, apply: true)
        XCTAssertEqual(plan.changes.map(\.field), ["phone"], plan.renderText())
        XCTAssertEqual(plan.changes.first?.new, "0701234567", "the leading zero stays: a text cell")
        XCTAssertTrue(plan.applied)
    }

    func testAnEditedContactCardStopsTheImportSayingWhereToEdit() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let card = try entries(of: bundle).first { $0.name == BundleLayout.contactCard }!.bytes
        let edited = dir + "/card.zip"
        try rewriteBundle(bundle, to: edited, replacing: [BundleLayout.contactCard: card + Array("NOTE:x\r\n".utf8)])
        XCTAssertThrowsError(try run(store, edited)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .importUnlistedCopy, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.location.entry, BundleLayout.contactCard)
        }
    }
}

/// Issue #13, item 5: a contact card imported for the contact category and its e-mail addresses.
final class CardImportTests: XCTestCase {
    func testTheBundlesCardWithAnEditedPhoneAndANewAddressImportsAsThoseChanges() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        var card = String(decoding: try entries(of: bundle).first { $0.name == BundleLayout.contactCard }!.bytes, as: UTF8.self)
        // Unchanged, the card plans nothing.
        let same = dir + "/same.vcf"
        FileManager.default.createFile(atPath: same, contents: Data(card.utf8))
        XCTAssertTrue(try Importer(store: store).run(card: same, subject: "s-00001").isEmpty)
        // As a phone's contacts app would save it: a new number, one more address.
        let lines = card.components(separatedBy: "\r\n").map { $0.hasPrefix("TEL") ? "TEL:0701234567" : $0 }
        card = lines.joined(separator: "\r\n").replacingOccurrences(of: "END:VCARD", with: "EMAIL;TYPE=home:added@example.org\r\nEND:VCARD")
        let edited = dir + "/edited.vcf"
        FileManager.default.createFile(atPath: edited, contents: Data(card.utf8))
        var options = ImportOptions()
        options.apply = true
        options.now = fixedTime
        let plan = try Importer(store: store).run(card: edited, subject: "s-00001", options: options)
        XCTAssertTrue(plan.applied, plan.renderText())
        XCTAssertEqual(plan.changes.map(\.action), [.update, .insert], plan.renderText())
        XCTAssertEqual(plan.changes.first?.new, "0701234567")
        XCTAssertEqual(plan.changes.last?.values?["address"], "added@example.org")
        XCTAssertTrue(try Importer(store: store).run(card: edited, subject: "s-00001").changes.filter { $0.action == .update }.isEmpty)
        // Two cards in one file are refused: one subject's card at a time.
        let two = dir + "/two.vcf"
        FileManager.default.createFile(atPath: two, contents: Data((card + card).utf8))
        XCTAssertThrowsError(try Importer(store: store).run(card: two, subject: "s-00001")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .vcardMapping, "\(error)")
        }
    }
}
