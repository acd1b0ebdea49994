import SeqPortCSV
import SeqPortJSON
import SeqPortModel
import SeqPortVCard
import SeqPortXLSX
import SeqPortXML

// The registered formats, one descriptor each (`FormatRegistry.all` lists them in bundle order).

extension FormatDescriptor {
    /// JSON (`Specs/json.md`): a bundle copy, with a JSON Schema (2020-12) per category.
    public static let json = FormatDescriptor(
        name: "json", kind: .copy, bundleEntry: .perCategory, mediaType: "application/json", level: 5,
        reader: { source, context in JSONRecordReader(source: source, layout: context.layout, limits: context.limits) },
        writer: { layout, sink in JSONRecordWriter(layout: layout, sink: sink) },
        schemaDocuments: { categories in
            categories.map { category, layout in
                SchemaArtifacts.Artifact(path: BundleLayout.jsonSchema(category.name),
                                         bytes: Array(JSONSchemaGenerator.document(for: layout, title: category.title, description: category.description).utf8))
            }
        })

    /// JSON Lines (NDJSON): one JSON object per line; convert, pack and import only.
    public static let jsonLines = FormatDescriptor(
        name: "jsonl", extensions: ["jsonl", "ndjson"], kind: .file, mediaType: "application/x-ndjson", label: "JSON Lines",
        reader: { source, context in JSONRecordReader(source: source, layout: context.layout, limits: context.limits, lines: true) },
        writer: { layout, sink in JSONRecordWriter(layout: layout, sink: sink, options: .init(lines: true)) })

    /// CSV (RFC 4180, `Specs/csv.md`): a bundle copy, read strictly from a bundle and as spreadsheets
    /// save it when it comes back.
    public static let csv = FormatDescriptor(
        name: "csv", kind: .copy, bundleEntry: .perCategory, mediaType: "text/csv", level: 5,
        reader: { source, context in
            let options: CSVReader.Options
            switch context.origin {
            case .bundle: options = .init()
            case .returned: options = .spreadsheet
            case .file(let delimiter): options = CSVReader.Options(delimiter: delimiter)
            }
            return try CSVReader(source: source, layout: context.layout, options: options, limits: context.limits)
        },
        writer: { layout, sink in CSVWriter(layout: layout, sink: sink) },
        savedBySpreadsheets: true)

    /// XML (`Specs/xml.md`): a bundle copy, with one XSD for every category, which verify validates
    /// it against while streaming; libxml2 and the XSD make it the dearest copy to read.
    public static let xml = FormatDescriptor(
        name: "xml", kind: .copy, bundleEntry: .perCategory, mediaType: "application/xml", level: 6,
        reader: { source, context in
            XMLRecordReader(source: source, layout: context.layout, limits: context.limits, schema: context.schema as? XMLSchema)
        },
        writer: { layout, sink in XMLRecordWriter(layout: layout, sink: sink) },
        schemaDocuments: { categories in
            [SchemaArtifacts.Artifact(path: BundleLayout.xsd, bytes: Array(XSDGenerator.document(for: categories.map(\.1)).utf8))]
        },
        validation: .init(path: BundleLayout.xsd, compile: { try XMLSchema(xsd: $0) }),
        readsOnOwnThread: true,
        prepareThread: { XMLRecordReader.prepareThread() })

    /// The workbook (`Specs/xlsx.md`): one sheet per category in `xlsx/data.xlsx`, a ZIP of its own,
    /// written as the categories stream (`WorkbookEntryWriter`) and read back when edited
    /// (`WorkbookEntryReader`); a partner's workbook is read sheet by sheet (`PartnerWorkbook`). No record
    /// stream: `XLSXReader` reads a file by offset.
    public static let xlsx = FormatDescriptor(
        name: "xlsx", kind: .workbook, bundleEntry: .shared(BundleLayout.workbook),
        mediaType: workbookMediaType, level: 4,
        reader: nil, writer: nil,
        sharedWriter: { WorkbookEntryWriter(path: BundleLayout.workbook, mediaType: workbookMediaType, context: $0) },
        sharedReader: { bundle, context in try WorkbookEntryReader.open(bundle, path: BundleLayout.workbook, context: context) },
        partnerFileReader: { path, context in try PartnerWorkbook.reader(path: path, context: context) },
        savedBySpreadsheets: true)

    private static let workbookMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// vCard (`Specs/vcard.md`): read in versions 2.1, 3.0 and 4.0, written as 4.0, one record per
    /// card; the bundle's contact card (`vcard/contact.vcf`) is one, made from the contact categories.
    /// Export writes it from the store after the categories (`ContactCardEntryWriter`); import does not
    /// read it back from a bundle (an edited card stops it), only as a file on its own.
    public static let vcard: FormatDescriptor = {
        var card = Self.card(name: "vcf", extensions: ["vcf", "vcard"], bundleEntry: .shared(BundleLayout.contactCard),
                        mediaType: "text/vcard", label: "vCard", format: .vcard(.v4_0))
        card.sharedWriter = { ContactCardEntryWriter(path: BundleLayout.contactCard, mediaType: "text/vcard", context: $0) }
        card.editedRefusal = "the contact card was edited, but seqport reads corrections from the workbook, the CSV, JSON or XML copies; make the change there (or import the card alone with --subject), and put the card back as it was"
        return card
    }()

    /// vCard written as 3.0 (`--to vcf3`).
    public static let vcard3 = card(name: "vcf3", bundleEntry: .none, mediaType: "text/vcard", label: "vCard 3.0", format: .vcard(.v3_0))

    /// jCard (RFC 7095): a JSON array of cards.
    public static let jcard = card(name: "jcard", bundleEntry: .none, mediaType: "application/vcard+json", label: "jCard", format: .jcard)

    /// A card format: the first pass (over `context.reopen`) finds the union of the cards' fields, the
    /// second reads the records, untyped (a typed layout comes through a `ColumnMap`).
    static func card(name: String, extensions: [String]? = nil, bundleEntry: BundleEntry, mediaType: String, label: String,
                     format: CardFormat) -> FormatDescriptor {
        FormatDescriptor(
            name: name, extensions: extensions, kind: .card, bundleEntry: bundleEntry, mediaType: mediaType, label: label, cardFormat: format,
            reader: { source, context in
                guard let reopen = context.reopen else {
                    throw SeqPortError(.internalError, "cards are read with two passes over the file")
                }
                let limits = VCardLimits(context.limits)
                let scanned = try VCardRecordReader.layout(scanning: try reopen(), format: format, limits: limits, maxFields: context.limits.maxFields)
                guard context.layout == nil else { throw SeqPortError(.usage, "cards read with --category need --map: their field names are vCard's") }
                return VCardRecordReader(source: source, layout: scanned, format: format, limits: limits)
            },
            writer: { layout, sink in try VCardRecordWriter(layout: layout, sink: sink, format: format) })
    }
}
