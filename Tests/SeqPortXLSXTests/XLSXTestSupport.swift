import Foundation
import SeqPortArchive
import SeqPortModel
@testable import SeqPortXLSX
import XCTest

/// Temporary files and hand-made workbooks for the XLSX tests.
enum XLSXTestSupport {
    static func temporaryPath(_ name: String = "book") -> String {
        let dir = NSTemporaryDirectory() + "seqport-xlsx-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/\(name)-\(UUID().uuidString).xlsx"
    }

    /// Writes a workbook with one sheet per (layout, records) and returns its path.
    static func write(_ sheets: [(RecordLayout, [Record])], options: XLSXWorkbookWriter.Options = .init(),
                      views: Bool = false) throws -> String {
        let path = temporaryPath()
        let sink = try FileSink(path: path)
        let workbook = XLSXWorkbookWriter(sink: sink, options: options)
        for (layout, records) in sheets {
            var sheet = try workbook.beginSheet(layout: layout, title: layout.name)
            for record in records {
                if views {
                    try RecordView.withView(of: record) { try sheet.write($0) }
                } else {
                    try sheet.write(record)
                }
            }
            try sheet.finish()
        }
        try workbook.finish()
        try sink.close()
        return path
    }

    /// Every record of sheet `name`.
    static func read(_ path: String, sheet name: String, layout: RecordLayout?, limits: XLSXReader.Limits = .init()) throws -> [Record] {
        let workbook = try XLSXReader(path: path, limits: limits)
        var reader = try workbook.sheet(named: name, layout: layout)
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// A part's text.
    static func part(_ path: String, _ name: String) throws -> String {
        let zip = try ZipReader(path: path)
        guard let entry = zip.entry(named: name) else { throw SeqPortError(.xlsxMissingPart, "no part", at: SourceLocation(entry: name)) }
        return String(decoding: try zip.readAll(entry, maxBytes: 1 << 28), as: UTF8.self)
    }

    /// A workbook made of these parts around one sheet (`xl/worksheets/sheet1.xml`, named `contact`).
    static func handMade(sheetXML: String, sharedStrings: String? = nil, styles: String? = nil, date1904: Bool = false,
                         extraParts: [(String, String)] = [], workbookRelsExtra: String = "") throws -> String {
        let path = temporaryPath("hand")
        let sink = try FileSink(path: path)
        let zip = ZipWriter(sink: sink)
        func add(_ name: String, _ text: String) throws { try zip.addEntry(name, bytes: Array(text.utf8)) }
        try add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr\(date1904 ? " date1904=\"1\"" : "")/>\
            <sheets><sheet name="contact" sheetId="1" r:id="rId1"/><sheet name="other" sheetId="2" r:id="rId9"/></sheets></workbook>
            """)
        var rels = """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet9.xml"/>
            """
        if sharedStrings != nil {
            rels += "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        }
        if styles != nil {
            rels += "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        }
        try add("xl/_rels/workbook.xml.rels", rels + workbookRelsExtra + "</Relationships>")
        try add("xl/worksheets/sheet1.xml", sheetXML)
        try add("xl/worksheets/sheet9.xml", sheet(rows: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>"))
        if let sharedStrings { try add("xl/sharedStrings.xml", sharedStrings) }
        if let styles { try add("xl/styles.xml", styles) }
        for (name, text) in extraParts { try add(name, text) }
        try zip.finish()
        try sink.close()
        return path
    }

    static func sheet(rows: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(rows)</sheetData></worksheet>
        """
    }

    /// `assertThrows` that returns the `SeqPortError`.
    static func error(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let error as SeqPortError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }
}
