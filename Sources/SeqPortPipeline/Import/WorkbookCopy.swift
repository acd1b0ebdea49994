import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortXLSX

/// The bundle's workbook (`xlsx/data.xlsx`) as a copy the import reads: when the subject edited it (its
/// checksum differs from the manifest's) or `--format xlsx` asks for it. It is extracted to a private
/// temporary file (the XLSX reader needs random access) and removed when the import ends.
final class WorkbookCopy {
    let reader: XLSXReader
    let edited: Bool
    private let directory: String

    /// Opens the workbook when it is to be read; nil when the bundle has none or it is unchanged and not asked for.
    static func open(_ bundle: OpenedBundle, listed: [String: Manifest.FileEntry], requested: Bool, limits: ReaderLimits,
                     zipLimits: ZipLimits) throws -> WorkbookCopy? {
        guard let entry = bundle.zip.entry(named: BundleLayout.workbook) else {
            if requested {
                throw SeqPortError(.bundleMissing, "the bundle has no workbook", at: SourceLocation(entry: BundleLayout.workbook))
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
            let edited = listed[BundleLayout.workbook].map { $0.bytes != hash.count || $0.sha256 != hash.finalize() } ?? true
            guard edited || requested else {
                try? FileManager.default.removeItem(atPath: directory)
                return nil
            }
            var xlsxLimits = XLSXReader.Limits()
            xlsxLimits.values = limits
            xlsxLimits.zip = zipLimits
            let reader: XLSXReader
            do { reader = try XLSXReader(path: path, limits: xlsxLimits) } catch let e as SeqPortError { throw e.within(entry: BundleLayout.workbook) }
            return WorkbookCopy(reader: reader, edited: edited, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private init(reader: XLSXReader, edited: Bool, directory: String) {
        self.reader = reader
        self.edited = edited
        self.directory = directory
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The category's records, read from its sheets in order (`sheets` from the manifest, or the
    /// category's name), as one reader.
    func records(of category: String, sheets: [String]?, layout: RecordLayout) throws -> (path: String, reader: any RecordReader)? {
        let names = sheets ?? [category]
        let present = names.filter { reader.sheetNames.contains($0) }
        guard !present.isEmpty else { return nil }
        guard present.count == names.count else {
            throw SeqPortError(.bundleMissing, "the workbook lacks sheet \"\(names.first { !present.contains($0) }!)\" of category \(category); keep every sheet",
                               at: SourceLocation(entry: BundleLayout.workbook))
        }
        let sheets = try present.map { try reader.sheet(named: $0, layout: layout) }
        return ("\(BundleLayout.workbook) (\(present.joined(separator: ", ")))", ConcatenatedReader(readers: sheets, layout: layout))
    }

    /// The sheets no category of the manifest owns (a sheet the subject added): noted, not read.
    func extraSheets(_ categories: [ImportManifest.CategoryEntry]) -> [String] {
        let owned = Set(categories.flatMap { $0.sheets ?? [$0.name] })
        return reader.sheetNames.filter { !owned.contains($0) }
    }
}

/// Reads several readers one after the other (a category continued on further sheets).
struct ConcatenatedReader: RecordReader {
    var readers: [any RecordReader]
    let layout: RecordLayout
    private var index = 0

    init(readers: [any RecordReader], layout: RecordLayout) {
        self.readers = readers
        self.layout = layout
    }

    mutating func next() throws -> Record? {
        while index < readers.count {
            if let record = try readers[index].next() { return record }
            index += 1
        }
        return nil
    }
}
