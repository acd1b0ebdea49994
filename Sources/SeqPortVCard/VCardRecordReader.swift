import SeqPortModel

/// The two spellings of cards: vCard text (a version to write) and jCard JSON.
public enum CardFormat: Hashable, Sendable {
    case vcard(VCardVersion)
    case jcard

    /// Cards from `source` in this format (the version does not matter when reading vCard).
    func cards(_ source: any ByteSource, _ limits: VCardLimits) -> CardStream {
        switch self {
        case .vcard: return .vcard(VCardReader(source: source, limits: limits))
        case .jcard: return .jcard(JCardReader(source: source, limits: limits))
        }
    }
}

/// A vCard or jCard reader behind one `next()`.
enum CardStream {
    case vcard(VCardReader)
    case jcard(JCardReader)

    mutating func next() throws -> VCard? {
        switch self {
        case .vcard(var r):
            defer { self = .vcard(r) }
            return try r.next()
        case .jcard(var r):
            defer { self = .jcard(r) }
            return try r.next()
        }
    }
}

/// Reads cards (vCard or jCard) as untyped records (`VCardTable`): one record per card, for `convert`.
///
/// A file's cards have different properties, so the layout is the union of their fields in order of
/// first appearance, found by a first pass (`layout(scanning:)`) over the same bytes; the second pass
/// streams the records. Both hold one card at a time.
///
/// ```swift
/// let layout = try VCardRecordReader.layout(scanning: FileSource(path))
/// var reader = try VCardRecordReader(source: FileSource(path), layout: layout)
/// while let record = try reader.next() { … }
/// ```
public struct VCardRecordReader: RecordReader {
    public let layout: RecordLayout
    private var cards: CardStream
    private let index: [String: Int]
    private var record = 0

    /// The union of the fields of every card in `source`, untyped, in order of first appearance.
    ///
    /// - Throws: the reader's errors; `vcard.too-many-properties` when the cards together have more
    ///   than `maxFields` distinct fields.
    public static func layout(
        scanning source: any ByteSource, format: CardFormat = .vcard(.v4_0), limits: VCardLimits = .default,
        maxFields: Int = ReaderLimits.default.maxFields
    ) throws -> RecordLayout {
        var reader = format.cards(source, limits)
        var names: [String] = []
        var seen = Set<String>()
        var count = 0
        while let card = try reader.next() {
            count += 1
            for (name, _) in VCardTable.fields(of: card) where seen.insert(name).inserted {
                names.append(name)
                guard names.count <= maxFields else {
                    throw SeqPortError(.vcardTooManyProperties, "the cards together have more than \(maxFields) fields", at: SourceLocation(record: count))
                }
            }
        }
        return RecordLayout(name: "", fields: names.map(Field.untyped), isTyped: false)
    }

    /// A reader of the cards in `source` as records of `layout` (from `layout(scanning:)`).
    public init(source: any ByteSource, layout: RecordLayout, format: CardFormat = .vcard(.v4_0), limits: VCardLimits = .default) {
        self.layout = layout
        self.cards = format.cards(source, limits)
        var index: [String: Int] = [:]
        for (k, f) in layout.fields.enumerated() { index[f.name] = k }
        self.index = index
    }

    /// The next card as a record (NULL where the card lacks a field), or nil at the end.
    ///
    /// - Throws: the reader's errors; `vcard.mapping` when a card has a field the layout lacks.
    public mutating func next() throws -> Record? {
        guard let card = try cards.next() else { return nil }
        record += 1
        var values = [Value](repeating: .null, count: layout.fields.count)
        for (name, value) in VCardTable.fields(of: card) {
            guard let k = index[name] else {
                throw SeqPortError(.vcardMapping, "field is not in the layout", at: SourceLocation(record: record, field: name))
            }
            values[k] = .text(value)
        }
        return Record(values)
    }
}

/// Writes untyped records (`VCardTable` field names) as vCards or jCards, for `convert --to vcf`.
public struct VCardRecordWriter: RecordWriter {
    public let layout: RecordLayout
    private var writer: VCardWriter?
    private var jcard: JCardWriter?
    private var record = 0

    /// - Throws: `vcard.unrepresentable` naming a field that is not a `VCardTable` field name.
    public init(layout: RecordLayout, sink: any ByteSink, format: CardFormat = .vcard(.v4_0)) throws {
        if let bad = layout.fields.first(where: { !VCardTable.isFieldName($0.name) }) {
            throw SeqPortError(.vcardUnrepresentable, "not a vCard field name (see Specs/vcard.md, cards as records)", at: SourceLocation(field: bad.name))
        }
        self.layout = layout
        switch format {
        case .vcard(let version): writer = VCardWriter(sink: sink, options: .init(version: version))
        case .jcard: jcard = JCardWriter(sink: sink)
        }
    }

    public mutating func write(_ record: Record) throws {
        self.record += 1
        do {
            let card = try VCardTable.card(from: record, layout: layout)
            if writer != nil { try writer!.write(card) } else { try jcard!.write(card) }
        } catch var error as SeqPortError {
            error.location.record = self.record
            throw error
        }
    }

    public mutating func finish() throws {
        if writer != nil { try writer!.finish() } else { try jcard!.finish() }
    }
}
