import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Issue #13, item 4: a hand-made partner bundle's manifest needs only what the store cannot know, and
/// every missing or wrong key is reported in one run.
final class PartnerManifestTests: XCTestCase {
    /// A ZIP of the given entries, in order.
    func zip(_ path: String, _ entries: [(String, [UInt8])]) throws -> String {
        let file = try AtomicFile(finalPath: path)
        let zip = ZipWriter(sink: file.sink)
        for (name, bytes) in entries { try zip.addEntry(name, bytes: bytes) }
        try zip.finish()
        try file.commit()
        return path
    }

    /// The subject's contact as the store exports it (`csv/contact.csv`), with one value replaced.
    func contactCSV(_ store: any Store, _ config: Configuration, _ dir: String, replacing old: String, with new: String) throws -> [UInt8] {
        let exported = try export(store, config, to: dir + "/export").path
        let csv = String(decoding: try entries(of: exported).first { $0.name == "csv/contact.csv" }!.bytes, as: UTF8.self)
        XCTAssertTrue(csv.contains(old), "the sample's contact holds \(old)")
        return Array(csv.replacingOccurrences(of: old, with: new).utf8)
    }

    let minimal = #"""
    { "format": "seqport-bundle", "formatVersion": "1.1", "subject": "s-00001", "scope": "access",
      "categories": [ { "name": "contact", "files": { "csv": "csv/contact.csv" } } ] }
    """#

    func testAMinimalHandMadeManifestImportsAsPlanned() throws {
        let (store, config, dir) = try sampleStore(self)
        let current = try store.withSnapshot { snap -> String in
            var phone = ""
            let contact = config.schema.category(named: "contact")!
            try snap.forEachRecord(subject: "s-00001", in: contact, fields: contact.layout(scope: .access).fields) { phone = $0[2].text ?? "" }
            return phone
        }
        let csv = try contactCSV(store, config, dir, replacing: current, with: "+46 70 999 99 99")
        let bundle = try zip(dir + "/partner.zip", [("csv/contact.csv", csv), ("manifest.json", Array(minimal.utf8))])
        var options = ImportOptions()
        options.apply = true
        options.now = fixedTime
        let plan = try Importer(store: store).run(bundle: bundle, options: options)
        XCTAssertEqual(plan.changes.map(\.field), ["phone"], plan.renderText())
        XCTAssertEqual(plan.changes.first?.new, "+46 70 999 99 99")
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText())
        XCTAssertTrue(plan.applied)
        XCTAssertEqual(plan.sources.first?.reason, "partner bundle", "a manifest without checksums reads every copy it names")
        XCTAssertTrue(plan.renderText().contains("read csv/contact.csv (partner bundle)"), plan.renderText())
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(audit.map(\.field), ["phone"])
    }

    func testEveryMissingOrWrongKeyIsReportedInOneRunWithItsJSONPath() throws {
        let (store, _, dir) = try sampleStore(self)
        let manifest = #"""
        { "format": "seqport-bundle", "formatVersion": "1.1", "subjet": "s-00001", "scope": "everything",
          "retentionDays": "thirty",
          "categories": [ { "name": "contact" },
                          { "name": "email_addresses", "files": { "csv": "csv/emails.csv", "pdf": "x.pdf" }, "fingerprint": "f.csv" },
                          { "name": "usage_events", "files": { "json": "json/usage_events.json" } } ] }
        """#
        let bundle = try zip(dir + "/bad.zip", [("csv/emails.csv", Array("id\r\n".utf8)), ("manifest.json", Array(manifest.utf8))])
        XCTAssertThrowsError(try Importer(store: store).run(bundle: bundle)) { error in
            guard let list = error as? ErrorList else { return XCTFail("not every problem at once: \(error)") }
            let messages = list.errors.map(\.message)
            let expected = [
                "$.subject: is missing",
                "$.scope: must be \"access\" or \"portability\"",
                "$.retentionDays: must be a whole number",
                "$.subjet: is not a key",
                "$.categories[0].files: is missing",
                "$.categories[1].fingerprint: is not a key",
                "$.categories[1].files.csv: must be \"csv/email_addresses.csv\"",
                "$.categories[1].files.pdf: is not a copy's format",
                "$.categories[2].files.json: names json/usage_events.json, which the archive does not hold",
            ]
            for e in expected { XCTAssertTrue(messages.contains { $0.hasPrefix(e) }, "\(e) not in \(messages)") }
            XCTAssertEqual(list.total, expected.count, "\(messages)")
            XCTAssertEqual(list.counts, ["bundle.manifest": expected.count])
            XCTAssertTrue(list.errors.allSatisfy { $0.location.entry == "manifest.json" })
            XCTAssertTrue(list.summary.hasPrefix("\(expected.count) errors (bundle.manifest: \(expected.count))"), list.summary)
        }
    }

    func testOneProblemAloneIsThrownAsItIsAndAWrongFormatStopsAtOnce() throws {
        let (store, _, dir) = try sampleStore(self)
        let noSubject = minimal.replacingOccurrences(of: #""subject": "s-00001","#, with: "")
        let one = try zip(dir + "/one.zip", [("csv/contact.csv", Array("id\r\n".utf8)), ("manifest.json", Array(noSubject.utf8))])
        XCTAssertThrowsError(try Importer(store: store).run(bundle: one)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .bundleManifest, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.message, "$.subject: is missing")
        }
        let other = #"{"format": "something-else", "categories": 7}"#
        let wrong = try zip(dir + "/wrong.zip", [("manifest.json", Array(other.utf8))])
        XCTAssertThrowsError(try Importer(store: store).run(bundle: wrong)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .bundleVersion, "\(error)")
        }
    }

    func testAPartnerBundleHoldingAnEntryItsManifestDoesNotNameIsRefused() throws {
        let (store, config, dir) = try sampleStore(self)
        let csv = try contactCSV(store, config, dir, replacing: "c-s-00001", with: "c-s-00001")
        let bundle = try zip(dir + "/extra.zip", [("csv/contact.csv", csv), ("json/contact.json", Array("[]".utf8)),
                                                  ("manifest.json", Array(minimal.utf8))])
        XCTAssertThrowsError(try Importer(store: store).run(bundle: bundle)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .importUnlistedCopy, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.location.entry, "json/contact.json")
        }
    }

    func testAnExportedManifestStillImportsAndAnUnknownKeyInItIsNamed() throws {
        let (store, config, dir) = try sampleStore(self)
        let exported = try export(store, config, to: dir + "/export").path
        XCTAssertTrue(try Importer(store: store).run(bundle: exported).isEmpty, "an exported bundle imports unchanged")
        var all = try entries(of: exported)
        let m = all.firstIndex { $0.name == "manifest.json" }!
        var text = String(decoding: all[m].bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"generator\"", with: "\"generater\"")
        all[m].bytes = Array(text.utf8)
        let renamed = try zip(dir + "/renamed.zip", all.map { ($0.name, $0.bytes) })
        XCTAssertThrowsError(try Importer(store: store).run(bundle: renamed)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .bundleManifest, "\(error)")
            XCTAssertTrue("\(error)".contains("$.generater: is not a key"), "\(error)")
        }
    }
}
