import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline
import SeqPortStore
import XCTest

/// Property (issue #11): every value in is every value out. Random edits full of what breaks tools —
/// U+0000, C0 and C1 controls, bidi controls, combining marks, astral characters, 10,000-character values,
/// leading zeros, `=+-@` — go through each copy of a bundle (JSON, CSV, XML) into a store with
/// `import --apply`. Afterwards either the store and the audit trail hold exactly the edit, byte for
/// byte, and a new export carries it; or the import refused it and the store is exactly as it was.
///
/// Seeded, so a failure reproduces; run on SQLite (`SeqPortSQLiteTests`) and PostgreSQL
/// (`SeqPortPostgresTests`) over the same edits.
public enum ImportFidelity {
    static let pieces: [String] = [
        "a", "Z", " ", ",", "\"", "'", "\r", "\n", "\r\n", "\t", "<", "&", "]]>", "=", "+", "-", "@", "=1+1", "@SUM(A1)",
        "0", "007", "0701234567", "+46 70", "é", "e\u{301}", "\u{301}", "\u{308}\u{308}", "Å", "😀", "👩‍👩‍👧", "𝔘", "مرحبا", "שלום",
        "\u{0}", "\u{1}", "\u{1B}[2J", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}",
        "\u{2066}", "\u{2069}", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\\", "\\u0000", "null", "NULL", "true",
    ]

    static func randomValue(_ rng: inout SplitMix64) -> String {
        switch rng.int(0...24) {
        case 0: return ""
        case 1: return String(repeating: rng.pick(["x", "é", "😀", "\u{0}", "\r\n", "\u{202E}"]), count: 10_000)
        case 2: return String(repeating: "0", count: rng.int(1...30)) + "1"
        default: return (0..<rng.int(1...10)).map { _ in rng.pick(pieces) }.joined()
        }
    }

    /// Runs `rounds` random edits per format against `store` (populated with the sample data, subject
    /// `s-00001` present), exporting into `directory`.
    public static func check(store: any Store, configuration: Configuration, directory: String, seed: UInt64, rounds: Int,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SplitMix64(seed: seed)
        let schema = store.schema
        let targets: [(category: String, field: String)] = [("professional", "job_title"), ("professional", "company"), ("feedback", "comment")]
        var applied = 0
        var refused = 0
        for format in BundleFormat.allCases {
            for round in 0..<rounds {
                let target = rng.pick(targets)
                let category = schema.category(named: target.category)!
                let layout = category.layout(scope: .access)
                let index = layout.index(of: target.field)!
                let value = randomValue(&rng)
                let where_ = "\(format) round \(round), \(target.category).\(target.field) = \(TerminalText.quoted(value, limit: 40))"

                var options = ExportOptions()
                options.generatedAt = Date(timeIntervalSince1970: 1_767_225_600)
                let exported = try Exporter(store: store, configuration: configuration)
                    .export(subject: "s-00001", to: directory + "/\(format)-\(round)", options: options).path
                // Edit the first record of the category in this copy, as a subject's editor would.
                let zip = try ZipReader(path: exported)
                let path = "\(format.rawValue)/\(target.category).\(format.rawValue)"
                var reader = try format.makeReader(source: try zip.open(zip.entry(named: path)!), layout: layout)
                var records: [Record] = []
                while let r = try reader.next() { records.append(r) }
                guard !records.isEmpty else { continue }
                let key = records[0][layout.index(of: category.store.key)!].text!
                let before = records[0][index]
                records[0][index] = .text(value)
                let sink = MemorySink()
                var writer = try format.makeWriter(layout: layout, sink: sink)
                for r in records { try writer.write(r) }
                try writer.finish()
                let edited = directory + "/\(format)-\(round)-edited.zip"
                let out = try AtomicFile(finalPath: edited)
                let zw = ZipWriter(sink: out.sink)
                for e in zip.entries { try zw.addEntry(e.name, bytes: e.name == path ? sink.bytes : try zip.readAll(e, maxBytes: 1 << 30)) }
                try zw.finish()
                try out.commit()

                let stateBefore = try dump(store, category)
                let auditBefore = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }.count
                var importOptions = ImportOptions()
                importOptions.apply = true
                importOptions.actor = "fidelity"
                let plan: ImportPlan
                do {
                    plan = try Importer(store: store).run(bundle: edited, options: importOptions)
                } catch let e as SeqPortError {
                    // A refusal of the whole document (a value over a field's limit): nothing changed.
                    XCTAssertEqual(try dump(store, category), stateBefore, "\(where_): refused with \(e.code) but the store changed", file: file, line: line)
                    refused += 1
                    continue
                }
                if !plan.applied {
                    let noChange = before.text.map { $0.utf8.elementsEqual(value.utf8) } == true
                    XCTAssertTrue(noChange || !plan.refusals.isEmpty, "\(where_): neither applied nor refused", file: file, line: line)
                    XCTAssertEqual(try dump(store, category), stateBefore, "\(where_): refused but the store changed", file: file, line: line)
                    if !noChange { refused += 1 }
                    continue
                }
                applied += 1
                let stored = try store.withSnapshot { try $0.record(subject: "s-00001", in: category, key: key, fields: layout.fields) }
                XCTAssertTrue(stored?[index].text.map { Array($0.utf8) == Array(value.utf8) } == true,
                              "\(where_): the store holds \(TerminalText.quoted(stored?[index].text, limit: 40))", file: file, line: line)
                let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
                XCTAssertEqual(audit.count, auditBefore + 1, "\(where_): one audit entry", file: file, line: line)
                XCTAssertTrue(audit.last.map { Array(($0.newValue ?? "").utf8) == Array(value.utf8) && $0.field == target.field } == true,
                              "\(where_): the audit holds the edit exactly", file: file, line: line)
                // Importing the same bundle again finds nothing to change.
                importOptions.apply = false
                XCTAssertTrue(try Importer(store: store).run(bundle: edited, options: importOptions).isEmpty, "\(where_): a second import changes something",
                              file: file, line: line)
            }
        }
        XCTAssertGreaterThan(applied, rounds, "most edits apply (\(applied) applied, \(refused) refused)", file: file, line: line)
    }

    static func dump(_ store: any Store, _ category: SeqPortModel.Category) throws -> [[UInt8]] {
        try store.withSnapshot { snap in
            var out: [[UInt8]] = []
            try snap.forEachRecord(subject: "s-00001", in: category, fields: category.fields) { r in
                out.append(r.values.flatMap { v -> [UInt8] in v.text.map { [1] + Array($0.utf8) + [0xFF] } ?? [0] })
            }
            out += try snap.auditEntries(subject: "s-00001").map { Array("\($0)".utf8) }
            return out
        }
    }
}
