import SeqPortArchive
import SeqPortModel
import SeqPortVCard

/// One format as the rest of seqport sees it: its names, what it is in a bundle, how its records are
/// read and written, the schema documents it brings (`FormatRegistry` says how they fit together).
public struct FormatDescriptor: Sendable {
    /// What a format is to a bundle.
    public enum Kind: Sendable, Equatable {
        /// One file per category in every bundle, streamed record by record; verify compares the copies.
        case copy
        /// One file holding every category as sheets; written beside the copies, read back by import.
        case workbook
        /// Records as cards, read in two passes (the cards' fields first, then the records).
        case card
        /// A record stream only `convert`, `pack` and a bare `import` read and write; never in a bundle.
        case file
    }

    /// Where a bundle holds this format.
    public enum BundleEntry: Sendable, Equatable {
        /// `<name>/<category>.<name>` for each category (`BundleLayout.data`).
        case perCategory
        /// One entry for the whole bundle (`xlsx/data.xlsx`, `vcard/contact.vcf`).
        case shared(String)
        /// Not in a bundle.
        case none
    }

    /// A format's compiled bundle schema (the XSD), as its reader takes it.
    public typealias CompiledSchema = any Sendable

    /// The bundle schema document a format's reader validates against, and how to compile it (once
    /// per bundle).
    public struct Validation: Sendable {
        public var path: String
        public var compile: @Sendable ([UInt8]) throws -> CompiledSchema
    }

    /// The name (`json`), also the bundle folder of a copy and the `--format`/`--to` value.
    public var name: String
    /// Lowercase file extensions that name this format (`ndjson` for JSON Lines).
    public var extensions: [String]
    public var kind: Kind
    public var bundleEntry: BundleEntry
    /// The media type of its files.
    public var mediaType: String
    /// The page's link text for a copy (`JSON`).
    public var label: String
    /// The deflate level of its bundle entries (as zlib counts, measured per part: `BundleLevels`);
    /// nil for the bundle's level for everything else.
    public var level: Int32?
    /// The card format of a `.card` format.
    public var cardFormat: CardFormat?
    /// A reader over one source; nil for a format no record stream can be read from (the workbook:
    /// `XLSXReader` needs the file).
    public var reader: (@Sendable (any ByteSource, FormatReadContext) throws -> any RecordReader)?
    /// A writer of `layout` over a sink; nil for the workbook (`XLSXWorkbookWriter`: a sheet per category).
    public var writer: (@Sendable (RecordLayout, any ByteSink) throws -> any RecordWriter)?
    /// The writer of its `shared` bundle entry, one per bundle (`SharedEntry.swift`): the workbook, the
    /// contact card.
    public var sharedWriter: (@Sendable (SharedEntryContext) throws -> any SharedEntryWriter)?
    /// The reader of its `shared` entry in a returned bundle: nil when the bundle has none, or it is
    /// unchanged and not asked for. A shared entry with a writer and no reader is not read back: an
    /// edited one stops the import with `editedRefusal`, which says where to make the change instead.
    public var sharedReader: (@Sendable (OpenedBundle, SharedReadContext) throws -> (any SharedEntryReader)?)?
    /// The refusal of an edited shared entry that is not read back (the contact card): what was edited
    /// and where to make the change instead.
    public var editedRefusal: String?
    /// A reader of a partner file that is no stream of bytes (a workbook: `XLSXReader` reads by file offset).
    public var partnerFileReader: (@Sendable (String, PartnerFileContext) throws -> any RecordReader)?
    /// Spreadsheets save it when it comes back (the CSV copies, the workbook), and they save "" and NULL
    /// alike as an empty cell: import compares such a copy's empty values leniently.
    public var savedBySpreadsheets = false
    /// The documents it contributes to a bundle's `schema/` for categories cut to its scope.
    public var schemaDocuments: (@Sendable ([(Category, RecordLayout)]) -> [SchemaArtifacts.Artifact])?
    /// The bundle schema document its reader validates against.
    public var validation: Validation?
    /// Verify reads it on a thread of its own beside the others (the dearest to read).
    public var readsOnOwnThread = false
    /// What a thread must do before it reads records made on another thread.
    public var prepareThread: (@Sendable () -> Void)?

    public init(name: String, extensions: [String]? = nil, kind: Kind, bundleEntry: BundleEntry = .none, mediaType: String,
                label: String? = nil, level: Int32? = nil, cardFormat: CardFormat? = nil,
                reader: (@Sendable (any ByteSource, FormatReadContext) throws -> any RecordReader)?,
                writer: (@Sendable (RecordLayout, any ByteSink) throws -> any RecordWriter)?,
                schemaDocuments: (@Sendable ([(Category, RecordLayout)]) -> [SchemaArtifacts.Artifact])? = nil,
                validation: Validation? = nil, readsOnOwnThread: Bool = false, prepareThread: (@Sendable () -> Void)? = nil,
                sharedWriter: (@Sendable (SharedEntryContext) throws -> any SharedEntryWriter)? = nil,
                sharedReader: (@Sendable (OpenedBundle, SharedReadContext) throws -> (any SharedEntryReader)?)? = nil,
                editedRefusal: String? = nil,
                partnerFileReader: (@Sendable (String, PartnerFileContext) throws -> any RecordReader)? = nil,
                savedBySpreadsheets: Bool = false) {
        self.name = name
        self.extensions = extensions ?? [name]
        self.kind = kind
        self.bundleEntry = bundleEntry
        self.mediaType = mediaType
        self.label = label ?? name.uppercased()
        self.level = level
        self.cardFormat = cardFormat
        self.reader = reader
        self.writer = writer
        self.schemaDocuments = schemaDocuments
        self.validation = validation
        self.readsOnOwnThread = readsOnOwnThread
        self.prepareThread = prepareThread
        self.sharedWriter = sharedWriter
        self.sharedReader = sharedReader
        self.editedRefusal = editedRefusal
        self.partnerFileReader = partnerFileReader
        self.savedBySpreadsheets = savedBySpreadsheets
    }

    /// A reader of this format.
    /// - Throws: `internal` for a format without a streaming reader; the reader's own errors.
    public func makeReader(source: any ByteSource, context: FormatReadContext) throws -> any RecordReader {
        guard let reader else { throw SeqPortError(.internalError, "\(name) is not read as a stream of records") }
        return try reader(source, context)
    }

    /// A writer of this format over a sink.
    /// - Throws: `internal` for a format without a streaming writer; the writer's own errors.
    public func makeWriter(layout: RecordLayout, sink: any ByteSink) throws -> any RecordWriter {
        guard let writer else { throw SeqPortError(.internalError, "\(name) is not written as a stream of records") }
        return try writer(layout, sink)
    }

    /// Where a bundle holds this format's records of `category`, if it does.
    public func bundlePath(category: String) -> String? {
        switch bundleEntry {
        case .perCategory: return "\(name)/\(category).\(name)"
        case .shared(let path): return path
        case .none: return nil
        }
    }
}

/// What a format's reader is told besides its bytes.
public struct FormatReadContext {
    /// How the file came to be, which decides how strictly a text format is read.
    public enum Origin {
        /// As seqport wrote it into a bundle: strict (verify).
        case bundle
        /// A bundle's copy as a subject's tools may have saved it (import): CSV with its separator
        /// detected and spreadsheet values tolerated (`Specs/csv.md`).
        case returned
        /// A file given to `convert`, `pack` or a bare `import`: CSV separated by `delimiter` (nil:
        /// detected from the header line).
        case file(delimiter: UInt8?)
    }

    /// The records' layout; nil reads untyped (string) records.
    public var layout: RecordLayout?
    public var limits: ReaderLimits
    public var origin: Origin
    /// The format's bundle schema, compiled (`FormatDescriptor.validation`), to validate against.
    public var schema: FormatDescriptor.CompiledSchema?
    /// Opens the same bytes again from the start: a card format's first pass reads the cards' fields.
    public var reopen: (() throws -> any ByteSource)?

    public init(layout: RecordLayout?, limits: ReaderLimits = .default, origin: Origin = .bundle,
                schema: FormatDescriptor.CompiledSchema? = nil, reopen: (() throws -> any ByteSource)? = nil) {
        self.layout = layout
        self.limits = limits
        self.origin = origin
        self.schema = schema
        self.reopen = reopen
    }
}
