import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Everything the store holds for some subjects, for before/after comparisons.
func dump(_ store: any Store, subjects: [String] = ["s-00001", "s-00002", "s-00003"]) throws -> [String] {
    var out: [String] = []
    try store.withSnapshot { snap in
        for s in subjects {
            for c in store.schema.categories {
                try snap.forEachRecord(subject: s, in: c, fields: c.fields) { r in out.append("\(c.name) \(r.values)") }
            }
            out += try snap.auditEntries(subject: s).map { "\($0)" }
        }
    }
    return out
}

/// Rewrites one category's copy in one format: read, transform, write — as a subject's editor would.
func edit(_ bundle: String, to out: String, category: String, format: BundleFormat, config: Configuration,
          _ transform: (inout [Record], RecordLayout) -> Void) throws {
    let layout = config.schema.category(named: category)!.layout(scope: .access)
    let zip = try ZipReader(path: bundle)
    let path = BundleLayout.data(category, format)
    var reader = try format.makeReader(source: try zip.open(zip.entry(named: path)!), layout: layout)
    var records: [Record] = []
    while let r = try reader.next() { records.append(r) }
    transform(&records, layout)
    let sink = MemorySink()
    var writer = try format.makeWriter(layout: layout, sink: sink)
    for r in records { try writer.write(r) }
    try writer.finish()
    try rewriteBundle(bundle, to: out, replacing: [path: sink.bytes])
}

final class ImporterTests: XCTestCase {
    func plan(_ store: any Store, _ bundle: String, format: BundleFormat? = nil, apply: Bool = false) throws -> ImportPlan {
        var options = ImportOptions()
        options.format = format
        options.apply = apply
        options.actor = "test"
        options.now = fixedTime
        return try Importer(store: store).run(bundle: bundle, options: options)
    }

    func testAnUnchangedBundleGivesAnEmptyPlanFromEachFormat() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        XCTAssertTrue(try plan(store, bundle).isEmpty)
        for f in BundleFormat.allCases {
            let p = try plan(store, bundle, format: f)
            XCTAssertTrue(p.isEmpty, "\(f): \(p.renderText())")
        }
    }

    func testEditingOneRectifiableFieldInEachFormatPlansExactlyThatChangeAndAppliesItOnce() throws {
        for format in BundleFormat.allCases {
            let (store, config, dir) = try sampleStore(self)
            let bundle = try export(store, config, to: dir + "/out").path
            let edited = dir + "/edited-\(format).zip"
            try edit(bundle, to: edited, category: "professional", format: format, config: config) { records, layout in
                records[0][layout.index(of: "job_title")!] = "Chief Scientist"
            }
            let before = try dump(store)
            let dry = try plan(store, edited)
            XCTAssertEqual(dry.changes.count, 1, dry.renderText())
            XCTAssertEqual(dry.changes.first?.field, "job_title")
            XCTAssertEqual(dry.changes.first?.old, "")
            XCTAssertEqual(dry.changes.first?.new, "Chief Scientist")
            XCTAssertEqual(dry.sources.first { $0.category == "professional" }?.reason, "edited")
            XCTAssertEqual(try dump(store), before, "a dry run changes nothing")

            let applied = try plan(store, edited, apply: true)
            XCTAssertTrue(applied.applied)
            XCTAssertEqual(applied.notify["professional"]?.isEmpty, false)
            let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
            XCTAssertEqual(audit.count, 1)
            XCTAssertEqual(audit.first?.field, "job_title")
            XCTAssertEqual(audit.first?.newValue, "Chief Scientist")
            XCTAssertEqual(audit.first?.bundleSHA256, applied.bundleSHA256)
            XCTAssertEqual(audit.first?.actor, "test")

            let again = try export(store, config, to: dir + "/again")
            let json = String(decoding: try entries(of: again.path).first { $0.name == "json/professional.json" }!.bytes, as: UTF8.self)
            XCTAssertTrue(json.contains("\"job_title\":\"Chief Scientist\""))
            XCTAssertTrue(try plan(store, edited).isEmpty, "importing the same bundle twice changes nothing the second time")
        }
    }

    func testAnEditToANonRectifiableFieldIsRefusedAndNothingIsApplied() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let edited = dir + "/edited.zip"
        try edit(bundle, to: edited, category: "invoices", format: .csv, config: config) { records, layout in
            records[0][layout.index(of: "amount")!] = "1.00"
        }
        try edit(edited, to: dir + "/edited2.zip", category: "professional", format: .csv, config: config) { records, layout in
            records[0][layout.index(of: "job_title")!] = "Chief Scientist"
        }
        let before = try dump(store)
        let p = try plan(store, dir + "/edited2.zip", apply: true)
        XCTAssertFalse(p.applied)
        XCTAssertEqual(p.refusals.map(\.code), ["import.not-rectifiable"])
        XCTAssertEqual(p.refusals.first?.field, "amount")
        XCTAssertEqual(try dump(store), before)
    }

    func testARecordOfAnotherSubjectIsRefused() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        try edit(bundle, to: dir + "/edited.zip", category: "email_addresses", format: .json, config: config) { records, layout in
            var stolen = records[0]
            stolen[layout.index(of: "id")!] = "e-s-00002-1"
            stolen[layout.index(of: "verified_at")!] = nil
            records.append(stolen)
        }
        let before = try dump(store)
        let p = try plan(store, dir + "/edited.zip", apply: true)
        XCTAssertEqual(p.refusals.map(\.code), ["import.foreign-record"])
        XCTAssertEqual(try dump(store), before)
    }

    func testARecordChangedInTheStoreSinceTheExportIsAConflict() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let category = config.schema.category(named: "professional")!
        _ = try store.withTransaction { tx in
            try tx.update(subject: "s-00001", in: category, key: "p-s-00001", set: [(category.fields.first { $0.name == "industry" }!, "Software")])
        }
        try edit(bundle, to: dir + "/edited.zip", category: "professional", format: .csv, config: config) { records, layout in
            records[0][layout.index(of: "job_title")!] = "Chief Scientist"
        }
        let before = try dump(store)
        let p = try plan(store, dir + "/edited.zip", apply: true)
        XCTAssertTrue(p.refusals.map(\.code).contains("import.conflict"), p.renderText())
        XCTAssertEqual(try dump(store), before)
    }

    func testANewAddressIsAddedAndARemovedOneDeletedWhereTheCategoryAllowsIt() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        try edit(bundle, to: dir + "/edited.zip", category: "email_addresses", format: .csv, config: config) { records, layout in
            records.removeLast()
            records.append(Record([.text("e-new-1"), .text("new@example.org"), .text("other"), .text("false"), .null]))
        }
        let p = try plan(store, dir + "/edited.zip", apply: true)
        XCTAssertEqual(p.changes.map(\.action), [.insert, .delete], p.renderText())
        XCTAssertTrue(p.applied)
        XCTAssertTrue(try plan(store, dir + "/edited.zip").isEmpty)
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(audit.map(\.action), ["insert", "delete"])
    }

    func testTwoEditedCopiesThatDisagreeStopTheImportNamingBothFiles() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        try edit(bundle, to: dir + "/a.zip", category: "professional", format: .csv, config: config) { r, l in r[0][l.index(of: "job_title")!] = "A" }
        try edit(dir + "/a.zip", to: dir + "/b.zip", category: "professional", format: .json, config: config) { r, l in r[0][l.index(of: "job_title")!] = "B" }
        XCTAssertThrowsError(try plan(store, dir + "/b.zip")) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .importCopiesDisagree)
            XCTAssertTrue(e?.description.contains("json/professional.json") == true && e?.description.contains("csv/professional.csv") == true, "\(String(describing: e))")
        }
    }

    func testAPartnerBundleWithOnlyJSONAndNoFingerprintsIsMatchedByKey() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        var all = try entries(of: bundle).filter { !$0.name.hasPrefix("csv/") && !$0.name.hasPrefix("xml/") && !$0.name.hasPrefix("fingerprints/") }
        let m = all.firstIndex { $0.name == "manifest.json" }!
        var manifest = try Manifest.decode(all[m].bytes)
        manifest.files = manifest.files.filter { f in all.contains { $0.name == f.path } }
        for i in manifest.categories.indices { manifest.categories[i].fingerprints = nil }
        all[m].bytes = try manifest.encoded()
        let file = try AtomicFile(finalPath: dir + "/partner.zip")
        let zip = ZipWriter(sink: file.sink)
        for e in all { try zip.addEntry(e.name, bytes: e.bytes) }
        try zip.finish()
        try file.commit()
        XCTAssertTrue(try plan(store, dir + "/partner.zip").isEmpty)
        try edit(dir + "/partner.zip", to: dir + "/partner2.zip", category: "contact", format: .json, config: config) { r, l in
            r[0][l.index(of: "full_name")!] = "Åsa Lindström"
        }
        let p = try plan(store, dir + "/partner2.zip", apply: true)
        XCTAssertEqual(p.changes.map(\.field), ["full_name"])
        XCTAssertTrue(p.applied)
    }

    func testARemovedUsageEventIsRefusedInBoundedMemoryOrder() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        try edit(bundle, to: dir + "/edited.zip", category: "usage_events", format: .csv, config: config) { r, _ in r.remove(at: 3) }
        let p = try plan(store, dir + "/edited.zip")
        XCTAssertEqual(p.refusals.map(\.code), ["import.delete-not-allowed"])
    }

    /// The ordered diff compares borrowed bytes on both sides; what it refuses, and the values and keys it
    /// names, are those of the records.
    func testTheOrderedDiffRefusesAnEditAnExtraRecordAndAMoveInEachFormat() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        for format in [BundleFormat.json, .csv, .xml] {
            let edited = dir + "/edited-\(format.rawValue).zip"
            var key = "", asked = ""
            try edit(bundle, to: edited, category: "usage_events", format: format, config: config) { r, layout in
                let page = layout.index(of: "page")!
                key = r[5][layout.index(of: "id")!].text!
                asked = "/edited/\u{0}/\u{202E}é"
                r[5][page] = .text(asked)
                var extra = r[r.count - 1]
                extra[layout.index(of: "id")!] = "999999999"
                r.append(extra)
            }
            var p = try plan(store, edited, format: format)
            XCTAssertEqual(p.refusals.map(\.code), ["import.not-rectifiable", "import.insert-not-allowed"], format.rawValue)
            XCTAssertEqual(p.refusals.first?.key, key)
            XCTAssertEqual(p.refusals.first?.field, "page")
            XCTAssertEqual(p.refusals.first?.asked.map { Array($0.utf8) }, Array(asked.utf8))
            XCTAssertEqual(p.refusals.last?.key, "999999999")

            try edit(bundle, to: edited, category: "usage_events", format: format, config: config) { r, _ in r.swapAt(2, 3) }
            p = try plan(store, edited, format: format)
            // The store's record 3 is not where the bundle has it (a removal), then record 3 comes after 4.
            XCTAssertEqual(p.refusals.map(\.code), ["import.delete-not-allowed", "import.order"], format.rawValue)
        }
    }
}
