import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortXLSX

/// The bundle's workbook (`xlsx/data.xlsx`, `Specs/xlsx.md`) as export writes it: one sheet per
/// category, written while the categories stream. The workbook is a ZIP of its own, so it is spooled (in
/// memory up to 1 MiB, then in an unlinked temporary file beside the bundle, which no crash can leave
/// behind) and then stored — not deflated again — as one bundle entry.
final class WorkbookEntryWriter: SharedEntryWriter {
    let spool: SpoolSink
    let writer: XLSXWorkbookWriter
    let path: String
    let mediaType: String
    private var sheetsBefore = 0

    init(path: String, mediaType: String, context: SharedEntryContext) {
        self.path = path
        self.mediaType = mediaType
        spool = SpoolSink(memoryLimit: 1 << 20, directory: context.spoolDirectory)
        let generatedAt = context.generatedAt
        var options = XLSXWorkbookWriter.Options(modified: ValueSyntax.timestamp(epochSeconds: Int64(generatedAt.timeIntervalSince1970.rounded(.down))))
        options.zip.setModificationDate(generatedAt)
        // A sheet larger than one chunk is deflated by a thread of its own beside the exporting thread
        // (which helps when it would wait): with libdeflate the exporting thread, not deflate, became the
        // export's critical path. At most two chunks in flight and sheets spilled beside the bundle after
        // 1 MiB keep the export within 64 MiB.
        options.zip.workers = min(2, ZipWriter.Options().workers)
        options.zip.maxInFlightChunks = 2
        options.zip.level = context.level
        options.zip.memorySpoolLimit = 1 << 20
        options.zip.spoolDirectory = context.spoolDirectory
        // Its notes, drawings and styles are alike in every bundle of a batch: compressed once.
        options.zip.cache = context.cache
        writer = XLSXWorkbookWriter(sink: spool, options: options)
    }

    /// The category's sheet: it gets exactly what the copies get.
    func beginCategory(_ category: Category, layout: RecordLayout) throws -> (any RecordWriter)? {
        sheetsBefore = writer.sheetNames.count
        return try writer.beginSheet(layout: layout, title: category.name)
    }

    /// The sheets the category just finished was written to (more than one past Excel's row limit).
    func partsOfLastCategory() -> [String]? { Array(writer.sheetNames.dropFirst(sheetsBefore)) }

    /// Finishes the workbook and stores it in the bundle.
    func finish(into zip: ZipWriter) throws -> SharedEntryOutput {
        try writer.finish()
        let entries = HashedEntries(zip)
        try spool.drain(into: try entries.begin(path, compress: false, mediaType: mediaType))
        return SharedEntryOutput(files: try entries.finish())
    }
}
