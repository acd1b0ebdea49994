import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortXLSX

/// The bundle's XLSX copy (`xlsx/data.xlsx`, `Specs/xlsx.md`): one workbook, one sheet per category,
/// written while the categories stream. The workbook is a ZIP of its own, so it is spooled (in memory up
/// to 4 MiB, then in an unlinked temporary file beside the bundle, which no crash can leave behind) and
/// then stored — not deflated again — as one bundle entry.
final class BundleWorkbook {
    let spool: SpoolSink
    let writer: XLSXWorkbookWriter
    private var sheetsBefore = 0

    init(directory: String, generatedAt: Date, workers: Int) throws {
        spool = SpoolSink(memoryLimit: 4 << 20, directory: directory)
        var options = XLSXWorkbookWriter.Options(modified: ValueSyntax.timestamp(epochSeconds: Int64(generatedAt.timeIntervalSince1970.rounded(.down))))
        options.zip.setModificationDate(generatedAt)
        options.zip.workers = max(1, workers)
        writer = XLSXWorkbookWriter(sink: spool, options: options)
    }

    /// The sheet writer for one category; `sheetsOfLastCategory` names its sheets once it is finished.
    func beginSheet(_ category: Category, layout: RecordLayout) throws -> XLSXSheetWriter {
        sheetsBefore = writer.sheetNames.count
        return try writer.beginSheet(layout: layout, title: category.name)
    }

    /// The sheets the category just finished was written to (more than one past Excel's row limit).
    var sheetsOfLastCategory: [String] { Array(writer.sheetNames.dropFirst(sheetsBefore)) }

    /// Finishes the workbook and stores it in the bundle; returns its manifest entry.
    func finish(into zip: ZipWriter) throws -> Manifest.FileEntry {
        try writer.finish()
        let entry = try zip.beginEntry(BundleLayout.workbook, compress: false)
        let hash = HashingSink(entry)
        try spool.drain(into: hash)
        _ = try entry.finish()
        return .init(path: BundleLayout.workbook, bytes: hash.count, sha256: hash.finalize(),
                     mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
}
