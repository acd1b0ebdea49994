import Foundation
import SeqPortArchive
import SeqPortFormatConformance
import SeqPortModel
@testable import SeqPortXLSX
import XCTest

final class XLSXWorkbookWriterTests: XCTestCase {
    typealias T = XLSXTestSupport

    static let layout = RecordLayout(name: "contact", fields: [
        Field(name: "id", type: .string, nullable: false, description: "The record's key"),
        Field(name: "note", type: .string, description: "Free text"),
        Field(name: "count", type: .integer),
        Field(name: "amount", type: .decimal),
        Field(name: "active", type: .boolean),
        Field(name: "born", type: .date),
        Field(name: "seen", type: .timestamp),
    ])

    /// The awkward values every format's tests share.
    static var awkward: [String] { AwkwardValues.texts() }

    /// One record per awkward value (in both string fields), the typed fields cycling through their
    /// extremes, and a record of NULLs.
    static var awkwardRecords: [Record] {
        AwkwardValues.records(layout, values: AwkwardValues.all) + [Record([.text("nulls"), .null, .null, .null, .null, .null, .null])]
    }

    // The awkward values typed and untyped, as records and as views: Tests/SeqPortFormatConformanceTests.

    func testCellsAreTypedAndTextStaysText() throws {
        let layout = RecordLayout(name: "t", fields: [
            Field(name: "phone", type: .string), Field(name: "n", type: .integer), Field(name: "big", type: .integer),
            Field(name: "d", type: .decimal), Field(name: "d2", type: .decimal), Field(name: "b", type: .boolean),
            Field(name: "empty", type: .string), Field(name: "null", type: .string),
        ])
        let path = try T.write([(layout, [Record(["0701234567", "42", "1234567890123456", "0.25", "12.50", "true", "", nil])])])
        let xml = try T.part(path, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(xml.contains("<c r=\"A2\" s=\"2\" t=\"inlineStr\"><is><t>0701234567</t></is></c>"), xml)
        XCTAssertTrue(xml.contains("<c r=\"B2\"><v>42</v></c>"))
        XCTAssertTrue(xml.contains("<c r=\"C2\" s=\"2\" t=\"inlineStr\"><is><t>1234567890123456</t></is></c>"), "16 digits stay text")
        XCTAssertTrue(xml.contains("<c r=\"D2\"><v>0.25</v></c>"))
        XCTAssertTrue(xml.contains("<c r=\"E2\" s=\"2\" t=\"inlineStr\"><is><t>12.50</t></is></c>"), "a trailing zero stays text")
        XCTAssertTrue(xml.contains("<c r=\"F2\" t=\"b\"><v>1</v></c>"))
        XCTAssertTrue(xml.contains("<c r=\"G2\" s=\"2\" t=\"inlineStr\"><is><t></t></is></c>"), "the empty string is a present cell")
        XCTAssertFalse(xml.contains("r=\"H2\""), "NULL is no cell")
        XCTAssertTrue(xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        XCTAssertFalse(xml.contains("<f>"))
    }

    func testEscapeIsExactAndInvertible() {
        for s in Self.awkward {
            let escaped = XLSXText.escaped(s)
            let xmlText = String(decoding: escaped, as: UTF8.self)
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&#13;", with: "\r").replacingOccurrences(of: "&amp;", with: "&")
            XCTAssertEqual(XLSXText.decode(Array(xmlText.utf8)).utf8.elementsEqual(s.utf8), true, s.debugDescription)
            XCTAssertFalse(escaped.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A })
        }
        XCTAssertEqual(String(decoding: XLSXText.escaped("_x0041_"), as: UTF8.self), "_x005F_x0041_")
        XCTAssertEqual(XLSXText.decode(Array("_x0041__xD83D__xDE00_".utf8)), "A😀")
        XCTAssertEqual(XLSXText.decode(Array("_xD800_".utf8)), "_xD800_", "a lone surrogate stays as written")
    }

    func testNumberRules() {
        func exact(_ s: String) -> Bool { Array(s.utf8).withUnsafeBufferPointer { XLSXNumber.isExactNumber($0) } }
        XCTAssertTrue(exact("0")); XCTAssertTrue(exact("-42")); XCTAssertTrue(exact("123456789012345")); XCTAssertTrue(exact("0.001"))
        XCTAssertFalse(exact("1234567890123456")); XCTAssertFalse(exact("007")); XCTAssertFalse(exact("1.50")); XCTAssertFalse(exact("-0"))
        XCTAssertFalse(exact("-0.0")); XCTAssertFalse(exact("1.")); XCTAssertFalse(exact("0.1234567890123456"))
        XCTAssertEqual(XLSXNumber.text(ofNumber: "1.0E+15", for: .integer), "1000000000000000")
        XCTAssertEqual(XLSXNumber.text(ofNumber: "42.0", for: .integer), "42")
        XCTAssertEqual(XLSXNumber.text(ofNumber: "42.5", for: .integer), nil)
        XCTAssertEqual(XLSXNumber.text(ofNumber: "9223372036854775807", for: .integer), "9223372036854775807")
        XCTAssertEqual(XLSXNumber.text(ofNumber: "1.5E-3", for: .decimal), "0.0015")
        XCTAssertEqual(XLSXNumber.text(ofNumber: "0.10000000000000001", for: .decimal), "0.1")
        XCTAssertEqual(XLSXNumber.text(ofNumber: "-12.5", for: .decimal), "-12.5")
    }

    func testSheetSplitsAtTheRowLimit() throws {
        var options = XLSXWorkbookWriter.Options()
        options.maxRowsPerSheet = 3
        let layout = RecordLayout(name: "usage_events", fields: [Field(name: "n", type: .integer)])
        let records = (1...7).map { Record([.text(String($0))]) }
        let path = try T.write([(layout, records)], options: options)
        let workbook = try XLSXReader(path: path)
        XCTAssertEqual(workbook.sheetNames, ["usage_events", "usage_events (2)", "usage_events (3)"])
        var all: [Record] = []
        for name in workbook.sheetNames { all += try T.read(path, sheet: name, layout: layout) }
        XCTAssertEqual(all, records)
        XCTAssertEqual(try T.read(path, sheet: "usage_events (3)", layout: layout), [Record(["7"])])
    }

    func testSheetNamesAreValidUniqueAndShort() {
        var names = XLSXSheetNames()
        XCTAssertEqual(names.claim("a/b\\c[d]e:f*g?h"), "a_b_c_d_e_f_g_h")
        let long = String(repeating: "x", count: 40)
        let first = names.claim(long)
        XCTAssertEqual(first.utf16.count, 31)
        let second = names.claim(long.uppercased())
        XCTAssertNotEqual(first.lowercased(), second.lowercased())
        XCTAssertLessThanOrEqual(second.utf16.count, 31)
        let cont = names.claim(long, suffix: " (2)")
        XCTAssertTrue(cont.hasSuffix(" (2)"))
        XCTAssertLessThanOrEqual(cont.utf16.count, 31)
        XCTAssertEqual(names.claim("'quoted'"), "_quoted_")
        XCTAssertEqual(names.claim("History"), "History_")
    }

    func testSameInputSameBytes() throws {
        let a = try T.write([(Self.layout, Self.awkwardRecords)], options: .init(modified: "2026-01-01T00:00:00Z"))
        let b = try T.write([(Self.layout, Self.awkwardRecords)], options: .init(modified: "2026-01-01T00:00:00Z"))
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a)), bytesB = try Data(contentsOf: URL(fileURLWithPath: b))
        XCTAssertEqual(bytesA, bytesB)
        XCTAssertTrue(try T.part(a, "docProps/core.xml").contains("2026-01-01T00:00:00Z"))
    }

    func testViewsAndRecordsWriteTheSameBytes() throws {
        let a = try T.write([(Self.layout, Self.awkwardRecords)], views: false)
        let b = try T.write([(Self.layout, Self.awkwardRecords)], views: true)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
    }

    /// How a bundle carries the workbook: an entry of the bundle's own ZIP, stored (it is deflated already),
    /// written by a workbook writer whose sink is that entry; read back from the extracted file.
    func testWorkbookAsAStoredEntryOfABundle() throws {
        let bundlePath = T.temporaryPath("bundle")
        let sink = try FileSink(path: bundlePath)
        let bundle = ZipWriter(sink: sink)
        try bundle.addEntry("manifest.json", bytes: Array("{}".utf8))
        let entry = try bundle.beginEntry("xlsx/data.xlsx", compress: false)
        let workbook = XLSXWorkbookWriter(sink: entry)
        var sheet = try workbook.beginSheet(layout: Self.layout, title: "contact")
        for record in Self.awkwardRecords { try sheet.write(record) }
        try sheet.finish()
        try workbook.finish()
        try entry.finish()
        try bundle.finish()
        try sink.close()
        let reader = try ZipReader(path: bundlePath)
        let stored = try XCTUnwrap(reader.entry(named: "xlsx/data.xlsx"))
        XCTAssertEqual(stored.method, 0)
        let extracted = T.temporaryPath("extracted")
        try Data(try reader.readAll(stored, maxBytes: 1 << 30)).write(to: URL(fileURLWithPath: extracted))
        XCTAssertEqual(try T.read(extracted, sheet: "contact", layout: Self.layout), Self.awkwardRecords)
    }

    func testWorkbookListsItsPartsAndNotes() throws {
        let path = try T.write([(Self.layout, Self.awkwardRecords)])
        let zip = try ZipReader(path: path)
        let names = Set(zip.entries.map(\.name))
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                     "xl/worksheets/sheet1.xml", "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml",
                     "xl/worksheets/_rels/sheet1.xml.rels", "docProps/core.xml", "docProps/app.xml"] {
            XCTAssertTrue(names.contains(part), part)
        }
        XCTAssertTrue(try T.part(path, "xl/comments1.xml").contains("<comment ref=\"A1\" authorId=\"0\"><text><t xml:space=\"preserve\">The record&apos;s key</t>")
            || (try T.part(path, "xl/comments1.xml")).contains("The record's key"))
        XCTAssertTrue(try T.part(path, "[Content_Types].xml").contains("/xl/worksheets/sheet1.xml"))
    }

    /// Memory is bounded by construction: the sheet writer holds one buffer, flushed at 64 KiB once
    /// the width sample is written; nothing keeps rows.
    func testWriterHoldsOneBufferNotTheSheet() throws {
        let sink = MemorySink()
        let workbook = XLSXWorkbookWriter(sink: sink)
        var sheet = try workbook.beginSheet(layout: Self.layout, title: "contact")
        let record = Record(["k", .text(String(repeating: "long ", count: 2_000)), "1", "0.5", "true", "2024-05-01", "2024-05-01T10:00:00Z"])   // ~10 KB
        var largest = 0
        for _ in 0..<2_000 {
            try sheet.write(record)
            largest = max(largest, sheet.heldBytes)
        }
        XCTAssertLessThanOrEqual(largest, XLSXSheetWriter.sampleBytes + 64 << 10)
        XCTAssertLessThan(sheet.heldBytes, XLSXSheetWriter.flushThreshold + 32 << 10)
        try sheet.finish()
        try workbook.finish()
    }

    func testWriterRefusesMisuse() throws {
        let workbook = XLSXWorkbookWriter(sink: MemorySink())
        var sheet = try workbook.beginSheet(layout: Self.layout, title: "a")
        XCTAssertEqual(T.error { _ = try workbook.beginSheet(layout: Self.layout, title: "b") }?.code, .xlsxWriterState)
        XCTAssertEqual(T.error { try sheet.write(Record(["x"])) }?.code, .xlsxWriterState)
        try sheet.finish()
        XCTAssertEqual(T.error { try sheet.write(Record(["x"])) }?.code, .xlsxWriterState)
        try workbook.finish()
    }
}
