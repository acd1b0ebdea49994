import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortStore
import SeqPortXLSX
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

    func testAMappingFileOverOneMebibyteIsRefusedWithoutReadingItWhole() throws {
        let dir = try temporaryDirectory(self)
        let big = write(dir, "big.json", Array(#"{"drop": [""#.utf8) + [UInt8](repeating: 0x61, count: ColumnMap.maxBytes) + Array(#""]}"#.utf8))
        XCTAssertThrowsError(try ColumnMap.load(path: big)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .mapInvalid)
            XCTAssertTrue("\(error)".contains("larger than 1 MiB"), "\(error)")
        }
        XCTAssertThrowsError(try ColumnMap.load(path: dir + "/missing.json")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .mapInvalid)
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
        try assertPacksTheOneCorrection(file, records: current.count, store: store, config: config, bundle: dir + "/partner.zip")
        XCTAssertThrowsError(try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: write(dir, "nosuch.csv", Array("a\r\n".utf8)))],
                                                                    map: nil, options: ConvertOptions(), out: dir + "/x.zip")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .usage)
            XCTAssertTrue("\(error)".contains("email_addresses"), "the message lists the categories: \(error)")
        }
    }
    /// Packs `file`, checks the bundle is sound, and that importing it plans exactly the one corrected address.
    func assertPacksTheOneCorrection(_ file: String, records: Int, store: any Store, config: Configuration, bundle: String,
                                     line: UInt = #line) throws {
        let result = try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: file)], map: nil, options: ConvertOptions(),
                                                            out: bundle, generatedAt: fixedTime)
        XCTAssertEqual(result.records["email_addresses"], records, line: line)
        let report = try Verifier().verify(path: bundle)
        XCTAssertTrue(report.sound, "\(report.problems)", line: line)
        let plan = try Importer(store: store).run(bundle: bundle)
        XCTAssertEqual(plan.changes.map(\.new), ["corrected@example.com"], plan.renderText(), line: line)
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText(), line: line)
    }

    /// A partner workbook packs like any partner file (its format's `partnerFileReader`): the cells are
    /// typed as their fields (a boolean cell, an empty one for NULL), the bundle is sound and plans the one
    /// corrected address; a bad cell is an error naming the file and the cell, and nothing is written.
    func testPackTakesAPartnerWorkbook() throws {
        let (store, config, dir) = try sampleStore(self)
        let emails = config.schema.category(named: "email_addresses")!
        let layout = emails.layout(scope: .access)
        var current: [Record] = []
        try store.withSnapshot { try $0.forEachRecord(subject: "s-00001", in: emails, fields: layout.fields) { current.append($0) } }
        func workbook(_ name: String, _ layout: RecordLayout, _ rows: [Record]) throws -> String {
            let path = dir + "/" + name
            let sink = try FileSink(path: path)
            let book = XLSXWorkbookWriter(sink: sink)
            var sheet = try book.beginSheet(layout: layout, title: "email_addresses")
            for row in rows { try sheet.write(row) }
            try sheet.finish()
            try book.finish()
            try sink.close()
            return path
        }
        var corrected = current
        corrected[0][1] = .text("corrected@example.com")
        try assertPacksTheOneCorrection(try workbook("email_addresses.xlsx", layout, corrected), records: current.count, store: store, config: config,
                                        bundle: dir + "/partner-xlsx.zip")

        // A label the field does not allow: the file and the cell are named, no bundle is written.
        let untyped = RecordLayout(name: "email_addresses", fields: layout.fields.map { Field.untyped($0.name) }, isTyped: false)
        try FileManager.default.createDirectory(atPath: dir + "/bad", withIntermediateDirectories: true)
        let badPath = try workbook("bad/email_addresses.xlsx", untyped, [Record(untyped.fields.indices.map { $0 == 2 ? .text("nope") : current[0][$0] })])
        XCTAssertThrowsError(try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: badPath)], map: nil,
                                                                    options: ConvertOptions(), out: dir + "/bad.zip")) { error in
            let first = (error as? ErrorList)?.errors.first ?? (error as? SeqPortError)
            XCTAssertEqual(first?.code, .valueEnum, "\(error)")
            XCTAssertEqual(first?.location.entry, "\(badPath), email_addresses!C2", "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad.zip"))
    }

    // MARK: --max-errors for import FILE and pack

    /// JSON Lines of the subject's e-mail addresses, three of five records bad (lines 2, 3 and 5).
    let badAddresses = """
    {"id": "e-s-00001-1", "address": "a@example.com", "label": "work", "is_primary": true}
    {"id": "e-s-00001-2", "address": "b@example.com", "label": "work", "is_primary": "maybe"}
    {"id": "e-s-00001-3", "address": "c@example.com", "label": "nope", "is_primary": false}
    {"id": "e-s-00001-4", "address": "d@example.com", "label": "personal", "is_primary": false}
    {"id": "e-s-00001-5", "address": "e@example.com", "label": "other", "is_primary": "x"}

    """

    func testImportingAPartnerFileReportsEveryRecordErrorWithPathLineRecordAndField() throws {
        let (store, _, dir) = try sampleStore(self)
        let file = write(dir, "email_addresses.jsonl", Array(badAddresses.utf8))
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: nil, convert: ConvertOptions())) { error in
            guard let list = error as? ErrorList else { return XCTFail("not a list: \(error)") }
            XCTAssertEqual(list.total, 3, "\(list.errors)")
            XCTAssertFalse(list.stopped)
            XCTAssertEqual(list.errors.map(\.location.entry), [file, file, file], "the full path, not the base name")
            XCTAssertEqual(list.errors.map(\.location.line), [2, 3, 5])
            XCTAssertEqual(list.errors.map(\.location.record), [2, 3, 5])
            XCTAssertEqual(list.errors.map(\.location.field), ["is_primary", "label", "is_primary"])
            XCTAssertEqual(list.counts.values.reduce(0, +), 3)
            XCTAssertEqual(list.counts[list.errors[0].code.rawValue], 2, "counted by code: \(list.counts)")
            XCTAssertFalse(list.errors.contains { $0.description.contains("maybe") || $0.description.contains("nope") }, "no value is printed")
        }
        var convert = ConvertOptions()
        convert.maxErrors = 2
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: nil, convert: convert)) { error in
            guard let list = error as? ErrorList else { return XCTFail("not a list: \(error)") }
            XCTAssertEqual(list.errors.count, 2)
            XCTAssertTrue(list.stopped, "reading stops at the limit")
            XCTAssertTrue(list.summary.contains("reading stopped there"), list.summary)
        }
        convert.maxErrors = 1
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: nil, convert: convert)) { error in
            XCTAssertEqual((error as? SeqPortError)?.location.record, 2, "one error allowed: the first, as it is: \(error)")
        }
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertTrue(audit.isEmpty, "nothing was applied")
    }

    func testPackReportsTheErrorsOfEveryFileInOneRunAndWritesNothing() throws {
        let (_, config, dir) = try sampleStore(self)
        let emails = write(dir, "email_addresses.jsonl", Array(badAddresses.utf8))
        let contact = write(dir, "contact.csv", Array("id,full_name,phone,photo,preferred_language,created_at\r\nc-s-00001,Åsa,,,klingon,2026-01-01T00:00:00Z\r\n".utf8))
        let out = dir + "/partner.zip"
        XCTAssertThrowsError(try Packer(configuration: config).pack(subject: "s-00001", inputs: [.init(path: contact), .init(path: emails)],
                                                                    map: ColumnMap(), options: ConvertOptions(), out: out)) { error in
            guard let list = error as? ErrorList else { return XCTFail("not a list: \(error)") }
            XCTAssertEqual(Set(list.errors.compactMap(\.location.entry)), [contact, emails], "\(list.errors)")
            XCTAssertEqual(list.total, 4, "\(list.errors)")
            XCTAssertEqual(list.errors.first?.location.line, 2, "the CSV row's line")
            XCTAssertEqual(list.errors.first?.location.field, "preferred_language")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no bundle is written")
    }

    /// XML read without a mapping (`import FILE.xml`): an element or attribute no field has, a missing
    /// or repeated field, and a bad value are each an error in their record; the next record is read.
    func testImportingPartnerXMLReportsEveryBadRecord() throws {
        let (store, _, dir) = try sampleStore(self)
        func address(_ n: Int, label: String = "work", primary: String = "true", extra: String = "", attributes: String = "") -> String {
            "  <address\(attributes)><id>e-s-00001-\(n)</id><address>\(n)@example.com</address><label>\(label)</label>\(primary.isEmpty ? "" : "<is_primary>\(primary)</is_primary>")\(extra)</address>\n"
        }
        let xml = "<addresses>\n" + address(1) + address(2, primary: "maybe") + address(3, extra: "<note>x</note>") + address(4, primary: "")
            + address(5, attributes: " id=\"x\"") + address(6, label: "nope") + address(7) + "</addresses>\n"
        let file = write(dir, "email_addresses.xml", Array(xml.utf8))
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: nil, convert: ConvertOptions())) { error in
            guard let list = error as? ErrorList else { return XCTFail("not a list: \(error)") }
            XCTAssertEqual(list.errors.map(\.code.rawValue), ["value.type", "xml.unknown-field", "xml.missing-field", "xml.duplicate-field", "value.enum"])
            XCTAssertEqual(list.errors.map(\.location.record), [2, 3, 4, 5, 6])
            XCTAssertEqual(list.errors.map(\.location.line), [3, 4, 5, 6, 7])
            XCTAssertEqual(list.errors.map(\.location.field), ["is_primary", "note", "is_primary", "id", "label"])
            XCTAssertEqual(list.errors.map(\.location.entry), Array(repeating: file, count: 5))
            XCTAssertEqual(list.counts, ["value.type": 1, "xml.unknown-field": 1, "xml.missing-field": 1, "xml.duplicate-field": 1, "value.enum": 1])
            XCTAssertFalse(list.stopped)
        }
        var convert = ConvertOptions()
        convert.maxErrors = 1
        XCTAssertThrowsError(try Importer(store: store).run(file: file, subject: "s-00001", category: nil, map: nil, convert: convert)) { error in
            XCTAssertEqual((error as? SeqPortError)?.location.record, 2, "one error allowed: the first, as it is: \(error)")
        }
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertTrue(audit.isEmpty, "nothing was applied")
    }

    /// A bare workbook: each bad cell makes its row an error naming the file and the cell; the next row is read.
    func testImportingAPartnerWorkbookReportsEveryBadRowWithItsCell() throws {
        let (store, _, dir) = try sampleStore(self)
        let path = dir + "/partner.xlsx"
        let sink = try FileSink(path: path)
        let workbook = XLSXWorkbookWriter(sink: sink)
        let layout = RecordLayout(name: "email_addresses", fields: ["id", "address", "label", "is_primary"].map(Field.untyped), isTyped: false)
        var sheet = try workbook.beginSheet(layout: layout, title: "email_addresses")
        for (n, label, primary) in [(1, "work", "true"), (2, "work", "maybe"), (3, "nope", "false"), (4, "personal", "false"), (5, "other", "x")] {
            try sheet.write(Record([.text("e-s-00001-\(n)"), .text("\(n)@example.com"), .text(label), .text(primary)]))
        }
        try sheet.finish()
        try workbook.finish()
        try sink.close()
        XCTAssertThrowsError(try Importer(store: store).run(file: path, subject: "s-00001", category: "email_addresses", map: nil, convert: ConvertOptions())) { error in
            guard let list = error as? ErrorList else { return XCTFail("not a list: \(error)") }
            XCTAssertEqual(list.errors.map(\.location.entry), ["\(path), email_addresses!D3", "\(path), email_addresses!C4", "\(path), email_addresses!D6"])
            XCTAssertEqual(list.errors.map(\.location.record), [2, 3, 5])
            XCTAssertEqual(list.errors.map(\.location.field), ["is_primary", "label", "is_primary"])
            XCTAssertEqual(list.counts, ["value.type": 2, "value.enum": 1])
            XCTAssertFalse(list.stopped)
        }
        var convert = ConvertOptions()
        convert.maxErrors = 1
        XCTAssertThrowsError(try Importer(store: store).run(file: path, subject: "s-00001", category: "email_addresses", map: nil, convert: convert)) { error in
            XCTAssertEqual((error as? SeqPortError)?.location.entry, "\(path), email_addresses!D3", "one error allowed: the first, as it is: \(error)")
        }
        let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00001") }
        XCTAssertTrue(audit.isEmpty, "nothing was applied")
    }

    /// A formula in the first data row is an error of that row, not of the header read before it.
    func testAFormulaInAPartnerWorkbooksFirstRowIsAnErrorOfThatRow() throws {
        let (store, _, dir) = try sampleStore(self)
        let written = dir + "/written.xlsx"
        let sink = try FileSink(path: written)
        let workbook = XLSXWorkbookWriter(sink: sink)
        let layout = RecordLayout(name: "email_addresses", fields: ["id", "address", "label", "is_primary"].map(Field.untyped), isTyped: false)
        var sheet = try workbook.beginSheet(layout: layout, title: "email_addresses")
        for n in 1...3 { try sheet.write(Record([.text("e-s-00001-\(n)"), .text("\(n)@example.com"), .text("work"), .text(n == 3 ? "maybe" : "true")])) }
        try sheet.finish()
        try workbook.finish()
        try sink.close()
        // The same workbook with a formula in cell B2.
        let zip = try ZipReader(path: written)
        let path = dir + "/email_addresses.xlsx"
        let out = try FileSink(path: path)
        let copy = ZipWriter(sink: out)
        for entry in zip.entries {
            var bytes = try zip.readAll(entry, maxBytes: 1 << 24)
            if entry.name == "xl/worksheets/sheet1.xml" {
                let text = String(decoding: bytes, as: UTF8.self)
                let cell = try XCTUnwrap(text.range(of: #"<c r="B2"[^>]*>.*?</c>"#, options: .regularExpression))
                bytes = Array(text.replacingCharacters(in: cell, with: "<c r=\"B2\"><f>A2&amp;\"@x\"</f><v>x</v></c>").utf8)
            }
            try copy.addEntry(entry.name, bytes: bytes)
        }
        try copy.finish()
        try out.close()
        XCTAssertThrowsError(try Importer(store: store).run(file: path, subject: "s-00001", category: nil, map: nil, convert: ConvertOptions())) { error in
            guard let list = error as? ErrorList else { return XCTFail("not a list: \(error)") }
            XCTAssertEqual(list.errors.map(\.code), [.xlsxFormula, .valueType], "\(list.errors)")
            XCTAssertEqual(list.errors.map(\.location.entry), ["\(path), email_addresses!B2", "\(path), email_addresses!D4"])
            XCTAssertEqual(list.errors.map(\.location.record), [1, 3])
        }
    }

    // MARK: A bare workbook

    func testABarePartnerWorkbookIsImportedThroughItsOnlySheet() throws {
        let (store, _, dir) = try sampleStore(self)
        let path = dir + "/partner.xlsx"
        let sink = try FileSink(path: path)
        let workbook = XLSXWorkbookWriter(sink: sink)
        let layout = RecordLayout(name: "Kunder", fields: ["Kundnr", "Namn", "Telefon", "Intern"].map(Field.untyped), isTyped: false)
        var sheet = try workbook.beginSheet(layout: layout, title: "Kunder")
        try sheet.write(Record([.text("c-s-00001"), .text("Åsa Lindström"), .text("+46 70 123 45 67"), .text("VIP")]))
        try sheet.finish()
        try workbook.finish()
        try sink.close()
        let map = ColumnMap(columns: ["Kundnr": "id", "Namn": "full_name", "Telefon": "phone"], drop: ["Intern"])
        var options = ImportOptions()
        options.apply = true
        options.now = fixedTime
        let plan = try Importer(store: store).run(file: path, subject: "s-00001", category: "contact", map: map, convert: ConvertOptions(), options: options)
        XCTAssertTrue(plan.applied, plan.renderText())
        XCTAssertEqual(Set(plan.changes.map { $0.field ?? "" }), ["full_name", "phone"], plan.renderText())
        XCTAssertEqual(plan.changes.first { $0.field == "full_name" }?.new, "Åsa Lindström")
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText())
        // Without a mapping the column Namn is neither a field nor dropped: refused, naming the column.
        XCTAssertThrowsError(try Importer(store: store).run(file: path, subject: "s-00001", category: "contact", map: nil, convert: ConvertOptions())) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .mapUnmappedColumn, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.location.entry, path)
        }
    }

    func testAPartnerWorkbookWithSeveralSheetsNeedsOneNamedAfterTheCategory() throws {
        let (store, _, dir) = try sampleStore(self)
        let path = dir + "/book.xlsx"
        let sink = try FileSink(path: path)
        let workbook = XLSXWorkbookWriter(sink: sink)
        for title in ["a", "b"] {
            var sheet = try workbook.beginSheet(layout: RecordLayout(name: title, fields: [.untyped("id")], isTyped: false), title: title)
            try sheet.finish()
        }
        try workbook.finish()
        try sink.close()
        XCTAssertThrowsError(try Importer(store: store).run(file: path, subject: "s-00001", category: "contact", map: nil, convert: ConvertOptions())) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .usage, "\(error)")
            XCTAssertTrue("\(error)".contains("none is named contact"), "\(error)")
        }
    }
}
