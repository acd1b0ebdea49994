import Foundation
import SeqPortArchive
import SeqPortModel

// # Shared entries: a format held in one entry for the whole bundle
//
// A copy format (`FormatDescriptor.Kind.copy`) is a record writer per category, and a reader of one
// category's file; export, verify and import drive it with no more than its registry entry. A format
// whose bundle entry holds every category at once (`BundleEntry.shared`: the workbook, a sheet per
// category; the contact card, made from two categories) is driven through the two protocols below, which
// its registry entry makes (`FormatDescriptor.sharedWriter`, `.sharedReader`):
//
// - export asks each shared writer, as every category streams into the copies, for a record writer
//   for that category too (the workbook's sheet; the card takes none), and after the last category
//   lets it finish its entry into the bundle: its manifest file entries, and notes when it is left out
//   (a card cannot carry a contact with a control character in its name: the data is in every copy);
// - import asks each shared reader whether the subject edited its entry (or `--format` names it), and
//   then for the records of each category it holds.
//
// What must not change: export finishes the shared entries in registry order after the categories and
// before the attachments — the order of the entries in every bundle (SamplesTests pins it).

/// What a shared entry's writer is told besides the records that stream to it.
public struct SharedEntryContext {
    public var subject: String
    public var scope: Scope
    public var schema: Schema
    /// The bundle's time (its entries' modification time, the workbook's `modified`, the card's `REV`).
    public var generatedAt: Date
    /// Where an entry too large for memory is spooled (beside the bundle).
    public var spoolDirectory: String
    /// The deflate level of the format's own compressed parts (the workbook's).
    public var level: Int32
    /// Parts alike in every bundle of a batch are compressed once (`CompressionCache`).
    public var cache: CompressionCache?
    /// The subject's records of a category, from the store, in the store's order (the card's contact
    /// and e-mail addresses; file fields hold the stored file ids).
    public var records: (Category, RecordLayout, (Record) throws -> Void) throws -> Void
    /// A stored file of the subject, by id.
    public var file: (String) throws -> (mediaType: String, content: [UInt8])?

    public init(subject: String, scope: Scope, schema: Schema, generatedAt: Date, spoolDirectory: String, level: Int32,
                cache: CompressionCache? = nil,
                records: @escaping (Category, RecordLayout, (Record) throws -> Void) throws -> Void,
                file: @escaping (String) throws -> (mediaType: String, content: [UInt8])?) {
        self.subject = subject
        self.scope = scope
        self.schema = schema
        self.generatedAt = generatedAt
        self.spoolDirectory = spoolDirectory
        self.level = level
        self.cache = cache
        self.records = records
        self.file = file
    }
}

/// What a shared entry adds to a bundle.
public struct SharedEntryOutput {
    /// The manifest's entries for what was written (none when it was left out).
    public var files: [Manifest.FileEntry]
    /// Why it was left out, for the manifest's `notes`.
    public var notes: [String]

    public init(files: [Manifest.FileEntry] = [], notes: [String] = []) {
        self.files = files
        self.notes = notes
    }
}

/// Writes one shared entry of one bundle while its categories stream (see the note above).
public protocol SharedEntryWriter: AnyObject {
    /// A writer for the category's records, which get exactly what the copies get; nil when this entry
    /// does not hold the category as it streams.
    func beginCategory(_ category: Category, layout: RecordLayout) throws -> (any RecordWriter)?
    /// The parts of the entry the category just finished went to, for the manifest's category entry
    /// (the workbook's sheets: more than one past a spreadsheet's row limit); nil when it holds none.
    func partsOfLastCategory() -> [String]?
    /// Finishes the entry and adds it to the bundle.
    func finish(into zip: ZipWriter) throws -> SharedEntryOutput
}

/// What a shared entry's reader is told when a returned bundle is opened.
public struct SharedReadContext {
    /// The manifest's file entries by path: an entry that differs from its listing was edited.
    public var listed: [String: Manifest.FileEntry]
    /// `--format` names this format: read it even when it is unchanged, instead of the copies.
    public var requested: Bool
    public var limits: ReaderLimits
    public var zipLimits: ZipLimits

    public init(listed: [String: Manifest.FileEntry], requested: Bool, limits: ReaderLimits, zipLimits: ZipLimits) {
        self.listed = listed
        self.requested = requested
        self.limits = limits
        self.zipLimits = zipLimits
    }
}

/// A returned bundle's shared entry, read as a copy of the categories it holds.
public protocol SharedEntryReader: AnyObject {
    /// The entry's path in the bundle.
    var path: String { get }
    /// Whether the subject changed it (its checksum differs from the manifest's).
    var edited: Bool { get }
    /// The category's records, from the parts the manifest names (`parts`, else the category's name),
    /// with the path the plan names them by; nil when the entry holds none of them.
    func records(of category: String, parts: [String]?, layout: RecordLayout) throws -> (path: String, reader: any RecordReader)?
    /// What the entry holds that no category of the manifest owns (a sheet the subject added), read by
    /// nothing: the plan's notes that say so.
    func unreadNotes(owners categories: [(name: String, parts: [String]?)]) -> [String]
}

/// What a format's reader of a partner file that is not a stream of bytes (a workbook, read by file
/// offset) is told.
public struct PartnerFileContext {
    /// The category the file's records belong to: a sheet named after it is read.
    public var category: String
    /// The layout to read the file's columns with, given the columns as the file names them (untyped):
    /// each column that gives a field is typed as that field, so cells are read as the field needs them.
    public var typing: (RecordLayout) -> RecordLayout
    public var limits: ReaderLimits
    public var zipLimits: ZipLimits

    public init(category: String, typing: @escaping (RecordLayout) -> RecordLayout, limits: ReaderLimits, zipLimits: ZipLimits) {
        self.category = category
        self.typing = typing
        self.limits = limits
        self.zipLimits = zipLimits
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
