import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortSQLite
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Hostile variants of a real exported bundle, built by the test itself: each is refused by `verify`
/// and by `import --apply` with its own code, in bounded time, with a message that names the entry
/// (and line and field where there is one) and never a personal value, and the store is unchanged.
final class HostileBundleTests: XCTestCase {
    /// A value no message may ever contain.
    static let marker = "Zelda Marker-Value"
    static let timeBound: TimeInterval = 5

    struct Fixture {
        var store: SQLiteStore
        var config: Configuration
        var dir: String
        /// The bundle as exported, then with one real edit (so a partial apply would show).
        var exported: String
        var edited: String
    }

    func fixture() throws -> Fixture {
        let (store, config, dir) = try sampleStore(self)
        let exported = try export(store, config, to: dir + "/out").path
        let edited = dir + "/edited.zip"
        try edit(exported, to: edited, category: "professional", format: .json, config: config) { records, layout in
            records[0][layout.index(of: "job_title")!] = .text("Chief Scientist")
        }
        return Fixture(store: store, config: config, dir: dir, exported: exported, edited: edited)
    }

    // MARK: Assertions

    /// What a refusal must look like.
    struct Expected {
        var verify: String?
        var `import`: String?
        /// Texts the refusal's message must contain (the entry, line, field).
        var mentions: [String] = []
        /// Texts it must not contain (personal values, secrets).
        var never: [String] = [HostileBundleTests.marker]
    }

    /// Verifies and imports `path` (with `--apply`), and checks both refuse as expected and the store is unchanged.
    func assertRefused(_ path: String, _ f: Fixture, _ expected: Expected, file: StaticString = #filePath, line: UInt = #line) {
        let label = (path as NSString).lastPathComponent
        if let code = expected.verify {
            let start = Date()
            let message: String?
            do {
                let report = try Verifier().verify(path: path)
                let problem = report.problems.first { $0.code == code }
                XCTAssertNotNil(problem, "\(label): verify should report \(code), got \(report.problems.map(\.code))", file: file, line: line)
                message = problem?.message
            } catch let e as SeqPortError {
                XCTAssertEqual(e.code.rawValue, code, "\(label): verify threw \(e.code): \(e)", file: file, line: line)
                message = e.description
            } catch {
                XCTFail("\(label): verify threw a non-seqport error \(error)", file: file, line: line)
                message = nil
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), Self.timeBound, "\(label): verify took too long", file: file, line: line)
            check(message, expected, label: "\(label) verify", file: file, line: line)
        }
        if let code = expected.import {
            let before: [String]
            do { before = try dump(f.store) } catch { return XCTFail("dump: \(error)", file: file, line: line) }
            var options = ImportOptions()
            options.apply = true
            options.actor = "test"
            options.now = fixedTime
            let start = Date()
            var message: String?
            do {
                let plan = try Importer(store: f.store).run(bundle: path, options: options)
                XCTAssertFalse(plan.applied, "\(label): a refused import was applied", file: file, line: line)
                let refusal = plan.refusals.first { $0.code == code }
                XCTAssertNotNil(refusal, "\(label): import should refuse with \(code), got \(plan.refusals.map(\.code)): \(plan.renderText())", file: file, line: line)
                message = refusal.map { "\($0)" }
            } catch let e as SeqPortError {
                XCTAssertEqual(e.code.rawValue, code, "\(label): import threw \(e.code): \(e)", file: file, line: line)
                message = e.description
            } catch {
                XCTFail("\(label): import threw a non-seqport error \(error)", file: file, line: line)
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), Self.timeBound, "\(label): import took too long", file: file, line: line)
            check(message, expected, label: "\(label) import", file: file, line: line)
            let after = (try? dump(f.store)) ?? []
            XCTAssertTrue(after == before, "\(label): the store changed: \(Self.difference(before, after))", file: file, line: line)
        }
    }

    /// The lines of a store dump that differ, for short failure messages.
    static func difference(_ before: [String], _ after: [String]) -> String {
        let b = Set(before), a = Set(after)
        return "removed \(b.subtracting(a).sorted().prefix(3)), added \(a.subtracting(b).sorted().prefix(3))"
    }

    func check(_ message: String?, _ expected: Expected, label: String, file: StaticString, line: UInt) {
        guard let message else { return }
        XCTAssertFalse(message.contains("\n"), "\(label): more than one line: \(message)", file: file, line: line)
        for m in expected.mentions {
            XCTAssertTrue(message.contains(m), "\(label): message should mention \(m): \(message)", file: file, line: line)
        }
        for n in expected.never {
            XCTAssertFalse(message.contains(n), "\(label): message leaks \(n): \(message)", file: file, line: line)
        }
    }

    /// A copy of the edited bundle with `entry` replaced (the manifest keeps the old checksums, as a subject's edit would).
    func replacing(_ f: Fixture, _ entry: String, _ bytes: [UInt8], name: String) throws -> String {
        let out = f.dir + "/\(name).zip"
        try rewriteBundle(f.edited, to: out, replacing: [entry: bytes])
        return out
    }

    func text(_ f: Fixture, _ entry: String) throws -> String {
        String(decoding: try entries(of: f.edited).first { $0.name == entry }!.bytes, as: UTF8.self)
    }

    /// A hand-built (stored) archive of the edited bundle's entries, which the test can make lie.
    func handBuilt(_ f: Fixture, name: String, _ change: (inout HostileZip) throws -> Void) throws -> String {
        var zip = HostileZip(try entries(of: f.edited).map { HostileZip.Entry($0.name, $0.bytes) })
        try change(&zip)
        let out = f.dir + "/\(name).zip"
        FileManager.default.createFile(atPath: out, contents: Data(zip.bytes()))
        return out
    }

    // MARK: The builder itself

    func testTheHandBuiltCopyOfABundleIsSoundAndImportsItsEdit() throws {
        let f = try fixture()
        let path = try handBuilt(f, name: "baseline") { _ in }
        let report = try Verifier().verify(path: path)
        XCTAssertFalse(report.problems.contains { $0.code.hasPrefix("zip.") }, "\(report.problems)")
        XCTAssertTrue(report.problems.contains { $0.code == "bundle.checksum" }, "the edited entry differs from the manifest")
        var options = ImportOptions()
        options.now = fixedTime
        let plan = try Importer(store: f.store).run(bundle: path, options: options)
        XCTAssertEqual(plan.changes.count, 1, plan.renderText())
        XCTAssertTrue(plan.isApplicable)
    }

    // MARK: Archives

    func testZipSlipNamesAreRefused() throws {
        let f = try fixture()
        for (i, name) in ["../../evil.sh", "/etc/cron.d/evil", "json/../../evil.json", "..\\evil.txt"].enumerated() {
            let path = try handBuilt(f, name: "slip-\(i)") { $0.entries.append(.init(name, Array("x".utf8))) }
            assertRefused(path, f, Expected(verify: "zip.unsafe-name", import: "zip.unsafe-name", mentions: ["evil"]))
        }
    }

    func testNamesDifferingInCaseOrNormalizationAreDuplicates() throws {
        let f = try fixture()
        let path = try handBuilt(f, name: "dup-case") { $0.entries.append(.init("JSON/contact.json", Array("[]".utf8))) }
        assertRefused(path, f, Expected(verify: "zip.duplicate-name", import: "zip.duplicate-name", mentions: ["contact.json"]))
        let nfc = try handBuilt(f, name: "dup-nfc") {
            $0.entries.append(.init("caf\u{E9}.txt", Array("x".utf8)))
            $0.entries.append(.init("cafe\u{301}.txt", Array("x".utf8)))
        }
        assertRefused(nfc, f, Expected(verify: "zip.duplicate-name", import: "zip.duplicate-name", mentions: ["caf"]))
    }

    func testRatioBombEntryIsRefusedBeforeItIsInflated() throws {
        let f = try fixture()
        // 64 MiB of zeros deflates about 1000:1: past the 16 MiB threshold and far over 200:1.
        let path = try replacing(f, "json/contact.json", [UInt8](repeating: 0x20, count: 64 << 20), name: "ratio-bomb")
        assertRefused(path, f, Expected(verify: "zip.ratio-exceeded", import: "zip.ratio-exceeded", mentions: ["json/contact.json"]))
    }

    func testOverlappingEntriesAreRefused() throws {
        let f = try fixture()
        let path = try handBuilt(f, name: "overlap") { zip in
            zip.entries[1].centralOffsetOf = 0 // the second entry's record points at the first entry's local header
        }
        assertRefused(path, f, Expected(verify: "zip.overlapping-entries", import: "zip.overlapping-entries"))
    }

    func testZip64EndRecordLyingAboutTheCountIsRefused() throws {
        let f = try fixture()
        let path = try handBuilt(f, name: "zip64-count") { $0.zip64Count = UInt64($0.entries.count + 1) }
        assertRefused(path, f, Expected(verify: "zip.bad-zip64", import: "zip.bad-zip64"))
    }

    func testZip64ExtraLyingAboutTheOffsetIsRefused() throws {
        let f = try fixture()
        let path = try handBuilt(f, name: "zip64-offset") { zip in
            zip.entries[1].centralOffsetOverride = 0xFFFF_FFFF
            zip.entries[1].centralExtra = HostileZip.zip64Extra([1 << 40])
        }
        assertRefused(path, f, Expected(verify: "zip.bad-zip64", import: "zip.bad-zip64"))
    }

    func testZip64SentinelSizesWithoutAnExtraAreRefused() throws {
        let f = try fixture()
        let path = try handBuilt(f, name: "zip64-sentinel") { zip in
            zip.entries[2].uncompressedSizeOverride = 0xFFFF_FFFF
        }
        assertRefused(path, f, Expected(verify: "zip.bad-zip64", import: "zip.bad-zip64"))
    }

    // MARK: XML

    func testXMLWithADoctypeExternalEntityOrEntityBombIsRefused() throws {
        let f = try fixture()
        let documents = [
            "xxe": #"<?xml version="1.0"?><!DOCTYPE contact [<!ENTITY x SYSTEM "file:///etc/passwd">]><contact>&x;</contact>"#,
            "laughs": #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><lolz>&lol9;</lolz>"#,
            "dtd-only": #"<?xml version="1.0"?><!DOCTYPE contact SYSTEM "http://attacker.example/evil.dtd"><contact/>"#,
        ]
        for (name, xml) in documents.sorted(by: { $0.key < $1.key }) {
            let path = try replacing(f, "xml/contact.xml", Array(xml.utf8), name: "xml-\(name)")
            assertRefused(path, f, Expected(verify: "xml.dtd", import: "xml.dtd", mentions: ["xml/contact.xml", "line 1"]))
        }
    }

    // MARK: JSON

    /// The JSON text with the first value of `key` replaced by `value` (raw JSON).
    func replacingJSONValue(_ json: String, key: String, with value: String) throws -> String {
        let bytes = Array(json.utf8)
        let needle = Array("\"\(key)\"".utf8)
        guard var i = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<$0 + needle.count]) == needle }) else {
            throw XCTSkip("no \(key) in the document")
        }
        i += needle.count
        while bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 || bytes[i] == 0x3A { i += 1 }
        let start = i
        if bytes[i] == 0x22 {
            i += 1
            while bytes[i] != 0x22 { i += bytes[i] == 0x5C ? 2 : 1 }
            i += 1
        } else {
            while ![0x2C, 0x7D, 0x5D, 0x20, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }
        return String(decoding: bytes[..<start] + Array(value.utf8) + bytes[i...], as: UTF8.self)
    }

    /// Records are an array of flat objects, so the reader refuses the second `[` as not a record, long
    /// before the depth limit, and never recurses.
    func testJSONNestedOneHundredThousandArraysDeepIsRefusedQuickly() throws {
        let f = try fixture()
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let path = try replacing(f, "json/contact.json", Array(deep.utf8), name: "json-deep")
        assertRefused(path, f, Expected(verify: "json.not-records", import: "json.not-records", mentions: ["json/contact.json", "line 1"]))
        let objects = String(repeating: "[{\"id\":", count: 50_000) + "1" + String(repeating: "}]", count: 50_000)
        let nested = try replacing(f, "json/contact.json", Array(objects.utf8), name: "json-deep-objects")
        assertRefused(nested, f, Expected(verify: "json.not-flat", import: "json.not-flat", mentions: ["json/contact.json", "line 1", "id"]))
    }

    func testJSONDuplicateKeyIsRefused() throws {
        let f = try fixture()
        let json = try text(f, "json/contact.json")
        let i = json.range(of: "\"id\"")!.lowerBound
        let dup = String(json[..<i]) + "\"full_name\": \"\(Self.marker)\", " + String(json[i...])
        let path = try replacing(f, "json/contact.json", Array(dup.utf8), name: "json-dup")
        assertRefused(path, f, Expected(verify: "json.duplicate-key", import: "json.duplicate-key", mentions: ["json/contact.json", "line ", "full_name"]))
    }

    func testJSONLoneSurrogateIsRefused() throws {
        let f = try fixture()
        let json = try replacingJSONValue(try text(f, "json/contact.json"), key: "full_name", with: "\"Zelda \\uD800\"")
        let path = try replacing(f, "json/contact.json", Array(json.utf8), name: "json-surrogate")
        assertRefused(path, f, Expected(verify: "json.lone-surrogate", import: "json.lone-surrogate", mentions: ["json/contact.json", "line "]))
    }

    func testJSONNumberOutOfRangeIsRefused() throws {
        let f = try fixture()
        let json = try replacingJSONValue(try text(f, "json/usage_events.json"), key: "duration_ms", with: "99999999999999999999999999")
        let path = try replacing(f, "json/usage_events.json", Array(json.utf8), name: "json-range")
        assertRefused(path, f, Expected(verify: "value.range", import: "value.range", mentions: ["json/usage_events.json", "line ", "duration_ms"],
                                        never: ["99999999999999999999999999"]))
    }

    // MARK: CSV

    /// The CSV text with one row appended; the expected line of that row.
    func appendingRow(_ csv: String, _ row: String) -> (String, Int) {
        let body = csv.hasSuffix("\r\n") || csv.hasSuffix("\n") ? csv : csv + "\r\n"
        let line = body.utf8.filter { $0 == 0x0A }.count + 1
        return (body + row + "\r\n", line)
    }

    func columns(_ csv: String) -> Int {
        csv.prefix { $0 != "\r" && $0 != "\n" }.split(separator: ",", omittingEmptySubsequences: false).count
    }

    func testCSVWithABareQuoteIsRefusedAtItsLine() throws {
        let f = try fixture()
        let csv = try text(f, "csv/contact.csv")
        let n = columns(csv)
        let (hostile, line) = appendingRow(csv, "c-hostile,Zelda \"Marker-Value" + String(repeating: ",x", count: n - 2))
        let path = try replacing(f, "csv/contact.csv", Array(hostile.utf8), name: "csv-bare")
        assertRefused(path, f, Expected(verify: "csv.bare-quote", import: "csv.bare-quote", mentions: ["csv/contact.csv", "line \(line)"]))
    }

    func testCSVWithAnUnterminatedQuoteIsRefused() throws {
        let f = try fixture()
        let csv = try text(f, "csv/contact.csv")
        let (hostile, line) = appendingRow(csv, "c-hostile,\"\(Self.marker),x")
        let path = try replacing(f, "csv/contact.csv", Array(hostile.utf8), name: "csv-unterminated")
        assertRefused(path, f, Expected(verify: "csv.unterminated-quote", import: "csv.unterminated-quote", mentions: ["csv/contact.csv", "line \(line)"]))
    }

    func testCSVRowWithTheWrongFieldCountIsRefused() throws {
        let f = try fixture()
        let csv = try text(f, "csv/contact.csv")
        let (hostile, line) = appendingRow(csv, "c-hostile,\(Self.marker)")
        let path = try replacing(f, "csv/contact.csv", Array(hostile.utf8), name: "csv-count")
        assertRefused(path, f, Expected(verify: "csv.field-count", import: "csv.field-count", mentions: ["csv/contact.csv", "line \(line)"]))
    }

    func testCSVWithAnExtraSecretColumnIsRefusedAndTheSecretNeverRead() throws {
        let f = try fixture()
        let csv = try text(f, "csv/account.csv")
        let lines = csv.components(separatedBy: "\r\n")
        let hostile = lines.enumerated().map { i, l in
            l.isEmpty ? l : l + (i == 0 ? ",password_hash" : ",$argon2id$SECRET-HASH-VALUE")
        }.joined(separator: "\r\n")
        let path = try replacing(f, "csv/account.csv", Array(hostile.utf8), name: "csv-secret")
        assertRefused(path, f, Expected(verify: "csv.header-mismatch", import: "csv.header-mismatch",
                                        mentions: ["csv/account.csv", "line 1", "password_hash"], never: ["SECRET-HASH-VALUE", Self.marker]))
    }

    // MARK: Manifest

    func manifestLying(_ f: Fixture, name: String, _ change: (inout Manifest) -> Void) throws -> String {
        var manifest = try Manifest.decode(try entries(of: f.edited).first { $0.name == "manifest.json" }!.bytes)
        change(&manifest)
        return try replacing(f, "manifest.json", try manifest.encoded(), name: name)
    }

    func testManifestLyingAboutARecordCountIsNotSound() throws {
        let f = try fixture()
        let path = try manifestLying(f, name: "manifest-count") { m in
            let i = m.categories.firstIndex { $0.name == "contact" }!
            m.categories[i].records += 7
        }
        assertRefused(path, f, Expected(verify: "bundle.count", mentions: ["contact"]))
    }

    func testManifestLyingAboutAChecksumIsNotSound() throws {
        let f = try fixture()
        let path = try manifestLying(f, name: "manifest-sha") { m in
            let i = m.files.firstIndex { $0.path == "csv/contact.csv" }!
            m.files[i].sha256 = String(repeating: "0", count: 64)
        }
        assertRefused(path, f, Expected(verify: "bundle.checksum", mentions: ["csv/contact.csv"]))
    }

    func testManifestNamingAnotherSubjectIsRefusedByImport() throws {
        let f = try fixture()
        let path = try manifestLying(f, name: "manifest-subject") { $0.subject = "s-00002" }
        assertRefused(path, f, Expected(import: "import.foreign-record"))
    }

    func testManifestNamingAnUnknownSubjectIsRefusedByImport() throws {
        let f = try fixture()
        let path = try manifestLying(f, name: "manifest-unknown") { $0.subject = "s-99999" }
        assertRefused(path, f, Expected(import: "store.unknown-subject", mentions: ["manifest.json"]))
    }

    func testGarbageManifestIsRefused() throws {
        let f = try fixture()
        let path = try replacing(f, "manifest.json", Array("{\"format\": [[[[".utf8), name: "manifest-garbage")
        assertRefused(path, f, Expected(verify: "bundle.manifest", import: "bundle.manifest", mentions: ["manifest.json"]))
    }

    // MARK: Store errors while applying

    func testAStoreErrorMidwayThroughApplyingLeavesTheStoreAsItWas() throws {
        let f = try fixture()
        let edited = f.dir + "/many.zip"
        try edit(f.exported, to: f.dir + "/one.zip", category: "professional", format: .json, config: f.config) { records, layout in
            for i in records.indices { records[i][layout.index(of: "job_title")!] = .text("Title \(i)") }
        }
        try edit(f.dir + "/one.zip", to: edited, category: "email_addresses", format: .json, config: f.config) { records, layout in
            for i in records.indices { records[i][layout.index(of: "address")!] = .text("new\(i)@example.com") }
        }
        let before = try dump(f.store)
        // Each changed field is one update and one audit entry: 3 fields, 6 writes.
        for failAfter in [0, 1, 2, 3, 5] {
            let failing = FailingStore(f.store, failAfterWrites: failAfter)
            var options = ImportOptions()
            options.apply = true
            options.now = fixedTime
            XCTAssertThrowsError(try Importer(store: failing).run(bundle: edited, options: options)) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
            }
            let after = try dump(f.store)
            XCTAssertTrue(after == before, "a store error after \(failAfter) writes left a partial import: \(Self.difference(before, after))")
        }
    }
}

/// A store that loses its connection after a number of writes inside a transaction.
final class FailingStore: Store {
    let base: SQLiteStore
    let failAfterWrites: Int
    init(_ base: SQLiteStore, failAfterWrites: Int) { self.base = base; self.failAfterWrites = failAfterWrites }
    var schema: Schema { base.schema }
    func subjectIDs() throws -> [String] { try base.subjectIDs() }
    func withSnapshot<R>(_ body: (any StoreSnapshot) throws -> R) throws -> R { try base.withSnapshot(body) }
    func withTransaction<R>(_ body: (any StoreTransaction) throws -> R) throws -> R {
        try base.withTransaction { tx in try body(Tx(base: tx, budget: failAfterWrites)) }
    }
    func initialize(createSchemaTables: Bool) throws { try base.initialize(createSchemaTables: createSchemaTables) }
    func storeVersion() throws -> Int? { try base.storeVersion() }

    final class Tx: StoreTransaction {
        let base: any StoreTransaction
        var budget: Int
        init(base: any StoreTransaction, budget: Int) { self.base = base; self.budget = budget }
        func spend() throws {
            if budget == 0 { throw SeqPortError(.storeConnection, "connection lost (injected by the test)") }
            budget -= 1
        }
        func subjectExists(_ subject: String) throws -> Bool { try base.subjectExists(subject) }
        func forEachRecord(subject: String, in category: SeqPortModel.Category, fields: [Field], _ body: (Record) throws -> Void) throws {
            try base.forEachRecord(subject: subject, in: category, fields: fields, body)
        }
        func record(subject: String, in category: SeqPortModel.Category, key: String, fields: [Field]) throws -> Record? {
            try base.record(subject: subject, in: category, key: key, fields: fields)
        }
        func owner(of key: String, in category: SeqPortModel.Category) throws -> String? { try base.owner(of: key, in: category) }
        func file(id: String, subject: String) throws -> StoredFile? { try base.file(id: id, subject: subject) }
        func auditEntries(subject: String) throws -> [AuditEntry] { try base.auditEntries(subject: subject) }
        func insert(table: String, columns: [String], values: [StoreValue]) throws {
            try spend(); try base.insert(table: table, columns: columns, values: values)
        }
        func update(subject: String, in category: SeqPortModel.Category, key: String, set: [(Field, Value)]) throws -> Int {
            try spend(); return try base.update(subject: subject, in: category, key: key, set: set)
        }
        func insertRecord(subject: String, in category: SeqPortModel.Category, fields: [Field], values: [Value]) throws {
            try spend(); try base.insertRecord(subject: subject, in: category, fields: fields, values: values)
        }
        func delete(subject: String, in category: SeqPortModel.Category, key: String) throws -> Int {
            try spend(); return try base.delete(subject: subject, in: category, key: key)
        }
        func appendAudit(_ entry: AuditEntry) throws { try spend(); try base.appendAudit(entry) }
        func newKey(in category: SeqPortModel.Category) throws -> String { try base.newKey(in: category) }
        var holdsNUL: Bool { base.holdsNUL }
    }
}

/// A byte-level builder of stored ZIP archives whose fields can lie (this target's own, after
/// `Tests/SeqPortArchiveTests/HandBuiltZip.swift`).
struct HostileZip {
    struct Entry {
        var name: [UInt8]
        var data: [UInt8]
        /// Make the central record point at the local header of the entry with this index.
        var centralOffsetOf: Int? = nil
        var centralOffsetOverride: UInt32? = nil
        var uncompressedSizeOverride: UInt32? = nil
        var centralExtra: [UInt8] = []

        init(_ name: String, _ data: [UInt8]) {
            self.name = Array(name.utf8)
            self.data = data
        }
    }

    var entries: [Entry]
    /// When set, a ZIP64 end record and locator are written with this count.
    var zip64Count: UInt64? = nil

    init(_ entries: [Entry]) { self.entries = entries }

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8((v >> UInt64(s)) & 0xFF)) } }
        var offsets: [UInt32] = []
        for e in entries {
            offsets.append(UInt32(out.count))
            u32(0x0403_4B50); u16(20); u16(0x0800); u16(0); u16(0); u16(0x21)
            u32(Self.crc32(e.data)); u32(UInt32(e.data.count)); u32(UInt32(e.data.count))
            u16(UInt16(e.name.count)); u16(0)
            out += e.name; out += e.data
        }
        let cdStart = UInt32(out.count)
        for (e, offset) in zip(entries, offsets) {
            u32(0x0201_4B50); u16(3 << 8 | 20); u16(20); u16(0x0800); u16(0); u16(0); u16(0x21)
            u32(Self.crc32(e.data)); u32(UInt32(e.data.count)); u32(e.uncompressedSizeOverride ?? UInt32(e.data.count))
            u16(UInt16(e.name.count)); u16(UInt16(e.centralExtra.count)); u16(0)
            u16(0); u16(0); u32(0o100644 << 16)
            u32(e.centralOffsetOverride ?? e.centralOffsetOf.map { offsets[$0] } ?? offset)
            out += e.name; out += e.centralExtra
        }
        let cdSize = UInt32(out.count) - cdStart
        if let zip64Count {
            let endOffset = UInt64(out.count)
            u32(0x0606_4B50); u64(44); u16(0x032D); u16(45); u32(0); u32(0)
            u64(zip64Count); u64(zip64Count); u64(UInt64(cdSize)); u64(UInt64(cdStart))
            u32(0x0706_4B50); u32(0); u64(endOffset); u32(1)
        }
        u32(0x0605_4B50); u16(0); u16(0)
        u16(UInt16(entries.count)); u16(UInt16(entries.count)); u32(cdSize); u32(cdStart); u16(0)
        return out
    }

    static func zip64Extra(_ values: [UInt64]) -> [UInt8] {
        var out: [UInt8] = [1, 0, UInt8(values.count * 8), 0]
        for v in values { for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8((v >> UInt64(s)) & 0xFF)) } }
        return out
    }

    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
