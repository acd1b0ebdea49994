import Foundation
import SeqPortCSV
import SeqPortFormatConformance
import SeqPortJSON
import SeqPortModel
import SeqPortVCard
import SeqPortXLSX
import SeqPortXML

/// What a format can do, so the suite runs what applies to it and says what it leaves out, and why.
struct FormatCapabilities: Sendable {
    /// Traits of awkward values the format cannot carry, each with the reason (its spec says so).
    var cannotCarry: [AwkwardTrait: String] = [:]
    /// The typed layout the format carries: `AwkwardValues.everyType` (a field of every type), or what
    /// the format is made for (vCard: the contact card's fields).
    var typedLayout = AwkwardValues.everyType
    /// The untyped layout it round-trips (its own field names where it has rules for them).
    var untypedLayout = AwkwardValues.untypedLayout
    /// Why the reader does not stream from a `ByteSource` (so chunked input does not apply), or nil.
    var notStreaming: String? = nil
    /// Why the writer has no `RecordView` path (the export's), or nil.
    var noViews: String? = nil

    /// What the suite leaves out for this format, one line each.
    var leftOut: [String] {
        cannotCarry.sorted { $0.key.rawValue < $1.key.rawValue }.map { "values with \($0.key.rawValue): \($0.value)" }
            + (notStreaming.map { ["chunked input: \($0)"] } ?? [])
            + (noViews.map { ["writing record views: \($0)"] } ?? [])
    }
}

/// A malformed input and the error it must give: the code, and the place as `Specs/errors.md` and the
/// format's spec say (line, column, record and field where the format knows them).
struct MalformedInput: Sendable {
    var what: String
    var bytes: [UInt8]
    var layout: RecordLayout?
    var code: SeqPortError.Code
    var location: SourceLocation

    init(_ what: String, _ text: String, layout: RecordLayout?, _ code: SeqPortError.Code, _ location: SourceLocation) {
        self.init(what, Array(text.utf8), layout: layout, code, location)
    }

    init(_ what: String, _ bytes: [UInt8], layout: RecordLayout?, _ code: SeqPortError.Code, _ location: SourceLocation) {
        self.what = what
        self.bytes = bytes
        self.layout = layout
        self.code = code
        self.location = location
    }
}

/// One format as the conformance suite drives it: a writer and a reader of records, what the format can
/// carry, and malformed inputs with the errors they must give.
///
/// Every format of seqport is one entry of `ConformanceFormat.all`: the one place to change when the
/// format registry (`SeqPortBundle`) takes over making readers and writers — each entry's `write` and
/// `read` then become the registry's.
struct ConformanceFormat: Sendable {
    var name: String
    var capabilities = FormatCapabilities()
    /// Writes `records` of `layout` as one document; through `RecordView`s when `views` is true.
    var write: @Sendable (_ layout: RecordLayout, _ records: [Record], _ views: Bool) throws -> [UInt8]
    /// Reads every record of a document, from a source returning reads of `sizes` bytes in turn;
    /// `layout` nil reads untyped. Returns the reader's layout and the records.
    var read: @Sendable (_ bytes: [UInt8], _ sizes: [Int], _ layout: RecordLayout?) throws -> (RecordLayout, [Record])
    /// Reads every record of a document into one `RecordBatch` (the dry-run import's and verify's path),
    /// or nil when the reader has no batch path.
    var readBatched: (@Sendable (_ bytes: [UInt8], _ layout: RecordLayout?) throws -> [Record])? = nil
    /// The record of the untyped layout that carries `value` as record `index`.
    var untypedRecord: @Sendable (_ index: Int, _ value: Value) -> Record = { i, v in Record([.text("k\(i)"), v]) }
    /// Malformed inputs and their errors.
    var malformed: [MalformedInput] = []

    static let all: [ConformanceFormat] = [.csv, .json, .jsonLines, .xml, .xlsx, .vcard]
}

// MARK: - Shared pieces

/// Writes every record with `writer`, as records or as views, then finishes.
private func writeAll<W: RecordWriter>(_ writer: inout W, _ records: [Record], views: Bool) throws {
    for record in records {
        if views { try RecordView.withView(of: record) { try writer.write($0) } } else { try writer.write(record) }
    }
    try writer.finish()
}

/// Reads every record with `reader`.
private func readAll<R: RecordReader>(_ reader: inout R) throws -> (RecordLayout, [Record]) {
    var records: [Record] = []
    while let record = try reader.next() { records.append(record) }
    return (reader.layout, records)
}

/// Reads every record with `reader` into one batch, then copies them out.
private func readIntoOneBatch<R: RecordBatchReader>(_ reader: inout R) throws -> [Record] {
    var batch = RecordBatch()
    while try reader.read(into: &batch) {}
    return (0..<batch.count).map { batch.record($0) }
}

/// The two-field typed layout the malformed inputs are read with.
let malformedLayout = RecordLayout(name: "contact", fields: [
    Field(name: "id", type: .integer, nullable: false), Field(name: "name", type: .string),
])

// MARK: - The formats

extension ConformanceFormat {
    static let csv = ConformanceFormat(
        name: "CSV",
        write: { layout, records, views in
            let sink = MemorySink()
            var writer = CSVWriter(layout: layout, sink: sink)
            try writeAll(&writer, records, views: views)
            return sink.bytes
        },
        read: { bytes, sizes, layout in
            var reader = try CSVReader(source: ChunkingSource(bytes, sizes: sizes), layout: layout)
            return try readAll(&reader)
        },
        readBatched: { bytes, layout in
            var reader = try CSVReader(source: MemorySource(bytes), layout: layout)
            return try readIntoOneBatch(&reader)
        },
        malformed: [
            MalformedInput("an unterminated quote", "id,name\r\n1,a\r\n2,\"b\r\n", layout: malformedLayout,
                           .csvUnterminatedQuote, SourceLocation(line: 3, column: 3, record: 2, field: "name")),
            MalformedInput("invalid UTF-8", Array("id,name\r\n1,a\r\n2,bé".utf8.dropLast()) + Array("\r\n".utf8), layout: malformedLayout,
                           .csvInvalidUTF8, SourceLocation(line: 3, column: 5, record: 2, field: "name")),
            MalformedInput("a surrogate in UTF-8", Array("id,name\r\n1,a\r\n2,b".utf8) + [0xED, 0xA0, 0x80] + Array("\r\n".utf8), layout: malformedLayout,
                           .csvInvalidUTF8, SourceLocation(line: 3, column: 5, record: 2, field: "name")),
            MalformedInput("a value of the wrong type", "id,name\r\n1,a\r\nx,b\r\n", layout: malformedLayout,
                           .valueType, SourceLocation(line: 3, column: 1, record: 2, field: "id")),
        ])

    static let json = ConformanceFormat(
        name: "JSON",
        write: { layout, records, views in
            let sink = MemorySink()
            var writer = JSONRecordWriter(layout: layout, sink: sink)
            try writeAll(&writer, records, views: views)
            return sink.bytes
        },
        read: { bytes, sizes, layout in
            var reader = JSONRecordReader(source: ChunkingSource(bytes, sizes: sizes), layout: layout)
            return try readAll(&reader)
        },
        readBatched: { bytes, layout in
            var reader = JSONRecordReader(source: MemorySource(bytes), layout: layout)
            return try readIntoOneBatch(&reader)
        },
        malformed: [
            MalformedInput("invalid UTF-8", Array("[{\"id\": 1, \"name\": \"a\"},\n {\"id\": 2, \"name\": \"bé".utf8.dropLast()) + Array("\"}]".utf8),
                           layout: malformedLayout, .jsonInvalidUTF8, SourceLocation(line: 2, column: 22, record: 2)),
            MalformedInput("UTF-8 above U+10FFFF", Array("[{\"id\": 1, \"name\": \"a\"},\n {\"id\": 2, \"name\": \"b".utf8) + [0xF4, 0x90, 0x80, 0x80]
                           + Array("\"}]".utf8), layout: malformedLayout, .jsonInvalidUTF8, SourceLocation(line: 2, column: 22, record: 2)),
            MalformedInput("a trailing comma", "[{\"id\": 1, \"name\": \"a\"},\n {\"id\": 2, \"name\": \"b\",}]", layout: malformedLayout,
                           .jsonSyntax, SourceLocation(line: 2, column: 24, record: 2)),
            MalformedInput("a value of the wrong type", "[{\"id\": 1, \"name\": \"a\"},\n {\"id\": \"x\", \"name\": \"b\"}]",
                           layout: malformedLayout, .valueType, SourceLocation(line: 2, column: 9, record: 2, field: "id")),
        ])

    static let jsonLines = ConformanceFormat(
        name: "JSON Lines",
        write: { layout, records, views in
            let sink = MemorySink()
            var writer = JSONRecordWriter(layout: layout, sink: sink, options: .init(lines: true))
            try writeAll(&writer, records, views: views)
            return sink.bytes
        },
        read: { bytes, sizes, layout in
            var reader = JSONRecordReader(source: ChunkingSource(bytes, sizes: sizes), layout: layout, lines: true)
            return try readAll(&reader)
        },
        readBatched: { bytes, layout in
            var reader = JSONRecordReader(source: MemorySource(bytes), layout: layout, lines: true)
            return try readIntoOneBatch(&reader)
        },
        malformed: [
            MalformedInput("invalid UTF-8", Array("{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"bé".utf8.dropLast()) + Array("\"}\n".utf8),
                           layout: malformedLayout, .jsonInvalidUTF8, SourceLocation(line: 2, column: 21, record: 2)),
            MalformedInput("two values on one line", "{\"id\": 1, \"name\": \"a\"} {\"id\": 2, \"name\": \"b\"}\n", layout: malformedLayout,
                           .jsonSyntax, SourceLocation(line: 1, column: 24)),
            MalformedInput("a value of the wrong type", "{\"id\": 1, \"name\": \"a\"}\n{\"id\": \"x\", \"name\": \"b\"}\n",
                           layout: malformedLayout, .valueType, SourceLocation(line: 2, column: 8, record: 2, field: "id")),
        ])

    static let xml = ConformanceFormat(
        name: "XML",
        write: { layout, records, views in
            let sink = MemorySink()
            var writer = XMLRecordWriter(layout: layout, sink: sink)
            try writeAll(&writer, records, views: views)
            return sink.bytes
        },
        read: { bytes, sizes, layout in
            var reader = XMLRecordReader(source: ChunkingSource(bytes, sizes: sizes), layout: layout)
            return try readAll(&reader)
        },
        readBatched: { bytes, layout in
            var reader = XMLRecordReader(source: MemorySource(bytes), layout: layout)
            return try readIntoOneBatch(&reader)
        },
        malformed: [
            MalformedInput("a mismatched end tag", xmlDocument("<record><id>1</id><name>a</name></record>\n<record><id>2</id><name>b</nam></record>"),
                           layout: malformedLayout, .xmlSyntax, SourceLocation(line: 4, column: 32)),
            MalformedInput("an unknown field", xmlDocument("<record><id>1</id><name>a</name></record>\n<record><id>2</id><name>b</name><x/></record>"),
                           layout: malformedLayout, .xmlUnknownField, SourceLocation(line: 4, record: 2, field: "x")),
            MalformedInput("a value of the wrong type", xmlDocument("<record><id>1</id><name>a</name></record>\n<record><id>x</id><name>b</name></record>"),
                           layout: malformedLayout, .valueType, SourceLocation(line: 4, record: 2, field: "id")),
        ])

    static let xlsx = ConformanceFormat(
        name: "XLSX",
        capabilities: FormatCapabilities(
            notStreaming: "the workbook is a ZIP read by offset from a file (its sheet streams, but not from a ByteSource of the caller's)"),
        write: { layout, records, views in
            let sink = MemorySink()
            let workbook = XLSXWorkbookWriter(sink: sink)
            var sheet = try workbook.beginSheet(layout: layout, title: layout.name)
            try writeAll(&sheet, records, views: views)
            try workbook.finish()
            return sink.bytes
        },
        read: { bytes, _, layout in
            let path = NSTemporaryDirectory() + "seqport-conformance-\(UUID().uuidString).xlsx"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let workbook = try XLSXReader(path: path)
            var reader = try workbook.sheet(named: layout?.name ?? workbook.sheetNames[0], layout: layout)
            return try readAll(&reader)
        },
        malformed: [
            // A workbook is a ZIP of XML parts: its malformed cells are made by writing text where the
            // reader's layout wants a number.
            MalformedInput("a value of the wrong type", xlsxBytes(RecordLayout(name: "contact", fields: [.untyped("id"), .untyped("name")]),
                                                                  [Record(["1", "a"]), Record(["x", "b"])]),
                           layout: malformedLayout, .valueType, SourceLocation(entry: "contact!A3", record: 2, field: "id")),
        ])

    /// vCard carries the contact card: the typed round trip is the contact category through
    /// `VCardMapping` (one card per record), the untyped one `VCardTable`'s cards as records.
    static let vcard = ConformanceFormat(
        name: "vCard",
        capabilities: FormatCapabilities(
            cannotCarry: [
                .nul: "vCard text has no escape for control characters (Specs/vcard.md, Writing)",
                .c0Control: "vCard text has no escape for control characters other than tab and line feed",
                .carriageReturn: "vCard text has no escape for CR (a line feed is \\n)",
                .delete: "vCard text has no escape for DEL",
            ],
            typedLayout: vcardContact,
            untypedLayout: RecordLayout(name: "", fields: ["version", "fn", "note"].map(Field.untyped), isTyped: false),
            noViews: "cards are written from whole records (VCardMapping), never from the export's views"),
        write: { layout, records, _ in
            let sink = MemorySink()
            if layout.isTyped {
                var writer = VCardWriter(sink: sink)
                for record in records {
                    try writer.write(try VCardMapping.contactCard(contact: record, contactLayout: layout, emails: [],
                                                                  emailLayout: vcardEmails, photo: nil))
                }
                try writer.finish()
            } else {
                var writer = try VCardRecordWriter(layout: layout, sink: sink)
                try writeAll(&writer, records, views: false)
            }
            return sink.bytes
        },
        read: { bytes, sizes, layout in
            guard let layout else {
                let scanned = try VCardRecordReader.layout(scanning: ChunkingSource(bytes, sizes: sizes))
                var reader = VCardRecordReader(source: ChunkingSource(bytes, sizes: sizes), layout: scanned)
                return try readAll(&reader)
            }
            var reader = VCardReader(source: ChunkingSource(bytes, sizes: sizes))
            var records: [Record] = []
            while let card = try reader.next() {
                records.append(try VCardMapping.records(from: card, contactLayout: layout, emailLayout: vcardEmails).contact)
            }
            return (layout, records)
        },
        untypedRecord: { i, v in Record(["4.0", .text("k\(i)"), v]) },
        malformed: [
            MalformedInput("a property outside a card", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a\r\nEND:VCARD\r\nNOTE:x\r\n", layout: nil,
                           .vcardSyntax, SourceLocation(line: 5, record: 2, field: "NOTE")),
            MalformedInput("invalid UTF-8", Array("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:bé".utf8.dropLast())
                           + Array("\r\nEND:VCARD\r\n".utf8), layout: nil,
                           .vcardInvalidUTF8, SourceLocation(line: 7, record: 2, field: "NOTE")),
            MalformedInput("a control character", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:b\u{7}\r\nEND:VCARD\r\n",
                           layout: nil, .vcardControlCharacter, SourceLocation(line: 7, record: 2, field: "NOTE")),
            MalformedInput("a card cut short", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:b\r\n",
                           layout: nil, .vcardTruncated, SourceLocation(line: 5, record: 2)),
        ])
}

/// The contact card's fields (`Specs/vcard.md`, Mapping), `phone` without its format rule: the suite
/// tests what the card carries, the field rules have their own tests.
let vcardContact = RecordLayout(name: "contact", fields: [
    Field(name: "id", type: .string, nullable: false),
    Field(name: "full_name", type: .string, nullable: false),
    Field(name: "phone", type: .string),
    Field(name: "preferred_language", type: .enumeration(["en", "sv"]), nullable: false),
    Field(name: "created_at", type: .timestamp, nullable: false),
    Field(name: "note", type: .string),
])

let vcardEmails = RecordLayout(name: "email_addresses", fields: [
    Field(name: "id", type: .string, nullable: false),
    Field(name: "address", type: .string, nullable: false),
    Field(name: "label", type: .enumeration(["work", "personal", "billing", "other"]), nullable: false),
    Field(name: "is_primary", type: .boolean, nullable: false),
])

/// A workbook of one sheet, for malformed inputs (empty when writing fails, which the suite then reports).
func xlsxBytes(_ layout: RecordLayout, _ records: [Record]) -> [UInt8] {
    let sink = MemorySink()
    let workbook = XLSXWorkbookWriter(sink: sink)
    do {
        var sheet = try workbook.beginSheet(layout: layout, title: layout.name)
        for record in records { try sheet.write(record) }
        try sheet.finish()
        try workbook.finish()
    } catch {
        return []
    }
    return sink.bytes
}

/// A bundle XML document of the category `contact` around `body` (records start on line 3).
func xmlDocument(_ body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <contact xmlns="urn:seqport:bundle:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    \(body)
    </contact>
    """
}
