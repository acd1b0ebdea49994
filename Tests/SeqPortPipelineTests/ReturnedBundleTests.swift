import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Issue #12, items 4–6: bundles come back the way subjects' tools make them — CSV saved by a Swedish
/// spreadsheet, the folder zipped by the operating system, new records without a key.
final class ReturnedBundleTests: XCTestCase {
    func run(_ store: any Store, _ bundle: String, apply: Bool = false) throws -> ImportPlan {
        var options = ImportOptions()
        options.apply = apply
        options.actor = "test"
        options.now = fixedTime
        return try Importer(store: store).run(bundle: bundle, options: options)
    }

    /// Every entry of `bundle` rewritten by `change` (names and bytes), zipped again.
    func repack(_ bundle: String, to out: String, _ change: (String, [UInt8]) -> (String, [UInt8])?) throws {
        let file = try AtomicFile(finalPath: out)
        let zip = ZipWriter(sink: file.sink)
        for e in try entries(of: bundle) {
            if let (name, bytes) = change(e.name, e.bytes) { try zip.addEntry(name, bytes: bytes) }
        }
        try zip.finish()
        try file.commit()
    }

    /// A category's CSV as Swedish Excel saves it: BOM, `;` between cells, CRLF, TRUE/FALSE, empty
    /// strings as empty cells, no formula-guard apostrophes on values that need none.
    func spreadsheetCSV(_ bundle: String, _ category: String, config: Configuration, edit: (inout [[String?]]) -> Void = { _ in }) throws -> [UInt8] {
        let layout = config.schema.category(named: category)!.layout(scope: .access)
        let archive = try ZipReader(path: bundle)
        var reader = try BundleFormat.csv.makeReader(source: try archive.open(archive.entry(named: BundleLayout.data(category, .csv))!), layout: layout)
        var rows: [[String?]] = []
        while let r = try reader.next() {
            rows.append(zip(layout.fields, r.values).map { f, v in
                guard let t = v.text else { return nil }
                return f.type == .boolean ? t.uppercased() : t
            })
        }
        edit(&rows)
        var text = "\u{FEFF}" + layout.fields.map(\.name).joined(separator: ";") + "\r\n"
        for row in rows {
            text += row.map { cell -> String in
                guard let cell, !cell.isEmpty else { return "" }
                return cell.contains(";") || cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: ";") + "\r\n"
        }
        return Array(text.utf8)
    }

    func testASemicolonSaveWithTrueFalseAndEmptyCellsImportsAsExactlyTheOneEdit() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let layout = config.schema.category(named: "email_addresses")!.layout(scope: .access)
        let addressIndex = layout.index(of: "address")!
        let csv = try spreadsheetCSV(bundle, "email_addresses", config: config) { rows in rows[0][addressIndex] = "fixed@example.com" }
        let professional = try spreadsheetCSV(bundle, "professional", config: config)
        XCTAssertTrue(String(decoding: professional, as: UTF8.self).contains(";;"), "an empty string saved as an empty cell")
        let edited = dir + "/excel.zip"
        try repack(bundle, to: edited) { name, bytes in
            switch name {
            case "csv/email_addresses.csv": return (name, csv)
            case "csv/professional.csv": return (name, professional)
            default: return (name, bytes)
            }
        }
        let plan = try run(store, edited)
        XCTAssertEqual(plan.changes.map(\.field), ["address"], plan.renderText())
        XCTAssertEqual(plan.changes.first?.new, "fixed@example.com")
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText())
        XCTAssertTrue(plan.renderText().contains("separated by semicolons"), plan.renderText())
    }

    func testLeadingZerosDroppedByASpreadsheetAreRefusedNotApplied() throws {
        let (store, config, dir) = try sampleStore(self)
        let contact = config.schema.category(named: "contact")!
        let phone = contact.fields.first { $0.name == "phone" }!
        _ = try store.withTransaction { try $0.update(subject: "s-00001", in: contact, key: "c-s-00001", set: [(phone, .text("0701234567"))]) }
        let bundle = try export(store, config, to: dir + "/out").path
        let index = contact.layout(scope: .access).index(of: "phone")!
        let csv = try spreadsheetCSV(bundle, "contact", config: config) { rows in rows[0][index] = "701234567" }
        let edited = dir + "/zeros.zip"
        try repack(bundle, to: edited) { name, bytes in name == "csv/contact.csv" ? (name, csv) : (name, bytes) }
        let plan = try run(store, edited, apply: true)
        XCTAssertFalse(plan.applied)
        XCTAssertEqual(plan.refusals.map(\.code), ["import.suspect-value"], plan.renderText())
        XCTAssertEqual(plan.refusals.first?.asked, "701234567")
    }

    func testABundleZippedAsOneTopFolderWithMacLitterImportsLikeTheBundle() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let folder = dir + "/folder.zip"
        try repack(bundle, to: folder) { name, bytes in ("seqport-s-00001-access/" + name, bytes) }
        // What macOS adds beside the folder and inside it.
        let litter = dir + "/litter.zip"
        let all = try entries(of: folder) + [("__MACOSX/seqport-s-00001-access/._index.html", [0, 5, 22, 7]), ("seqport-s-00001-access/.DS_Store", [0, 0, 0, 1])]
        let file = try AtomicFile(finalPath: litter)
        let zip = ZipWriter(sink: file.sink)
        try zip.addEntry("seqport-s-00001-access/", bytes: [])
        for e in all { try zip.addEntry(e.0, bytes: e.1) }
        try zip.finish()
        try file.commit()
        for path in [folder, litter] {
            XCTAssertTrue(try run(store, path).isEmpty, path)
            let report = try Verifier().verify(path: path)
            XCTAssertTrue(report.sound, "\(path): \(report.problems)")
        }
    }

    /// PowerShell 5.1's `Compress-Archive` writes `\` separators; seqport's own writer never would, so
    /// these archives are built byte by byte (stored entries).
    func backslashed(_ bundle: String, to out: String, rename: (String) -> String) throws {
        let all = try entries(of: bundle).map { HostileZip.Entry(rename($0.name), $0.bytes) }
        FileManager.default.createFile(atPath: out, contents: Data(HostileZip(all).bytes()))
    }

    func testBackslashSeparatorsAreReadAsFoldersButStillMayNotClimbOut() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let windows = dir + "/powershell.zip"
        try backslashed(bundle, to: windows) { $0.replacingOccurrences(of: "/", with: "\\") }
        XCTAssertTrue(try run(store, windows).isEmpty)
        XCTAssertTrue(try Verifier().verify(path: windows).sound)
        let climbing = dir + "/climbing.zip"
        try backslashed(bundle, to: climbing) { $0 == "index.html" ? "..\\..\\index.html" : $0 }
        XCTAssertThrowsError(try run(store, climbing)) { XCTAssertEqual(($0 as? SeqPortError)?.code, .zipUnsafeName, "\($0)") }
        let drive = dir + "/drive.zip"
        try backslashed(bundle, to: drive) { $0 == "index.html" ? "C:\\index.html" : $0 }
        XCTAssertThrowsError(try run(store, drive)) { XCTAssertEqual(($0 as? SeqPortError)?.code, .zipUnsafeName, "\($0)") }
        // Without the bundle reader's option, the archive reader still refuses every backslash.
        XCTAssertThrowsError(try ZipReader(path: windows)) { XCTAssertEqual(($0 as? SeqPortError)?.code, .zipUnsafeName, "\($0)") }
    }

    func testAnArchiveWithoutAManifestSaysHowToZipTheFolder() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let broken = dir + "/no-manifest.zip"
        try repack(bundle, to: broken) { name, bytes in name == "manifest.json" ? nil : ("a/" + name, bytes) }
        XCTAssertThrowsError(try run(store, broken)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .bundleMissing)
            XCTAssertTrue("\(error)".contains("zip the unzipped bundle folder"), "\(error)")
        }
    }

    func testANewRecordWithAnEmptyKeyGetsItsKeyFromTheStore() throws {
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let layout = config.schema.category(named: "email_addresses")!.layout(scope: .access)
        let csv = try spreadsheetCSV(bundle, "email_addresses", config: config) { rows in
            var row = [String?](repeating: nil, count: layout.fields.count)
            row[layout.index(of: "address")!] = "added@example.com"
            row[layout.index(of: "label")!] = "personal"
            row[layout.index(of: "is_primary")!] = "FALSE"
            rows.append(row)
            rows.append(row.enumerated().map { $0.offset == layout.index(of: "address")! ? "second@example.com" : $0.element })
        }
        let edited = dir + "/new.zip"
        try repack(bundle, to: edited) { name, bytes in name == "csv/email_addresses.csv" ? (name, csv) : (name, bytes) }
        let dry = try run(store, edited)
        XCTAssertEqual(dry.changes.map(\.action), [.insert, .insert], dry.renderText())
        XCTAssertTrue(dry.renderText().contains("(a new key from the store)"), dry.renderText())
        let applied = try run(store, edited, apply: true)
        XCTAssertTrue(applied.applied)
        let keys = applied.changes.map(\.key)
        XCTAssertEqual(Set(keys).count, 2)
        XCTAssertTrue(keys.allSatisfy { $0.hasPrefix("n-") && $0.count == 34 }, "\(keys)")
        let emails = config.schema.category(named: "email_addresses")!
        for key in keys {
            let record = try store.withSnapshot { try $0.record(subject: "s-00001", in: emails, key: key, fields: layout.fields) }
            XCTAssertNotNil(record, key)
        }
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertEqual(Set(audit.filter { $0.action == "insert" }.map(\.recordKey)), Set(keys))
    }
}
