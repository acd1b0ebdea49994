import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortCSV
import SeqPortModel
import SeqPortSQLite
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Issue #11: the integrity holes hostile and careless edits found, one test per numbered case.
/// Each of these failed on the main branch before the fix: the value, record or file was lost,
/// changed or hidden while the command exited 0.
final class IntegrityTests: XCTestCase {
    struct Fixture {
        var store: SQLiteStore
        var config: Configuration
        var dir: String
        var exported: String
    }

    func fixture() throws -> Fixture {
        let (store, config, dir) = try sampleStore(self)
        let exported = try export(store, config, to: dir + "/out").path
        return Fixture(store: store, config: config, dir: dir, exported: exported)
    }

    func run(_ store: any Store, _ bundle: String, apply: Bool = false, applyValid: Bool = false,
             configure: (inout ImportOptions) -> Void = { _ in }) throws -> ImportPlan {
        var options = ImportOptions()
        options.apply = apply
        options.applyValid = applyValid
        options.actor = "test"
        options.now = fixedTime
        configure(&options)
        return try Importer(store: store).run(bundle: bundle, options: options)
    }

    /// Writes a copy of a bundle after `change` edits its list of entries (add, drop, rename, replace).
    func repack(_ path: String, to out: String, _ change: (inout [(name: String, bytes: [UInt8])]) throws -> Void) throws {
        var all = try entries(of: path)
        try change(&all)
        let file = try AtomicFile(finalPath: out)
        let zip = ZipWriter(sink: file.sink)
        for e in all { try zip.addEntry(e.name, bytes: e.bytes) }
        try zip.finish()
        try file.commit()
    }

    /// The manifest as a JSON object, changed by `change`, written back (keys sorted).
    func changingManifest(_ path: String, to out: String, _ change: (inout [String: Any]) -> Void) throws {
        try repack(path, to: out) { all in
            let i = all.firstIndex { $0.name == "manifest.json" }!
            var object = try JSONSerialization.jsonObject(with: Data(all[i].bytes)) as! [String: Any]
            change(&object)
            all[i].bytes = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
    }

    func assertThrows(_ code: SeqPortError.Code, mentioning: [String] = [], _ body: () throws -> Void,
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let e = error as? SeqPortError else { return XCTFail("not a SeqPortError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.code, code, "\(e)", file: file, line: line)
            for m in mentioning { XCTAssertTrue(e.description.contains(m), "\(e) does not mention \(m)", file: file, line: line) }
            XCTAssertFalse(e.description.contains("\n"), "one line: \(e)", file: file, line: line)
        }
    }

    // MARK: 1. NUL

    func testAValueHoldingNULIsStoredAndAuditedWholeAndImportingAgainFindsNothing() throws {
        let f = try fixture()
        let edited = f.dir + "/nul.zip"
        let value = "Dr \u{0}PhD\u{0}"
        try edit(f.exported, to: edited, category: "professional", format: .json, config: f.config) { records, layout in
            records[0][layout.index(of: "job_title")!] = .text(value)
        }
        let plan = try run(f.store, edited, apply: true)
        XCTAssertTrue(plan.applied, plan.renderText())
        XCTAssertEqual(plan.changes.map(\.new), [value])
        let stored = try f.store.withSnapshot { snap -> String? in
            var out: String?
            let c = f.store.schema.category(named: "professional")!
            try snap.forEachRecord(subject: "s-00001", in: c, fields: c.fields) { out = $0[c.layout(scope: .access).index(of: "job_title")!].text }
            return out
        }
        XCTAssertEqual(stored, value, "the store holds the value whole")
        let audit = try f.store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(audit.last?.newValue, value, "the audit holds the value whole")
        XCTAssertTrue(try run(f.store, edited).isEmpty, "importing the same bundle again finds nothing to change")
        // And a new export carries it back, byte for byte.
        let again = try export(f.store, f.config, to: f.dir + "/again").path
        let json = try entries(of: again).first { $0.name == "json/professional.json" }!.bytes
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("Dr \\u0000PhD\\u0000"))
    }

    func testAManifestSubjectWithNULAndControlCharactersIsRefused() throws {
        let f = try fixture()
        let out = f.dir + "/subject-nul.zip"
        try changingManifest(f.exported, to: out) { $0["subject"] = "s-00001\u{0}\u{1b}[2J" }
        assertThrows(.bundleManifest, mentioning: ["$.subject", "control"]) { _ = try self.run(f.store, out) }
        let report = try Verifier().verify(path: out)
        XCTAssertEqual(report.problems.first?.code, "bundle.manifest")
    }

    // MARK: 2. Stale bundle

    func testAStaleBundleNeverDeletesARecordAddedAfterTheExport() throws {
        let f = try fixture()
        let emails = f.store.schema.category(named: "email_addresses")!
        try f.store.withTransaction { tx in
            try tx.insertRecord(subject: "s-00001", in: emails, fields: emails.fields,
                                values: emails.fields.map { $0.name == "id" ? .text("e-added-later") : $0.name == "address" ? .text("later@example.com")
                                    : $0.name == "is_primary" ? .text("false") : $0.name == "label" ? .text("work") : .null })
        }
        // The subject edits something else and sends the (now stale) bundle back.
        let edited = f.dir + "/stale.zip"
        try edit(f.exported, to: edited, category: "professional", format: .csv, config: f.config) { records, layout in
            records[0][layout.index(of: "job_title")!] = "Engineer"
        }
        let plan = try run(f.store, edited, apply: true)
        XCTAssertFalse(plan.changes.contains { $0.action == .delete }, plan.renderText())
        XCTAssertEqual(plan.notes.map(\.key), ["e-added-later"])
        XCTAssertEqual(plan.notes.first?.kind, "kept")
        XCTAssertTrue(plan.applied)
        XCTAssertNotNil(try f.store.withSnapshot { try $0.record(subject: "s-00001", in: emails, key: "e-added-later", fields: emails.fields) })
    }

    func testABundleRecordWhoseStoreRecordWasRemovedSinceTheExportIsAConflictNotAnInsert() throws {
        let f = try fixture()
        let emails = f.store.schema.category(named: "email_addresses")!
        let first = try f.store.withSnapshot { snap -> String in
            var keys: [String] = []
            try snap.forEachRecord(subject: "s-00001", in: emails, fields: emails.fields) { keys.append($0[0].text!) }
            return keys[0]
        }
        _ = try f.store.withTransaction { try $0.delete(subject: "s-00001", in: emails, key: first) }
        let plan = try run(f.store, f.exported)
        XCTAssertFalse(plan.changes.contains { $0.action == .insert }, plan.renderText())
        XCTAssertEqual(plan.refusals.map(\.code), ["import.conflict"])
        XCTAssertEqual(plan.refusals.first?.key, first)
    }

    // MARK: 3. Fingerprints removed or forged

    func testRemovingTheFingerprintsFileIsRefusedEvenWhenTheManifestNoLongerNamesIt() throws {
        let f = try fixture()
        let dropped = f.dir + "/no-fingerprints.zip"
        try repack(f.exported, to: dropped) { $0.removeAll { $0.name == "fingerprints/email_addresses.csv" } }
        assertThrows(.importFingerprintsMissing, mentioning: ["fingerprints/email_addresses.csv"]) { _ = try self.run(f.store, dropped) }

        let unnamed = f.dir + "/unnamed-fingerprints.zip"
        try changingManifest(dropped, to: unnamed) { m in
            var categories = m["categories"] as! [[String: Any]]
            for i in categories.indices where categories[i]["name"] as? String == "email_addresses" { categories[i].removeValue(forKey: "fingerprints") }
            m["categories"] = categories
        }
        assertThrows(.importFingerprintsMissing, mentioning: ["email_addresses"]) { _ = try self.run(f.store, unnamed) }
    }

    func testAFingerprintForAKeyNeitherInTheStoreNorInTheBundleIsRefused() throws {
        let f = try fixture()
        let out = f.dir + "/forged-fingerprint.zip"
        try repack(f.exported, to: out) { all in
            let i = all.firstIndex { $0.name == "fingerprints/email_addresses.csv" }!
            all[i].bytes += Array("nobody-has-this-key,00000000000000000000000000000000\r\n".utf8)
        }
        // The manifest's checksum no longer matches: changed fingerprints are refused as such.
        assertThrows(.importFingerprintsChanged) { _ = try self.run(f.store, out) }
        // With the checksum made to match (a partner or a careful forger), the unknown key is refused.
        let fixed = f.dir + "/forged-fingerprint-fixed.zip"
        try rewriteBundle(out, to: fixed, replacing: [:], updateManifest: true)
        let plan = try run(f.store, fixed)
        XCTAssertEqual(plan.refusals.map(\.code), ["import.fingerprint-unknown"], plan.renderText())
    }

    // MARK: 4. Attachment paths

    func testAttachmentIdsThatReduceToTheSamePathOrDifferByCaseKeepBothFiles() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 2)
        let contacts = store.schema.category(named: "contact")!
        let messages = store.schema.category(named: "ticket_messages")!
        let files = store.schema.files!
        let ids = ["a/b", "a_b", "X", "x"]
        try store.withTransaction { tx in
            for (n, id) in ids.enumerated() {
                try tx.insert(table: files.table, columns: [files.key, files.subject, files.name, files.mediaType, files.content],
                              values: [.text(id), .text("s-00001"), .text("same.txt"), .text("text/plain"), .blob(Array("file \(n)".utf8))])
            }
            _ = try tx.update(subject: "s-00001", in: contacts, key: "c-s-00001", set: [(contacts.fields.first { $0.name == "photo" }!, .text("a/b"))])
            var keys: [String] = []
            try tx.forEachRecord(subject: "s-00001", in: messages, fields: messages.fields) { keys.append($0[0].text!) }
            XCTAssertGreaterThanOrEqual(keys.count, 3)
            for (k, id) in zip(keys, ["a_b", "X", "x"]) {
                _ = try tx.update(subject: "s-00001", in: messages, key: k, set: [(messages.fields.first { $0.name == "attachment" }!, .text(id))])
            }
        }
        let bundle = try export(store, config, to: dir + "/out").path
        let all = try entries(of: bundle)
        let attached = all.filter { $0.name.hasPrefix("files/") && !$0.name.hasSuffix("/") }
        let folders = Set(attached.map { $0.name.split(separator: "/").dropLast().joined(separator: "/").lowercased() })
        XCTAssertEqual(folders.count, attached.count, "no two files share a folder, even ignoring case: \(attached.map(\.name))")
        for n in ids.indices { XCTAssertTrue(attached.contains { $0.bytes == Array("file \(n)".utf8) }, "file \(n) is in the bundle") }
        // Each record points at its own file.
        let json = try JSONSerialization.jsonObject(with: Data(all.first { $0.name == "json/ticket_messages.json" }!.bytes)) as! [[String: Any]]
        let pointed = json.compactMap { $0["attachment"] as? String }
        for (n, id) in ids.enumerated().dropFirst() {
            XCTAssertTrue(pointed.contains { p in all.first { $0.name == p }?.bytes == Array("file \(n)".utf8) }, "a record points at the file of \(id)")
        }
        XCTAssertTrue(try Verifier().verify(path: bundle).sound)
        XCTAssertTrue(try run(store, bundle).isEmpty)
    }

    // MARK: 5. Duplicate keys in the manifest

    func testDuplicateKeysAnywhereInTheManifestAreRefusedWithTheirPath() throws {
        let f = try fixture()
        let out = f.dir + "/duplicate-subject.zip"
        try repack(f.exported, to: out) { all in
            let i = all.firstIndex { $0.name == "manifest.json" }!
            var text = String(decoding: all[i].bytes, as: UTF8.self)
            XCTAssertTrue(text.contains("  \"subject\" : \"s-00001\"\n}"))
            text = text.replacingOccurrences(of: "  \"subject\" : \"s-00001\"\n}", with: "  \"subject\" : \"s-00001\",\n  \"subject\" : \"s-00002\"\n}")
            all[i].bytes = Array(text.utf8)
        }
        assertThrows(.jsonDuplicateKey, mentioning: ["manifest.json", "$", "subject"]) { _ = try self.run(f.store, out) }
        XCTAssertEqual(try Verifier().verify(path: out).problems.first?.code, "json.duplicate-key")

        let nested = f.dir + "/duplicate-nested.zip"
        try repack(f.exported, to: nested) { all in
            let i = all.firstIndex { $0.name == "manifest.json" }!
            var text = String(decoding: all[i].bytes, as: UTF8.self)
            text = text.replacingOccurrences(of: "\"allowDelete\" : true,", with: "\"allowDelete\" : true, \"allowDelete\" : false,")
            all[i].bytes = Array(text.utf8)
        }
        assertThrows(.jsonDuplicateKey, mentioning: ["$.categories["]) { _ = try self.run(f.store, nested) }
    }

    // MARK: 6. A category listed twice

    func testACategoryListedTwiceInTheManifestIsRefused() throws {
        let f = try fixture()
        let out = f.dir + "/twice.zip"
        try changingManifest(f.exported, to: out) { m in
            var categories = m["categories"] as! [[String: Any]]
            categories.append(categories.first { $0["name"] as? String == "email_addresses" }!)
            m["categories"] = categories
        }
        assertThrows(.bundleManifest, mentioning: ["email_addresses", "twice"]) { _ = try self.run(f.store, out) }
    }

    // MARK: 7. Bounded memory

    func testAnEditableCategoryBeyondTheLimitStopsTheImportBeforeMemoryIsAProblem() throws {
        let f = try fixture()
        let edited = f.dir + "/many-inserts.zip"
        try edit(f.exported, to: edited, category: "email_addresses", format: .json, config: f.config) { records, layout in
            for n in 0..<30 {
                var r = records[0]
                r[layout.index(of: "id")!] = .text("e-new-\(n)")
                r[layout.index(of: "verified_at")!] = .null
                records.append(r)
            }
        }
        let before = try dump(f.store)
        assertThrows(.importTooLarge, mentioning: ["json/email_addresses.json", "--max-editable-records"]) {
            _ = try self.run(f.store, edited, apply: true) { $0.maxEditableRecords = 20 }
        }
        XCTAssertEqual(try dump(f.store), before)
        // Within the limit the same bundle plans its 30 inserts.
        XCTAssertEqual(try run(f.store, edited).changes.filter { $0.action == .insert }.count, 30)
    }

    // MARK: 8. Terminal-safe plan

    func testThePlanPrintsNoRawControlOrBidiCharacters() throws {
        let f = try fixture()
        let step = f.dir + "/terminal-1.zip"
        let edited = f.dir + "/terminal.zip"
        let evilKey = "e-1\u{1b}[2J\r\nrefused nothing: 0 changes\u{202e}"
        try edit(f.exported, to: step, category: "email_addresses", format: .json, config: f.config) { records, layout in
            var r = records[0]
            r[layout.index(of: "id")!] = .text(evilKey)
            r[layout.index(of: "verified_at")!] = .null
            r[layout.index(of: "address")!] = .text("new@example.com")
            records.append(r)
        }
        try edit(step, to: edited, category: "professional", format: .json, config: f.config) { records, layout in
            records[0][layout.index(of: "job_title")!] = .text("\u{202e}reganaM\u{7}")
            records[0][layout.index(of: "company")!] = .text(String(repeating: "x", count: 5000))
        }
        let plan = try run(f.store, edited)
        let text = plan.renderText()
        XCTAssertFalse(text.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" }, text)
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("refused nothing") }.count, 0, "no painted line")
        XCTAssertTrue(text.contains("\\u{1b}[2J\\r\\nrefused nothing"), text)
        XCTAssertTrue(text.contains("\\u{202e}reganaM\\u{7}"), text)
        XCTAssertTrue(text.contains("…(4800 more characters)"), "long values are shortened, saying so")
        // The plan itself (and so --json) keeps every value whole.
        XCTAssertTrue(plan.changes.contains { $0.new?.count == 5000 })
    }

    func testErrorLinesEscapeEntryNamesFromTheBundle() {
        let e = SeqPortError(.bundleExtra, "entry is not listed in the manifest", at: SourceLocation(entry: "csv/x\u{1b}]0;pwned\u{7}\u{202e}.csv"))
        XCTAssertFalse(e.description.unicodeScalars.contains(where: TerminalText.isUnsafe), e.description)
    }

    // MARK: 9. Invalid UTF-8 in the store

    func testInvalidUTF8InAStoreTextColumnIsBadDataNamingTableKeyAndField() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 2)
        try executeRawSQL(dir + "/store.sqlite", "UPDATE professional_profiles SET job_title = CAST(x'4368656620ff66' AS TEXT) WHERE subject_id = 's-00001'")
        assertThrows(.storeBadData, mentioning: ["professional_profiles", "job_title", "UTF-8"]) { _ = try export(store, config, to: dir + "/out") }
    }

    // MARK: 10. A corrected copy under a new name

    func testACorrectedCopySavedUnderANewNameStopsTheImportNamingIt() throws {
        let f = try fixture()
        let out = f.dir + "/renamed.zip"
        try repack(f.exported, to: out) { all in
            let csv = all.first { $0.name == "csv/contact.csv" }!.bytes
            all.append((name: "csv/contact (corrected).csv", bytes: csv + Array("x".utf8)))
            all.append((name: "__MACOSX/._index.html", bytes: [0, 5, 22, 7]))   // what macOS adds is not a copy
        }
        assertThrows(.importUnlistedCopy, mentioning: ["csv/contact (corrected).csv", "csv/contact.csv"]) { _ = try self.run(f.store, out) }
    }

    // MARK: 11. Valid changes beside refusals

    func testThePlanShowsValidChangesBesideRefusalsAndApplyValidAppliesOnlyThose() throws {
        let f = try fixture()
        let edited = f.dir + "/mixed.zip"
        try edit(f.exported, to: edited, category: "contact", format: .json, config: f.config) { records, layout in
            records[0][layout.index(of: "phone")!] = .text("0701234567")                    // rectifiable
            records[0][layout.index(of: "created_at")!] = .text("2020-01-01T00:00:00Z")    // not rectifiable
        }
        let before = try dump(f.store)
        let dry = try run(f.store, edited, apply: true)
        XCTAssertFalse(dry.applied)
        XCTAssertEqual(dry.changes.map(\.field), ["phone"])
        XCTAssertEqual(dry.refusals.map(\.field), ["created_at"])
        XCTAssertEqual(dry.refusals.first?.asked, "2020-01-01T00:00:00Z", "the refusal says what was asked")
        XCTAssertTrue(dry.renderText().contains("asked \"2020-01-01T00:00:00Z\""))
        XCTAssertTrue(dry.renderText().contains("--apply-valid"))
        XCTAssertEqual(try dump(f.store), before, "--apply applies nothing when anything is refused")

        let valid = try run(f.store, edited, applyValid: true)
        XCTAssertTrue(valid.applied)
        XCTAssertTrue(valid.appliedValidOnly)
        let audit = try f.store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(audit.map(\.action).sorted(), ["refused:import.not-rectifiable", "update"])
        XCTAssertEqual(audit.first { $0.action == "update" }?.newValue, "0701234567")
        XCTAssertEqual(audit.first { $0.action.hasPrefix("refused") }?.newValue, "2020-01-01T00:00:00Z")
    }

    func testARefusalForAnotherSubjectsKeyNeverShowsTheirStoredValues() throws {
        let f = try fixture()
        let emails = f.store.schema.category(named: "email_addresses")!
        var other: Record?
        try f.store.withSnapshot { snap in
            try snap.forEachRecord(subject: "s-00002", in: emails, fields: emails.layout(scope: .access).fields) { if other == nil { other = $0 } }
        }
        let otherKey = other![0].text!
        let otherAddress = other![1].text!
        let edited = f.dir + "/foreign.zip"
        try edit(f.exported, to: edited, category: "email_addresses", format: .json, config: f.config) { records, layout in
            var r = records[0]
            r[layout.index(of: "id")!] = .text(otherKey)
            r[layout.index(of: "verified_at")!] = .null
            records.append(r)
        }
        let plan = try run(f.store, edited)
        XCTAssertEqual(plan.refusals.map(\.code), ["import.foreign-record"])
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        XCTAssertFalse(plan.renderText().contains(otherAddress))
        XCTAssertFalse(json.contains(otherAddress))
    }

    // MARK: 12. convert guards header cells

    func testUntypedConvertGuardsAHeaderCellLikeADataCellAndReadsItBack() throws {
        let dir = try temporaryDirectory(self)
        let input = dir + "/in.json"
        try Data("[{\"=HYPERLINK(\\\"x\\\")\": \"=1+1\"}]".utf8).write(to: URL(fileURLWithPath: input))
        let out = dir + "/out.csv"
        try Converter.convert(path: input, from: .json, to: .csv, layout: nil, out: out)
        let csv = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)
        XCTAssertTrue(csv.contains("'=HYPERLINK"), csv)
        XCTAssertTrue(csv.contains("'=1+1"), csv)
        var reader = try CSVReader(source: try FileSource(path: out), layout: nil)
        XCTAssertEqual(reader.layout.fields.map(\.name), ["=HYPERLINK(\"x\")"])
        XCTAssertEqual(try reader.next()?.values, [.text("=1+1")])
    }

    // MARK: 13. verify counts what the copies hold

    func testVerifyCountsTheRecordsEachCopyHolds() throws {
        let f = try fixture()
        let edited = f.dir + "/three.zip"
        var expected = 0
        try edit(f.exported, to: edited, category: "email_addresses", format: .csv, config: f.config) { records, layout in
            var r = records[0]
            r[layout.index(of: "id")!] = .text("e-extra")
            records.append(r)
            expected = records.count
        }
        let report = try Verifier().verify(path: edited)
        XCTAssertFalse(report.sound)
        XCTAssertEqual(report.copies["csv/email_addresses.csv"], expected)
        XCTAssertEqual(report.copies["json/email_addresses.json"], expected - 1)
        XCTAssertEqual(report.copies["xml/email_addresses.xml"], expected - 1)
        XCTAssertEqual(report.records["email_addresses"], expected)
    }
}
