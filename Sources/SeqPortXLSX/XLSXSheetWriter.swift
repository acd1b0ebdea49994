import SeqPortArchive
import SeqPortModel

/// Writes one category's records as rows of a worksheet (`Specs/xlsx.md`, "Cells"); get one from
/// `XLSXWorkbookWriter.beginSheet`.
///
/// Row 1 is the header (the field names, bold, frozen); each record is one row below it. Text types
/// are inline string cells, exact integers and decimals numeric cells, booleans boolean cells, NULL no
/// cell at all. Past `maxRowsPerSheet` data rows the category continues on a new sheet `name (2)` with
/// the same header. The writer holds one buffer (the first `widthSampleRows` rows while it measures
/// the column widths, then 64 KiB), never a sheet.
public struct XLSXSheetWriter: RecordWriter {
    enum Kind { case text, number, boolean }

    public let layout: RecordLayout
    private let workbook: XLSXWorkbookWriter
    private let title: String
    private let notes: [String]
    private let kinds: [Kind]
    /// Column letters, `A`…; entry i is column i.
    private let columns: ByteTable
    private let maxRows: Int
    private let sampleRows: Int
    private var buffer = OutputBuffer(capacity: XLSXSheetWriter.flushThreshold + 4096)
    private var entry: ZipEntryWriter?
    private var part: XLSXSheetPart?
    private var continuation = 0
    /// Data rows in the current part.
    private var rows = 0
    /// Whether the current part's first rows are still held back to measure the column widths.
    private var sampling = true
    /// Widest value seen per column, in characters (UTF-8 lead bytes).
    private var widths: [Int]
    private var rowRef: [UInt8] = []
    private var finished = false

    static let flushThreshold = 64 * 1024
    /// Held-back rows never take more than this.
    static let sampleBytes = 1 << 20

    init(workbook: XLSXWorkbookWriter, layout: RecordLayout, title: String, notes: [String]) throws {
        self.workbook = workbook
        self.layout = layout
        self.title = title
        self.notes = notes
        self.kinds = layout.fields.map { field in
            guard layout.isTyped else { return .text }
            switch field.type {
            case .integer, .decimal: return .number
            case .boolean: return .boolean
            default: return .text
            }
        }
        columns = ByteTable((0..<layout.fields.count).map { Array(XLSXParts.columnName($0).utf8) })
        maxRows = max(1, min(workbook.options.maxRowsPerSheet, XLSXLimits.maxRows - 1))
        sampleRows = max(0, workbook.options.widthSampleRows)
        widths = layout.fields.map { $0.name.unicodeScalars.count }
        rowRef.reserveCapacity(8)
        try openPart()
    }

    /// Writes one record as one row.
    /// - Throws: `xlsx.writer-state` when the record's width differs from the layout's or after
    ///   `finish()`; whatever the sink throws.
    public mutating func write(_ record: Record) throws {
        try beginRow(record.values.count)
        for index in 0..<kinds.count {
            guard case .text(let text) = record.values[index] else { continue }
            if text.utf8.withContiguousStorageIfAvailable({ appendCell(index, $0) }) == nil {
                Array(text.utf8).withUnsafeBufferPointer { appendCell(index, $0) }
            }
        }
        try endRow()
    }

    /// Writes one record given as borrowed bytes; the same output as `write(_: Record)`.
    public mutating func write(_ view: RecordView) throws {
        try beginRow(view.count)
        for index in 0..<kinds.count {
            let v = view[index]
            if !v.isNull { appendCell(index, v.bytes) }
        }
        try endRow()
    }

    /// Closes the sheet's last part. Call it once, then begin the next sheet or finish the workbook.
    public mutating func finish() throws {
        guard !finished else { throw SeqPortError(.xlsxWriterState, "sheet finished twice") }
        finished = true
        try closePart()
        workbook.sheetOpen = false
    }

    /// Bytes the writer holds now (the tests' check that memory stays bounded).
    var heldBytes: Int { buffer.count }

    // MARK: - Parts

    private mutating func openPart() throws {
        continuation += 1
        let hasNotes = notes.contains { !$0.isEmpty }
        let part = workbook.addSheet(title: title, continuation: continuation, hasComments: hasNotes)
        self.part = part
        if hasNotes {
            let parts = XLSXParts.noteParts(sheetNumber: part.number, notes: notes)
            try workbook.zip.addEntry("xl/comments\(part.number).xml", bytes: parts.comments)
            try workbook.zip.addEntry("xl/drawings/vmlDrawing\(part.number).vml", bytes: parts.vml)
            try workbook.zip.addEntry("xl/worksheets/_rels/sheet\(part.number).xml.rels", bytes: parts.rels)
        }
        entry = try workbook.zip.beginEntry("xl/worksheets/sheet\(part.number).xml")
        rows = 0
        // The header row waits in the buffer with the first rows until the widths are known.
        buffer.append(Self.rowOne)
        for (index, field) in layout.fields.enumerated() {
            buffer.append(Self.cellStart)
            buffer.append(columns[index])
            buffer.append(Self.one)
            buffer.append(Self.headerCell)
            var name = field.name
            name.withUTF8 { appendText($0) }
        }
        buffer.append(Self.rowEnd)
        if !sampling { try writePrefix() }
    }

    private mutating func closePart() throws {
        if sampling { try writePrefix() }
        buffer.append(Self.sheetEnd)
        if notes.contains(where: { !$0.isEmpty }) { buffer.append(Self.legacyDrawing) }
        buffer.append(Self.worksheetEnd)
        guard let entry else { return }
        try buffer.flush(to: entry)
        try entry.finish()
        self.entry = nil
    }

    /// Writes the worksheet's start (views, frozen pane, column widths) and the rows held back.
    private mutating func writePrefix() throws {
        sampling = false
        guard let entry, let part else { return }
        var s = XLSXParts.declaration
        s += "<worksheet xmlns=\"\(XLSXParts.mainNS)\" xmlns:r=\"\(XLSXParts.relNS)\">"
        s += "<sheetViews><sheetView\(part.number == 1 ? " tabSelected=\"1\"" : "") workbookViewId=\"0\">"
        s += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        s += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        s += "<sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        let cap = max(8, workbook.options.maxColumnWidth)
        for (index, width) in widths.enumerated() {
            let w = min(cap, max(6, width + 2))
            let style = kinds[index] == .text ? " style=\"\(XLSXParts.Style.text)\"" : ""
            s += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(w)\" customWidth=\"1\"\(style)/>"
        }
        s += "</cols><sheetData>"
        try entry.write(s)
        try buffer.flush(to: entry)
    }

    // MARK: - Rows and cells

    @inline(__always)
    private mutating func beginRow(_ count: Int) throws {
        guard !finished else { throw SeqPortError(.xlsxWriterState, "xlsx record written after finish") }
        guard count == kinds.count else {
            throw SeqPortError(.xlsxWriterState, "xlsx record has \(count) values but the layout has \(kinds.count) fields")
        }
        if rows == maxRows {
            try closePart()
            try openPart()
        }
        rows += 1
        // Row numbers: the header is row 1.
        rowRef.removeAll(keepingCapacity: true)
        var n = rows + 1
        repeat {
            rowRef.append(UInt8(ascii: "0") + UInt8(n % 10))
            n /= 10
        } while n > 0
        rowRef.reverse()
        buffer.append(Self.rowStart)
        rowRef.withUnsafeBufferPointer { buffer.append($0) }
        buffer.append(Self.tagClose)
    }

    @inline(__always)
    private mutating func endRow() throws {
        buffer.append(Self.rowEnd)
        if sampling {
            if rows >= sampleRows || buffer.count >= Self.sampleBytes { try writePrefix() }
        } else if buffer.count >= Self.flushThreshold, let entry {
            try buffer.flush(to: entry)
        }
    }

    /// Appends one non-NULL cell of column `index`.
    @inline(__always)
    private mutating func appendCell(_ index: Int, _ u: UnsafeBufferPointer<UInt8>) {
        if sampling { measure(index, u) }
        buffer.append(Self.cellStart)
        buffer.append(columns[index])
        rowRef.withUnsafeBufferPointer { buffer.append($0) }
        switch kinds[index] {
        case .number where XLSXNumber.isExactNumber(u):
            buffer.append(Self.numberCell)
            buffer.append(u)
            buffer.append(Self.valueEnd)
        case .boolean where u.elementsEqual("true".utf8):
            buffer.append(Self.trueCell)
        case .boolean where u.elementsEqual("false".utf8):
            buffer.append(Self.falseCell)
        default:
            buffer.append(Self.textCell)
            appendText(u)
        }
    }

    /// `<is><t>…</t></is></c>` after the cell's attributes.
    @inline(__always)
    private mutating func appendText(_ u: UnsafeBufferPointer<UInt8>) {
        buffer.append(XLSXText.needsPreserve(u) ? Self.textPreserve : Self.textStart)
        XLSXText.append(u, to: &buffer)
        buffer.append(Self.textEnd)
    }

    private mutating func measure(_ index: Int, _ u: UnsafeBufferPointer<UInt8>) {
        var n = 0
        for b in u where b & 0xC0 != 0x80 {
            n += 1
            if n > 200 { break }
        }
        if n > widths[index] { widths[index] = n }
    }

    // MARK: - Fixed bytes

    static let rowOne = Array("<row r=\"1\">".utf8)
    static let one = Array("1".utf8)
    static let rowStart = Array("<row r=\"".utf8)
    static let tagClose = Array("\">".utf8)
    static let rowEnd = Array("</row>".utf8)
    static let cellStart = Array("<c r=\"".utf8)
    static let headerCell = Array("\" s=\"\(XLSXParts.Style.header)\" t=\"inlineStr\">".utf8)
    static let textCell = Array("\" s=\"\(XLSXParts.Style.text)\" t=\"inlineStr\">".utf8)
    static let numberCell = Array("\"><v>".utf8)
    static let valueEnd = Array("</v></c>".utf8)
    static let trueCell = Array("\" t=\"b\"><v>1</v></c>".utf8)
    static let falseCell = Array("\" t=\"b\"><v>0</v></c>".utf8)
    static let textStart = Array("<is><t>".utf8)
    static let textPreserve = Array("<is><t xml:space=\"preserve\">".utf8)
    static let textEnd = Array("</t></is></c>".utf8)
    static let sheetEnd = Array(("</sheetData><ignoredErrors><ignoredError sqref=\"A1:XFD1048576\" numberStoredAsText=\"1\"/>"
        + "</ignoredErrors>").utf8)
    static let legacyDrawing = Array("<legacyDrawing r:id=\"rId2\"/>".utf8)
    static let worksheetEnd = Array("</worksheet>".utf8)
}
