import SeqPortArchive
import SeqPortModel

/// Writes an Office Open XML workbook (`.xlsx`) to a `ByteSink`, one sheet and one record at a time
/// (`Specs/xlsx.md`), through the project's `ZipWriter`.
///
/// Worksheets are streamed as they are written; the parts that list them (`[Content_Types].xml`,
/// `xl/workbook.xml`, its relationships) follow at `finish()`. The bytes depend only on the records and
/// the options: fixed timestamps, no random ids.
///
/// ```swift
/// let workbook = XLSXWorkbookWriter(sink: sink, options: .init(modified: "2026-01-01T00:00:00Z"))
/// var sheet = try workbook.beginSheet(layout: layout, title: "contact", descriptions: nil)
/// for record in records { try sheet.write(record) }
/// try sheet.finish()
/// try workbook.finish()
/// ```
///
/// Use it from one thread; one sheet is open at a time. The writer never closes the sink.
public final class XLSXWorkbookWriter {
    /// How the workbook is written; the defaults are what spreadsheet programs expect.
    public struct Options: Sendable {
        /// Data rows per sheet before the category continues on a sheet `name (2)`. Default 1,048,575
        /// (Excel's 1,048,576 rows less the header row). Lower it only for tests.
        public var maxRowsPerSheet: Int = 1_048_575
        /// The creation and modification time in `docProps/core.xml` (W3CDTF, UTC). Default
        /// `1980-01-01T00:00:00Z`; pass the export's `--generated-at` so the bytes are reproducible.
        public var modified: String = "1980-01-01T00:00:00Z"
        /// The document title in `docProps/core.xml`, if any.
        public var title: String? = nil
        /// Rows (after the header) whose widths set the column widths. Default 100.
        public var widthSampleRows: Int = 100
        /// The widest column, in characters. Default 60.
        public var maxColumnWidth: Int = 60
        /// The ZIP container's options (compression level, threads, modification date).
        public var zip: ZipWriter.Options = .init()

        public init(modified: String = "1980-01-01T00:00:00Z") { self.modified = modified }
    }

    public let options: Options
    let zip: ZipWriter
    var sheets: [XLSXSheetPart] = []
    var names = XLSXSheetNames()
    /// Whether a sheet writer is open (its parts are being written).
    var sheetOpen = false
    private var finished = false

    /// Creates a writer; nothing is written before the first sheet's first part.
    public init(sink: any ByteSink, options: Options = .init()) {
        self.options = options
        self.zip = ZipWriter(sink: sink, options: options.zip)
    }

    /// The sheet names written so far, in workbook order (continuation sheets included).
    public var sheetNames: [String] { sheets.map(\.name) }

    /// Bytes written to the sink so far (the file's size after `finish()`).
    public var bytesWritten: UInt64 { zip.bytesWritten }

    /// Starts the sheet (or sheets, past `maxRowsPerSheet` rows) of one category.
    /// - Parameters:
    ///   - layout: the fields; the header row holds their names.
    ///   - title: the sheet name wanted (usually the category name); made valid and unique.
    ///   - descriptions: one note per header cell (empty strings get none); `nil` takes the fields'
    ///     descriptions, `[]` writes no notes.
    /// - Throws: `xlsx.writer-state` when another sheet is open or the workbook is finished.
    public func beginSheet(layout: RecordLayout, title: String, descriptions: [String]? = nil) throws -> XLSXSheetWriter {
        guard !finished else { throw SeqPortError(.xlsxWriterState, "the workbook was already finished") }
        guard !sheetOpen else { throw SeqPortError(.xlsxWriterState, "a sheet is still open") }
        guard !layout.fields.isEmpty, layout.fields.count <= XLSXLimits.maxColumns else {
            throw SeqPortError(.xlsxWriterState, "a sheet needs 1 to \(XLSXLimits.maxColumns) fields, not \(layout.fields.count)")
        }
        let notes = descriptions ?? layout.fields.map(\.description)
        sheetOpen = true
        return try XLSXSheetWriter(workbook: self, layout: layout, title: title,
                                   notes: notes.count == layout.fields.count ? notes : [])
    }

    /// Adds the next worksheet part; returns its number and name.
    func addSheet(title: String, continuation: Int, hasComments: Bool) -> XLSXSheetPart {
        let name = names.claim(title, suffix: continuation > 1 ? " (\(continuation))" : "")
        let part = XLSXSheetPart(name: name, number: sheets.count + 1, hasComments: hasComments)
        sheets.append(part)
        return part
    }

    /// Writes the workbook, styles, properties, relationships and content types, then the ZIP directory.
    /// A workbook without any sheet gets one empty sheet (programs refuse a workbook with none).
    public func finish() throws {
        guard !finished else { throw SeqPortError(.xlsxWriterState, "the workbook was already finished") }
        guard !sheetOpen else { throw SeqPortError(.xlsxWriterState, "a sheet is still open") }
        if sheets.isEmpty {
            var empty = try beginSheet(layout: RecordLayout(name: "sheet", fields: [.untyped("empty")], isTyped: false),
                                       title: "sheet", descriptions: [])
            try empty.finish()
        }
        finished = true
        try add("xl/workbook.xml", XLSXParts.workbook(sheets: sheets))
        try add("xl/_rels/workbook.xml.rels", XLSXParts.workbookRels(sheets: sheets))
        try add("xl/styles.xml", XLSXParts.styles)
        try add("docProps/core.xml", XLSXParts.core(modified: options.modified, title: options.title))
        try add("docProps/app.xml", XLSXParts.app)
        try add("_rels/.rels", XLSXParts.rootRels)
        try add("[Content_Types].xml", XLSXParts.contentTypes(sheets: sheets))
        try zip.finish()
    }

    func add(_ name: String, _ text: String) throws {
        try zip.addEntry(name, bytes: Array(text.utf8))
    }
}
