import Foundation
import SeqPortXML

/// The fixed parts of a workbook and the small ones made from the sheet list (`Specs/xlsx.md`, "Parts").
enum XLSXParts {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let worksheetType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    static let stylesType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
    static let commentsType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    static let vmlType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"

    /// Style indexes in `styles.xml`'s `cellXfs`.
    enum Style {
        /// General: numbers and booleans.
        static let general = 0
        /// Bold text (`@`): the header row.
        static let header = 1
        /// Text (`@`, number format 49): what a person types into it stays text (`0701…` keeps its zero).
        static let text = 2
    }

    /// A name or title as XML attribute or element text: SeqPortXML's one escaper for names and texts
    /// (characters XML cannot carry become a space; names are cleaned before, this is the last guard).
    static func xml(_ s: String) -> String { XMLText.escaped(s) }

    /// Note text: cell text escaping (`_xHHHH_` for controls), as comments carry it.
    static func noteText(_ s: String) -> String { String(decoding: XLSXText.escaped(s), as: UTF8.self) }

    static func contentTypes(sheets: [XLSXSheetPart]) -> String {
        var s = declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        s += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        s += "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/>"
        s += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for sheet in sheets {
            s += "<Override PartName=\"/xl/worksheets/sheet\(sheet.number).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            if sheet.hasComments {
                s += "<Override PartName=\"/xl/comments\(sheet.number).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>"
            }
        }
        s += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        s += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        s += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        return s + "</Types>"
    }

    static let rootRels = declaration + "<Relationships xmlns=\"\(packageRelNS)\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
        + "</Relationships>"

    static func workbook(sheets: [XLSXSheetPart]) -> String {
        var s = declaration + "<workbook xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\"><workbookPr/>"
        s += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for sheet in sheets {
            s += "<sheet name=\"\(xml(sheet.name))\" sheetId=\"\(sheet.number)\" r:id=\"rId\(sheet.number)\"/>"
        }
        return s + "</sheets></workbook>"
    }

    static func workbookRels(sheets: [XLSXSheetPart]) -> String {
        var s = declaration + "<Relationships xmlns=\"\(packageRelNS)\">"
        for sheet in sheets {
            s += "<Relationship Id=\"rId\(sheet.number)\" Type=\"\(worksheetType)\" Target=\"worksheets/sheet\(sheet.number).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(stylesType)\" Target=\"styles.xml\"/>"
        return s + "</Relationships>"
    }

    static let styles = declaration + "<styleSheet xmlns=\"\(mainNS)\">"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    static func core(modified: String, title: String?) -> String {
        var s = declaration + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
            + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        if let title { s += "<dc:title>\(xml(title))</dc:title>" }
        s += "<dc:creator>seqport</dc:creator>"
        s += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(xml(modified))</dcterms:created>"
        s += "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(xml(modified))</dcterms:modified>"
        return s + "</cp:coreProperties>"
    }

    static let app = declaration + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
        + "<Application>seqport</Application></Properties>"

    static func sheetRels(number: Int) -> String {
        declaration + "<Relationships xmlns=\"\(packageRelNS)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(commentsType)\" Target=\"../comments\(number).xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"\(vmlType)\" Target=\"../drawings/vmlDrawing\(number).vml\"/>"
            + "</Relationships>"
    }

    /// A sheet's notes parts (comments, drawing, relationships) as bytes. Every workbook of a batch has
    /// the same ones for the same sheet, so they are built once per process and kept (a few KiB per
    /// sheet, at most `NotePartsCache.limit` sets).
    static func noteParts(sheetNumber: Int, notes: [String]) -> NoteParts {
        let key = NotePartsCache.Key(sheetNumber: sheetNumber, notes: notes)
        if let kept = NotePartsCache.shared.get(key) { return kept }
        let noted = notes.enumerated().filter { !$0.element.isEmpty }
        let parts = NoteParts(comments: Array(comments(noted.map { (columnName($0.offset), $0.element) }).utf8),
                              vml: Array(vml(sheetNumber: sheetNumber, notes: noted.map { ($0.offset, $0.element) }).utf8),
                              rels: Array(sheetRels(number: sheetNumber).utf8))
        NotePartsCache.shared.put(key, parts)
        return parts
    }

    /// The header notes: one comment per header cell that has a description.
    static func comments(_ notes: [(column: String, text: String)]) -> String {
        var s = declaration + "<comments xmlns=\"\(mainNS)\"><authors><author>seqport</author></authors><commentList>"
        for note in notes {
            s += "<comment ref=\"\(note.column)1\" authorId=\"0\"><text><t xml:space=\"preserve\">\(noteText(note.text))</t></text></comment>"
        }
        return s + "</commentList></comments>"
    }

    /// The legacy drawing Excel needs to show notes: one hidden shape per note.
    static func vml(sheetNumber: Int, notes: [(columnIndex: Int, text: String)]) -> String {
        var s = "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\""
            + " xmlns:x=\"urn:schemas-microsoft-com:office:excel\">"
            + "<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"\(sheetNumber)\"/></o:shapelayout>"
            + "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\">"
            + "<v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>"
        for (k, note) in notes.enumerated() {
            let c = note.columnIndex
            s += "<v:shape id=\"_x0000_s\(sheetNumber * 1024 + 1 + k)\" type=\"#_x0000_t202\""
                + " style=\"position:absolute;margin-left:80pt;margin-top:2pt;width:200pt;height:80pt;z-index:\(k + 1);visibility:hidden\""
                + " fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/>"
                + "<v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>"
                + "<v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>"
                + "<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>"
                + "<x:Anchor>\(c + 1), 15, 0, 2, \(c + 4), 15, 5, 2</x:Anchor><x:AutoFill>False</x:AutoFill>"
                + "<x:Row>0</x:Row><x:Column>\(c)</x:Column></x:ClientData></v:shape>"
        }
        return s + "</xml>"
    }

    /// `A`, `B`, … `Z`, `AA`, … for a 0-based column index.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(UInt8(ascii: "A") + UInt8(r), at: 0)
            n = (n - 1) / 26
        }
        return String(decoding: letters, as: UTF8.self)
    }
}

struct NoteParts: Sendable {
    var comments: [UInt8]
    var vml: [UInt8]
    var rels: [UInt8]
}

/// `XLSXParts.noteParts` built before, shared by the workbooks a process writes (a batch's jobs).
// @unchecked Sendable: `parts` is read and written only under `lock`.
final class NotePartsCache: @unchecked Sendable {
    struct Key: Hashable {
        var sheetNumber: Int
        var notes: [String]
    }

    static let shared = NotePartsCache()
    static let limit = 256

    private let lock = NSLock()
    private var parts: [Key: NoteParts] = [:]

    func get(_ key: Key) -> NoteParts? {
        lock.lock()
        defer { lock.unlock() }
        return parts[key]
    }

    func put(_ key: Key, _ value: NoteParts) {
        lock.lock()
        defer { lock.unlock() }
        if parts.count >= Self.limit { parts.removeAll(keepingCapacity: true) }
        parts[key] = value
    }
}
