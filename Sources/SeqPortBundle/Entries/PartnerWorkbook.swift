import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortXLSX

/// The sheet of a bare partner workbook (`import FILE.xlsx --subject ID`) that holds a category: the
/// sheet named after it, or the workbook's only sheet.
///
/// The header is read first, untyped, to learn the columns; the sheet is then read with the layout
/// `context.typing` gives those columns (each column that gives a field typed as that field), so that date
/// and number cells are read as the field needs them (`Specs/xlsx.md`, "Reading"). The caller maps the
/// columns as in any partner file.
enum PartnerWorkbook {
    static func reader(path: String, context: PartnerFileContext) throws -> any RecordReader {
        var limits = XLSXReader.Limits()
        limits.values = context.limits
        limits.zip = context.zipLimits
        do {
            let workbook = try XLSXReader(path: path, limits: limits)
            let names = workbook.sheetNames
            let name: String
            if names.contains(context.category) {
                name = context.category
            } else if names.count == 1 {
                name = names[0]
            } else {
                throw SeqPortError(.usage, "the workbook has \(names.count) sheets and none is named \(context.category); name the sheet after its category, or send one sheet",
                                   at: SourceLocation(entry: path))
            }
            var header = try workbook.sheet(named: name, layout: nil)
            do {
                _ = try header.next()
            } catch where header.canContinueAfterError {
                // An error in the first data row: the header was read; the row is reported when read again.
            }
            let sheet = try workbook.sheet(named: name, layout: context.typing(header.layout))
            return PartnerSheetReader(workbook: workbook, sheet: sheet, path: path)
        } catch let e as SeqPortError {
            throw e.within(entry: path)
        }
    }
}

/// A partner workbook's sheet; errors name the file and the cell (`partner.xlsx, contact!C2`). After a
/// bad row the next is read (`--max-errors`), as the sheet reader allows.
private struct PartnerSheetReader: ResumableRecordReader {
    /// Kept open while its sheet is read.
    let workbook: XLSXReader
    var sheet: XLSXSheetReader
    let path: String

    var layout: RecordLayout { sheet.layout }
    var canContinueAfterError: Bool { sheet.canContinueAfterError }

    mutating func next() throws -> Record? {
        do {
            return try sheet.next()
        } catch var e as SeqPortError {
            e.location.entry = e.location.entry.map { "\(path), \($0)" } ?? path
            throw e
        }
    }
}
