import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortXLSX

/// The bundle's XLSX copy (`xlsx/data.xlsx`, `Specs/xlsx.md`): one workbook, one sheet per category,
/// written while the categories stream. The workbook is a ZIP of its own, so it is spooled (in memory up
/// to 1 MiB, then in an unlinked temporary file beside the bundle, which no crash can leave behind) and
/// then stored — not deflated again — as one bundle entry.
final class BundleWorkbook {
    let spool: SpoolSink
    let writer: XLSXWorkbookWriter
    private var sheetsBefore = 0

    init(directory: String, generatedAt: Date, level: Int32 = 6, cache: CompressionCache? = nil) throws {
        spool = SpoolSink(memoryLimit: 1 << 20, directory: directory)
        var options = XLSXWorkbookWriter.Options(modified: ValueSyntax.timestamp(epochSeconds: Int64(generatedAt.timeIntervalSince1970.rounded(.down))))
        options.zip.setModificationDate(generatedAt)
        // A sheet larger than one chunk is deflated by a thread of its own beside the exporting thread
        // (which helps when it would wait): with libdeflate the exporting thread, not deflate, became the
        // export's critical path. At most two chunks in flight and sheets spilled beside the bundle after
        // 1 MiB keep the export within 64 MiB.
        options.zip.workers = min(2, ZipWriter.Options().workers)
        options.zip.maxInFlightChunks = 2
        options.zip.level = level
        options.zip.memorySpoolLimit = 1 << 20
        options.zip.spoolDirectory = directory
        // Its notes, drawings and styles are alike in every bundle of a batch: compressed once.
        options.zip.cache = cache
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
        let entries = HashedEntries(zip)
        try spool.drain(into: try entries.begin(BundleLayout.workbook, compress: false, mediaType: FormatRegistry.workbook.mediaType))
        return try entries.finish()[0]
    }
}
