import SeqPortArchive
import SeqPortModel
@testable import SeqPortXLSX
import XCTest

final class XLSXReaderTests: XCTestCase {
    typealias T = XLSXTestSupport

    static let layout = RecordLayout(name: "contact", fields: [
        Field(name: "id", type: .string, nullable: false),
        Field(name: "count", type: .integer),
        Field(name: "amount", type: .decimal),
        Field(name: "active", type: .boolean),
    ])

    static let header = """
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>count</t></is></c>\
        <c r="C1" t="inlineStr"><is><t>amount</t></is></c><c r="D1" t="inlineStr"><is><r><t>act</t></r><r><t>ive</t></r></is></c></row>
        """

    static let sharedStrings = """
        <?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">\
        <si><t>id</t></si><si><t>k1</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si><si><r><t>a_x0001_</t></r><r><t>b</t></r></si></sst>
        """

    func testProgramsSavedNumbersFloatsBooleansAndSharedStrings() throws {
        let rows = Self.header + """
            <row r="2" spans="1:4"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>1.0E+15</v></c><c r="C2"><v>0.10000000000000001</v></c><c r="D2" t="b"><v>1</v></c></row>\
            <row r="4"><c r="A4" t="s" s="0"><v>2</v></c><c r="B4" s="0"><v>42.0</v></c><c r="C4"/><c r="D4" t="inlineStr"><is><t>TRUE</t></is></c></row>\
            <row r="5"/><row r="6"><c r="E6" s="3"/></row>\
            <row r="7"><c r="A7" t="inlineStr"><is><t>k3</t></is></c><c r="D7" t="str"><v>FALSE</v></c><c r="F7" s="1"/></row>
            """
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), sharedStrings: Self.sharedStrings)
        var layout = Self.layout
        layout.fields[3] = Field(name: "active", type: .boolean)
        let records = try T.read(path, sheet: "contact", layout: layout)
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[0], Record(["k1", "1000000000000000", "0.1", "true"]))
        XCTAssertEqual(records[1], Record(["a\u{1}b", "42", nil, "true"]), "TRUE text is a boolean; a styled empty cell is NULL")
        XCTAssertEqual(records[2], Record(["k3", nil, nil, "false"]))
    }

    func testSecondRowBooleanFromSharedTextIsRefusedWithItsCell() throws {
        let rows = Self.header + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"D2\" t=\"s\"><v>1</v></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), sharedStrings: Self.sharedStrings)
        let error = T.error { _ = try T.read(path, sheet: "contact", layout: Self.layout) }
        XCTAssertEqual(error?.code, .valueType)
        XCTAssertEqual(error?.location.entry, "contact!D2")
        XCTAssertEqual(error?.location.field, "active")
        XCTAssertEqual(error?.location.record, 1)
        XCTAssertFalse(error?.description.contains("k1") ?? true, "no value in the message")
    }

    func testSharedStringEscapesAndRunsAreJoined() throws {
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), sharedStrings: Self.sharedStrings)
        let layout = RecordLayout(name: "c", fields: [Field(name: "id", type: .string)])
        XCTAssertEqual(try T.read(path, sheet: "contact", layout: layout), [Record(["a\u{1}b"])])
    }

    static let dateStyles = """
        <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/><numFmt numFmtId="165" formatCode="&quot;d&quot;0.00"/></numFmts>\
        <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>
        """

    func testDateCellsInBothDateSystems() throws {
        let layout = RecordLayout(name: "d", fields: [Field(name: "day", type: .date), Field(name: "at", type: .timestamp),
                                                      Field(name: "n", type: .decimal)])
        let head = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>day</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>at</t></is></c>"
            + "<c r=\"C1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
        func row(_ day: String, _ at: String) -> String {
            head + "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>\(day)</v></c><c r=\"B2\" s=\"2\"><v>\(at)</v></c><c r=\"C2\" s=\"3\"><v>1.5</v></c></row>"
        }
        let p1900 = try T.handMade(sheetXML: T.sheet(rows: row("45413", "45413.5")), styles: Self.dateStyles)
        XCTAssertEqual(try T.read(p1900, sheet: "contact", layout: layout), [Record(["2024-05-01", "2024-05-01T12:00:00Z", "1.5"])])
        let p1904 = try T.handMade(sheetXML: T.sheet(rows: row("43951", "43951.75")), styles: Self.dateStyles, date1904: true)
        XCTAssertEqual(try T.read(p1904, sheet: "contact", layout: layout), [Record(["2024-05-01", "2024-05-01T18:00:00Z", "1.5"])])
        XCTAssertEqual(XLSXDate.text(serial: 1, date1904: false, for: .date), "1900-01-01")
        XCTAssertEqual(XLSXDate.text(serial: 59, date1904: false, for: .date), "1900-02-28")
        XCTAssertNil(XLSXDate.text(serial: 60, date1904: false, for: .date), "1900-02-29 never was")
        XCTAssertEqual(XLSXDate.text(serial: 61, date1904: false, for: .date), "1900-03-01")
        XCTAssertEqual(XLSXDate.text(serial: 0, date1904: true, for: .date), "1904-01-01")
        // A date field given a time of day is the field's problem, said at the cell.
        let partial = try T.handMade(sheetXML: T.sheet(rows: row("45413.25", "45413")), styles: Self.dateStyles)
        let error = T.error { _ = try T.read(partial, sheet: "contact", layout: layout) }
        XCTAssertEqual(error?.code, .valueType)
        XCTAssertEqual(error?.location.entry, "contact!A2")
    }

    func testISODateCellsAndDateStyledCellsInTextFields() throws {
        let layout = RecordLayout(name: "d", fields: [Field(name: "day", type: .date), Field(name: "text", type: .string)])
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>day</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>text</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"d\"><v>2024-05-01T00:00:00</v></c><c r=\"B2\" s=\"1\"><v>45413</v></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), styles: Self.dateStyles)
        XCTAssertEqual(try T.read(path, sheet: "contact", layout: layout), [Record(["2024-05-01", "2024-05-01"])])
    }

    func testContinuationSheetNamesAreQuotedInErrors() throws {
        var options = XLSXWorkbookWriter.Options()
        options.maxRowsPerSheet = 1
        let written = RecordLayout(name: "usage events", fields: [Field(name: "n", type: .string)])
        let path = try T.write([(written, [Record(["1"]), Record(["x"])])], options: options)
        let typed = RecordLayout(name: "usage events", fields: [Field(name: "n", type: .integer)])
        XCTAssertEqual(try T.read(path, sheet: "usage events", layout: typed), [Record(["1"])])
        let error = T.error { _ = try T.read(path, sheet: "usage events (2)", layout: typed) }
        XCTAssertEqual(error?.location.entry, "'usage events (2)'!A2")
        XCTAssertEqual(error?.description, "'usage events (2)'!A2, record 1, field \"n\": not an integer")
    }

    func testFormulaIsRefusedWithItsCellReference() throws {
        let rows = Self.header + "<row r=\"7\"><c r=\"A7\" t=\"s\"><v>1</v></c><c r=\"B7\"><f>1+1</f><v>2</v></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), sharedStrings: Self.sharedStrings)
        let error = T.error { _ = try T.read(path, sheet: "contact", layout: Self.layout) }
        XCTAssertEqual(error?.code, .xlsxFormula)
        XCTAssertEqual(error?.location.entry, "contact!B7")
        XCTAssertEqual(error?.description.hasPrefix("contact!B7, record 1, field \"count\": formulas are refused"), true, error?.description ?? "")
    }

    // MARK: Reading on past one row's errors (--max-errors)

    /// A bad cell makes its row an error naming the cell; the next row is read. A grid error still stops.
    func testAnErrorInOneRowLeavesTheNextReadable() throws {
        func cell(_ ref: String, _ v: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(v)</t></is></c>" }
        let rows = Self.header
            + "<row r=\"2\">\(cell("A2", "k2"))<c r=\"B2\"><v>2</v></c></row>"
            + "<row r=\"3\">\(cell("A3", "k3"))<c r=\"B3\"><f>1+1</f><v>2</v></c><c r=\"C3\" t=\"e\"><v>#N/A</v></c></row>"
            + "<row r=\"4\">\(cell("A4", "k4"))<c r=\"B4\"><v>4.5</v></c></row>"
            + "<row r=\"5\">\(cell("A5", "k5"))<c r=\"D5\" t=\"e\"><v>#REF!</v></c></row>"
            + "<row r=\"6\">\(cell("A6", "k6"))\(cell("G6", "no header"))</row>"
            + "<row r=\"7\">\(cell("A7", "k7"))\(cell("D7", "maybe"))</row>"
            + "<row r=\"8\">\(cell("A8", "k8"))</row>"
            + "<row r=\"9\"><c r=\"B9\" t=\"s\"><v>99</v></c></row>"
            + "<row r=\"10\">\(cell("A10", "k10"))</row>"
            + "<row r=\"9\">\(cell("A9", "out of order"))</row>"
            + "<row r=\"12\">\(cell("A12", "never read"))</row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), sharedStrings: Self.sharedStrings)
        let workbook = try XLSXReader(path: path)
        var reader = try workbook.sheet(named: "contact", layout: Self.layout)
        var got: [String] = []
        var errors: [(code: String, entry: String?, record: Int?, field: String?, resumes: Bool)] = []
        while true {
            do {
                guard let r = try reader.next() else { break }
                got.append(r[0].text ?? "")
            } catch let e as SeqPortError {
                errors.append((e.code.rawValue, e.location.entry, e.location.record, e.location.field, reader.canContinueAfterError))
                if !reader.canContinueAfterError { break }
            }
        }
        XCTAssertEqual(got, ["k2", "k8", "k10"])
        XCTAssertEqual(errors.map(\.code), ["xlsx.formula", "value.type", "xlsx.cell", "xlsx.cell", "value.type", "xlsx.cell", "xlsx.dimension"])
        XCTAssertEqual(errors.map(\.entry), ["contact!B3", "contact!B4", "contact!D5", "contact!G6", "contact!D7", "contact!B9", "xl/worksheets/sheet1.xml"])
        XCTAssertEqual(errors.map(\.record), [2, 3, 4, 5, 6, 8, nil])
        XCTAssertEqual(errors.map(\.field), ["count", "count", "active", nil, "active", "count", nil])
        XCTAssertEqual(errors.map(\.resumes), [true, true, true, true, true, true, false])
        XCTAssertThrowsError(try reader.next(), "a grid error stops the reader for good")
    }

    func testHeaderMustNameTheLayoutsFields() throws {
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>bogus</t></is></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows))
        let error = T.error { _ = try T.read(path, sheet: "contact", layout: Self.layout) }
        XCTAssertEqual(error?.code, .xlsxHeaderMismatch)
        XCTAssertEqual(error?.location.entry, "contact!B1")
    }

    func testExtraSheetsAndUnknownSheets() throws {
        let path = try T.handMade(sheetXML: T.sheet(rows: Self.header), sharedStrings: Self.sharedStrings)
        let workbook = try XLSXReader(path: path)
        XCTAssertEqual(workbook.sheetNames, ["contact", "other"])
        XCTAssertEqual(try T.read(path, sheet: "contact", layout: Self.layout), [])
        XCTAssertEqual(T.error { _ = try workbook.sheet(named: "nope", layout: nil) }?.code, .xlsxNoSuchSheet)
    }

    func testSharedStringBombIsRefused() throws {
        let many = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + String(repeating: "<si><t>xxxxxxxxxx</t></si>", count: 5_000) + "</sst>"
        let path = try T.handMade(sheetXML: T.sheet(rows: Self.header), sharedStrings: many)
        var limits = XLSXReader.Limits()
        limits.maxSharedStrings = 1_000
        XCTAssertEqual(T.error { _ = try T.read(path, sheet: "contact", layout: Self.layout, limits: limits) }?.code, .xlsxSharedStrings)
        limits = XLSXReader.Limits()
        limits.maxSharedStringBytes = 10_000
        XCTAssertEqual(T.error { _ = try T.read(path, sheet: "contact", layout: Self.layout, limits: limits) }?.code, .xlsxSharedStrings)
        let declared = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" uniqueCount=\"99999999\"/>"
        let p2 = try T.handMade(sheetXML: T.sheet(rows: Self.header), sharedStrings: declared)
        XCTAssertEqual(T.error { _ = try T.read(p2, sheet: "contact", layout: Self.layout) }?.code, .xlsxSharedStrings)
    }

    func testDTDAndEntitiesAreRefusedInAnyPart() throws {
        let dtd = "<?xml version=\"1.0\"?>\n<!-- a comment first -->\n<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
            + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>"
        let path = try T.handMade(sheetXML: dtd)
        let error = T.error { _ = try T.read(path, sheet: "contact", layout: nil) }
        XCTAssertEqual(error?.code, .xlsxDTD)
        XCTAssertEqual(error?.location.entry, "xl/worksheets/sheet1.xml")
        let inStyles = "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"http://example.com/x.dtd\"><styleSheet/>"
        XCTAssertEqual(T.error { _ = try T.handMade(sheetXML: T.sheet(rows: ""), styles: inStyles).withReader() }?.code, .xlsxDTD)
    }

    func testExternalLinksAreRefused() throws {
        let external = "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink\" Target=\"http://example.com/x.xlsx\" TargetMode=\"External\"/>"
        XCTAssertEqual(T.error { _ = try T.handMade(sheetXML: T.sheet(rows: ""), workbookRelsExtra: external).withReader() }?.code, .xlsxExternal)
        let part = try T.handMade(sheetXML: T.sheet(rows: ""), extraParts: [("xl/externalLinks/externalLink1.xml", "<externalLink/>")])
        XCTAssertEqual(T.error { _ = try part.withReader() }?.code, .xlsxExternal)
    }

    func testAbsurdDimensionsAreRefused() throws {
        for rows in ["<row r=\"1048577\"><c r=\"A1048577\" t=\"inlineStr\"><is><t>id</t></is></c></row>",
                     "<row r=\"1\"><c r=\"XFE1\" t=\"inlineStr\"><is><t>id</t></is></c></row>",
                     "<row r=\"2\"/><row r=\"1\"/>",
                     "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>",
                     "<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>"] {
            let path = try T.handMade(sheetXML: T.sheet(rows: rows))
            XCTAssertEqual(T.error { _ = try T.read(path, sheet: "contact", layout: nil) }?.code, .xlsxDimension, rows)
        }
    }

    func testHostileArchiveIsRefusedByTheZipReader() throws {
        let path = T.temporaryPath("junk")
        try Data("not a zip at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(T.error { _ = try XLSXReader(path: path) }?.code.exitClass, .archive)
    }

    func testOneLongSharedStringInEveryCellIsBounded() throws {
        let long = String(repeating: "y", count: 3_000)
        let table = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<si><t>id</t></si><si><t>\(long)</t></si></sst>"
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows), sharedStrings: table)
        var limits = XLSXReader.Limits()
        limits.values.maxValueBytes = 1_000
        let error = T.error { _ = try T.read(path, sheet: "contact", layout: nil, limits: limits) }
        XCTAssertEqual(error?.code, .valueTooLong)
        XCTAssertEqual(error?.location.entry, "contact!A2")
        limits = XLSXReader.Limits()
        limits.maxRecordBytes = 2_000
        XCTAssertEqual(T.error { _ = try T.read(path, sheet: "contact", layout: nil, limits: limits) }?.code, .xlsxDimension)
    }

    func testValueInAColumnWithoutHeaderIsRefused() throws {
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>k</t></is></c><c r=\"C2\"><v>1</v></c><c r=\"D2\" s=\"1\"/></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows))
        let error = T.error { _ = try T.read(path, sheet: "contact", layout: nil) }
        XCTAssertEqual(error?.code, .xlsxCell)
        XCTAssertEqual(error?.location.entry, "contact!C2")
        XCTAssertEqual(error?.location.record, 1)
    }

    func testNonNullableTextDroppedByAProgramReadsAsEmpty() throws {
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>note</t></is></c></row>"
            + "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
        let path = try T.handMade(sheetXML: T.sheet(rows: rows))
        let layout = RecordLayout(name: "c", fields: [Field(name: "id", type: .string, nullable: false), Field(name: "note", type: .string)])
        XCTAssertEqual(try T.read(path, sheet: "contact", layout: layout), [Record(["", "x"])])
    }
}

extension String {
    /// Opens the workbook at this path and reads its first sheet untyped.
    func withReader() throws {
        let workbook = try XLSXReader(path: self)
        var reader = try workbook.sheet(named: "contact", layout: nil)
        while try reader.next() != nil {}
    }
}
