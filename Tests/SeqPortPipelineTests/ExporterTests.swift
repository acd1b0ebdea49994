import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

final class ExporterTests: XCTestCase {
    func testExportedBundleVerifiesAndHoldsEveryExportedCategory() throws {
        let (store, config, dir) = try sampleStore(self)
        let result = try export(store, config, to: dir + "/out")
        XCTAssertTrue(result.path.hasSuffix("seqport-s-00001-access.zip"))
        let report = try Verifier().verify(path: result.path)
        XCTAssertEqual(report.problems.map(\.message), [])
        XCTAssertEqual(Set(report.records.keys), Set(config.schema.categories.map(\.name)))
        XCTAssertEqual(report.records["usage_events"], 40)
        let names = Set(try ZipReader(path: result.path).entries.map(\.name))
        for c in config.schema.categories {
            for f in BundleFormat.allCases { XCTAssertTrue(names.contains(BundleLayout.data(c.name, f)), "\(c.name) \(f)") }
            XCTAssertTrue(names.contains(BundleLayout.jsonSchema(c.name)))
        }
        for name in ["manifest.json", "index.html", "schema/bundle.xsd", "schema/seqport-schema.json",
                     BundleLayout.attachment(id: "f-s-00001-photo", name: "portrait.png")] {
            XCTAssertTrue(names.contains(name), name)
        }
        // `files/<safe id>-<first 12 hex digits of SHA-256 of the id>/<safe name>` (Specs/bundle.md).
        let idHash = sha256Hex(Array("f-s-00001-photo".utf8)).prefix(12)
        XCTAssertTrue(names.contains("files/f-s-00001-photo-\(idHash)/portrait.png"), "\(names.filter { $0.hasPrefix("files/") })")
    }

    func testRerunWithTheSameGenerationTimeIsByteIdenticalWhateverTheThreadCount() throws {
        let (store, config, dir) = try sampleStore(self)
        let a = try export(store, config, to: dir + "/a", workers: 1)
        let b = try export(store, config, to: dir + "/b", workers: 2)
        let c = try export(store, config, to: dir + "/c", workers: 2)
        let bytesA = try XCTUnwrap(FileManager.default.contents(atPath: a.path))
        XCTAssertEqual(bytesA, FileManager.default.contents(atPath: b.path))
        XCTAssertEqual(bytesA, FileManager.default.contents(atPath: c.path))
    }

    func testNoSecretAndNoOtherSubjectAppearsInAnyByteOfTheBundle() throws {
        let (store, config, dir) = try sampleStore(self)
        let result = try export(store, config, to: dir + "/out")
        let raw = try XCTUnwrap(FileManager.default.contents(atPath: result.path))
        var needles = ["SECRET-HASH", "argon2id", "password_hash", "s-00002", "s-00003"]
        // Every value the store holds for the other subjects that is long enough to be distinctive.
        try store.withSnapshot { snap in
            for other in ["s-00002", "s-00003"] {
                for c in config.schema.categories {
                    try snap.forEachRecord(subject: other, in: c, fields: c.fields.filter { $0.type == .string && $0.format == .email }) { r in
                        needles += r.values.compactMap(\.text)
                    }
                }
            }
        }
        XCTAssertGreaterThan(needles.count, 5)
        for (name, bytes) in try entries(of: result.path) + [("<archive>", Array(raw))] {
            for needle in needles {
                XCTAssertNil(bytes.firstRange(of: needle.bytes), "\(needle) found in \(name)")
            }
        }
    }

    func testPortabilityLeavesOutDerivedAndInferredData() throws {
        let (store, config, dir) = try sampleStore(self)
        let result = try export(store, config, to: dir + "/out", scope: .portability)
        XCTAssertTrue(result.path.hasSuffix("-portability.zip"))
        XCTAssertNil(result.records["risk_assessments"])
        let all = Dictionary(uniqueKeysWithValues: try entries(of: result.path).map { ($0.name, $0.bytes) })
        XCTAssertNil(all["json/risk_assessments.json"])
        let tickets = String(decoding: try XCTUnwrap(all["csv/support_tickets.csv"]), as: UTF8.self)
        let header = tickets.split(separator: "\r\n").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}")) }
        XCTAssertEqual(header, "id,subject,channel,opened_at,closed_at")
        XCTAssertTrue(try Verifier().verify(path: result.path).sound)
    }

    func testAwkwardValuesSurviveExactlyInAllThreeFormats() throws {
        let (store, config, dir) = try sampleStore(self)
        let result = try export(store, config, to: dir + "/out")
        let zip = try ZipReader(path: result.path)
        for name in ["feedback", "ticket_messages", "professional", "invoices", "contact"] {
            let category = try XCTUnwrap(config.schema.category(named: name))
            let layout = category.layout(scope: .access)
            var expected: [Record] = []
            try store.withSnapshot { snap in
                try snap.forEachRecord(subject: "s-00001", in: category, fields: layout.fields) { record in
                    var r = record
                    Redactor(layout: layout)?.apply(&r)
                    expected.append(r)
                }
            }
            for format in BundleFormat.allCases {
                var reader = try format.makeReader(source: try zip.open(XCTUnwrap(zip.entry(named: BundleLayout.data(name, format)))), layout: layout)
                var got: [Record] = []
                while let r = try reader.next() { got.append(r) }
                XCTAssertEqual(got.count, expected.count, "\(name) \(format)")
                for (g, e) in Swift.zip(got, expected) {
                    for (i, f) in layout.fields.enumerated() where f.type != .file {
                        XCTAssertEqual(g[i], e[i], "\(name).\(f.name) in \(format)")
                    }
                }
            }
        }
        // The sample's awkward subject really has the awkward values.
        let comments = try entries(of: result.path).first { $0.name == "json/feedback.json" }!.bytes
        let text = String(decoding: comments, as: UTF8.self)
        XCTAssertTrue(text.contains("=HYPERLINK"))
        XCTAssertTrue(text.contains("\"comment\":\"\""))
        XCTAssertTrue(text.contains("\\u0001"))
    }

    func testExportOfAnUnknownSubjectFailsAndLeavesNothingBehind() throws {
        let (store, config, dir) = try sampleStore(self)
        XCTAssertThrowsError(try export(store, config, subject: "nobody", to: dir + "/out")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .subjectUnknown)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/out"), [])
    }

    func testManifestListsEveryOtherEntryWithItsChecksum() throws {
        let (store, config, dir) = try sampleStore(self)
        let result = try export(store, config, to: dir + "/out")
        let all = try entries(of: result.path)
        let manifest = try Manifest.decode(all.first { $0.name == "manifest.json" }!.bytes)
        XCTAssertEqual(all.last?.name, "manifest.json")
        XCTAssertEqual(Set(manifest.files.map(\.path)), Set(all.map(\.name)).subtracting(["manifest.json"]))
        for e in all where e.name != "manifest.json" {
            let listed = try XCTUnwrap(manifest.files.first { $0.path == e.name })
            XCTAssertEqual(listed.bytes, e.bytes.count, e.name)
            XCTAssertEqual(listed.sha256, sha256Hex(e.bytes), e.name)
        }
        XCTAssertEqual(manifest.controller.name, "SeqOps AB")
        XCTAssertEqual(manifest.generatedAt, "2026-01-01T00:00:00Z")
        let google = manifest.categories.first { $0.name == "technical" }?.recipients.contains { $0.contains("reCAPTCHA") }
        XCTAssertEqual(google, true)
    }

    /// Art. 15(4): staff names in ticket messages are other people's data; the bundle shows their role.
    func testStaffNamesAreRedactedInEveryCopyAndTheManifestSaysWhy() throws {
        let (store, config, dir) = try sampleStore(self)
        let result = try export(store, config, to: dir + "/out")
        let all = try entries(of: result.path)
        for (name, bytes) in all {
            for staff in ["Karin Berg", "Oskar Holm"] { XCTAssertNil(bytes.firstRange(of: staff.bytes), "\(staff) in \(name)") }
        }
        let json = String(decoding: all.first { $0.name == "json/ticket_messages.json" }!.bytes, as: UTF8.self)
        XCTAssertTrue(json.contains("\"author_role\":\"staff\",\"author_name\":\"staff\""), json)
        XCTAssertTrue(json.contains("Lindström-O'Brien"), "the subject's own name stays")
        let manifest = try Manifest.decode(all.first { $0.name == "manifest.json" }!.bytes)
        let note = try XCTUnwrap(manifest.categories.first { $0.name == "ticket_messages" }?.redactions?.first)
        XCTAssertEqual(note.field, "author_name")
        XCTAssertEqual(note.values, 2)
        XCTAssertTrue(note.reason.contains("15(4)"))
        XCTAssertTrue(try Importer(store: store).run(bundle: result.path).isEmpty, "redacted values are not changes")
    }
}
