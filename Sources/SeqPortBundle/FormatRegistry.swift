import SeqPortModel

// # The format registry
//
// A format is one folder (its module: `SeqPortCSV/`, `SeqPortJSON/` …, a reader and a writer behind
// SeqPortModel's `RecordReader`/`RecordWriter`) plus one line in `FormatRegistry.all` below, whose
// `FormatDescriptor` (`FormatDescriptor+Formats.swift`) says everything the rest of seqport needs:
//
// - its name and file extensions (`convert` and a bare `import` tell a file's format by them);
// - what it is in a bundle, its `Kind`: a `copy` (one file per category, `<name>/<category>.<name>`,
//   written by every export, compared record by record by `verify`, read back by `import` when edited);
//   the `workbook` (one file, a sheet per category, its own ZIP: written beside the copies, read back
//   by import, not streamed by convert); a `card` (records as vCards: read in two passes, the union of
//   the cards' fields first; the bundle's contact card is one of them); or a `file` format that only
//   `convert`, `pack` and a bare `import` read and write (JSON Lines);
// - for a format held in one entry for the whole bundle (`BundleEntry.shared`: the workbook, the contact
//   card), the writer of that entry, which export hands every category as it streams, and the reader
//   import asks for each category's records when the entry was edited (`Entries/SharedEntry.swift`);
//   a partner file that is no byte stream (a workbook) has a reader of its own (`partnerFileReader`);
// - a reader factory taking a `FormatReadContext` (layout, limits, how the file was saved, the
//   compiled bundle schema it validates against) and a writer factory;
// - the schema documents it contributes to a bundle's `schema/` (JSON Schema per category for JSON,
//   one XSD for XML) and the one it validates against on reading (`validation`);
// - its link label on the page, its deflate level in a bundle, whether verify reads it on a thread of
//   its own (the dearest to read) and what such a thread must do first.
//
// Export, verify, import, convert, pack and the page go through the registry: `BundleFormat` is a
// registered `copy`, `ConvertFormat` any format with a streaming reader or writer; neither export nor
// import names the workbook or the card. Adding a copy to
// every bundle (JSON Lines, say) is a registry line with `kind: .copy`; the bundle layout, manifest
// entries, verify's comparison, import's choice of copies and the page's links follow from it.
//
// What must not change: the order of `all` is the order of the copies in every bundle, of the schema
// documents and of the page's links — it is part of the byte-identical sample bundle (SamplesTests).

/// Every format seqport reads or writes, in the order bundles hold them.
public enum FormatRegistry {
    public static let all: [FormatDescriptor] = [.json, .jsonLines, .csv, .xml, .xlsx, .vcard, .vcard3, .jcard]

    /// The formats every bundle holds a copy of each category in (`json`, `csv`, `xml`).
    public static let copies: [FormatDescriptor] = all.filter { $0.kind == .copy }

    /// The formats a returned bundle's categories are read back from: the copies and the workbook.
    public static let readBack: [FormatDescriptor] = all.filter { $0.kind == .copy || $0.kind == .workbook }

    /// `json, csv, xml or xlsx`: the names of `readBack`, for messages.
    public static var readBackNames: String {
        let names = readBack.map(\.name)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The format registered under `name`.
    public static func descriptor(named name: String) -> FormatDescriptor? { all.first { $0.name == name } }

    /// The format a file name's extension names, if any (`contact.ndjson` is JSON Lines); a name
    /// without an extension names none.
    public static func forPath(_ path: String) -> FormatDescriptor? {
        guard let ext = path.split(separator: "/").last.flatMap({ $0.contains(".") ? $0.split(separator: ".").last : nil })?.lowercased() else {
            return nil
        }
        return all.first { $0.extensions.contains(ext) }
    }

    /// Readies a thread that will read records made on another thread (libxml2's per-thread state).
    public static func prepareReaderThread() {
        for format in all { format.prepareThread?() }
    }

    /// The schema documents the formats contribute to a bundle's `schema/`, in registry order, for
    /// categories already cut to the bundle's scope.
    public static func schemaDocuments(for categories: [(Category, RecordLayout)]) -> [SchemaArtifacts.Artifact] {
        all.flatMap { $0.schemaDocuments?(categories) ?? [] }
    }
}
