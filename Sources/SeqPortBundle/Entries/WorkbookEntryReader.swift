import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortXLSX

/// The bundle's workbook (`xlsx/data.xlsx`) as a copy the import reads: when the subject edited it (its
/// checksum differs from the manifest's) or `--format xlsx` asks for it. It is extracted to a private
/// temporary file (the XLSX reader needs random access) and removed when the import ends.
final class WorkbookEntryReader: SharedEntryReader {
    let reader: XLSXReader
    let edited: Bool
    let path: String
    private let directory: String

    /// Opens the workbook when it is to be read; nil when the bundle has none or it is unchanged and not asked for.
    static func open(_ bundle: OpenedBundle, path entryPath: String, context: SharedReadContext) throws -> WorkbookEntryReader? {
        guard let entry = bundle.zip.entry(named: entryPath) else {
            if context.requested {
                throw SeqPortError(.bundleMissing, "the bundle has no workbook", at: SourceLocation(entry: entryPath))
            }
            return nil
        }
        let directory = NSTemporaryDirectory() + "seqport-workbook-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            let path = directory + "/data.xlsx"
            let file = try FileSink(path: path)
            let hash = HashingSink(file)
            try copy(try bundle.zip.open(entry), to: hash)
            try file.close()
            let edited = context.listed[entryPath].map { $0.bytes != hash.count || $0.sha256 != hash.finalize() } ?? true
            guard edited || context.requested else {
                try? FileManager.default.removeItem(atPath: directory)
                return nil
            }
            var xlsxLimits = XLSXReader.Limits()
            xlsxLimits.values = context.limits
            xlsxLimits.zip = context.zipLimits
            let reader: XLSXReader
            do { reader = try XLSXReader(path: path, limits: xlsxLimits) } catch let e as SeqPortError { throw e.within(entry: entryPath) }
            return WorkbookEntryReader(reader: reader, edited: edited, path: entryPath, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private init(reader: XLSXReader, edited: Bool, path: String, directory: String) {
        self.reader = reader
        self.edited = edited
        self.path = path
        self.directory = directory
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The category's records, read from its sheets in order (`parts`: the manifest's `sheets`, or the
    /// category's name), as one reader.
    func records(of category: String, parts: [String]?, layout: RecordLayout) throws -> (path: String, reader: any RecordReader)? {
        let names = parts ?? [category]
        let present = names.filter { reader.sheetNames.contains($0) }
        guard !present.isEmpty else { return nil }
        guard present.count == names.count else {
            throw SeqPortError(.bundleMissing, "the workbook lacks sheet \"\(names.first { !present.contains($0) }!)\" of category \(category); keep every sheet",
                               at: SourceLocation(entry: path))
        }
        let sheets = try present.map { try reader.sheet(named: $0, layout: layout) }
        return ("\(path) (\(present.joined(separator: ", ")))", ConcatenatedReader(readers: sheets, layout: layout))
    }

    /// The sheets no category of the manifest owns (a sheet the subject added): noted, not read.
    func unreadNotes(owners categories: [(name: String, parts: [String]?)]) -> [String] {
        let owned = Set(categories.flatMap { $0.parts ?? [$0.name] })
        let extra = reader.sheetNames.filter { !owned.contains($0) }
        guard !extra.isEmpty else { return [] }
        return ["sheets \(extra.map { "\"\($0)\"" }.joined(separator: ", ")) belong to no category and were not read"]
    }
}
