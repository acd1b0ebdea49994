import SeqPortModel

/// Writes records as RFC 4180 CSV (`Specs/csv.md`): an optional UTF-8 byte order mark, a header row of
/// field names, then one row per record, every row ending in CR LF.
///
/// NULL is an empty unquoted field; the empty string is `""`. A field is quoted when it is empty,
/// contains `,` `"` CR or LF, starts or ends with a space or a tab, or carries the formula guard.
///
/// ```swift
/// var writer = CSVWriter(layout: layout, sink: sink)
/// for record in records { try writer.write(record) }
/// try writer.finish()
/// ```
public struct CSVWriter: RecordWriter {
    /// How the writer writes; the defaults suit files people open in a spreadsheet.
    public struct Options: Hashable, Sendable {
        /// Start the file with a UTF-8 byte order mark (EF BB BF). Default `true`: Excel needs it to
        /// read the file as UTF-8.
        public var byteOrderMark: Bool
        /// Give `.string` values that a spreadsheet would run as a formula one extra leading apostrophe
        /// (undone by `CSVReader` with the same option). Default `true`.
        public var formulaGuard: Bool

        public init(byteOrderMark: Bool = true, formulaGuard: Bool = true) {
            self.byteOrderMark = byteOrderMark
            self.formulaGuard = formulaGuard
        }
    }

    public let layout: RecordLayout
    private let sink: any ByteSink
    /// Per field: whether the formula guard applies (a `.string` field with the option on).
    private let guarded: [Bool]
    private var buffer: [UInt8] = []
    private var finished = false

    /// The buffer is handed to the sink once it holds this many bytes.
    static let flushThreshold = 64 * 1024

    /// Creates a writer; the byte order mark and the header row are buffered at once and reach the sink
    /// with the first flush.
    ///
    /// - Parameters:
    ///   - layout: the fields, in the order their columns are written; at least one field.
    ///   - sink: where the bytes go.
    ///   - options: the byte order mark and the formula guard.
    public init(layout: RecordLayout, sink: any ByteSink, options: Options = .init()) {
        self.layout = layout
        self.sink = sink
        self.guarded = layout.fields.map { options.formulaGuard && $0.type == .string }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        if options.byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        for (index, field) in layout.fields.enumerated() {
            if index > 0 { buffer.append(Byte.comma) }
            appendCell(field.name, guard: false)
        }
        buffer.append(Byte.cr)
        buffer.append(Byte.lf)
    }

    /// Writes one record as one row.
    ///
    /// - Throws: `internal` when the record's width differs from the layout's or `finish()` was called;
    ///   whatever the sink throws.
    public mutating func write(_ record: Record) throws {
        guard !finished else { throw SeqPortError(.internalError, "csv record written after finish") }
        guard record.values.count == guarded.count else {
            throw SeqPortError(
                .internalError, "csv record has \(record.values.count) values but the layout has \(guarded.count) fields")
        }
        for index in 0..<guarded.count {
            if index > 0 { buffer.append(Byte.comma) }
            if case .text(let text) = record.values[index] { appendCell(text, guard: guarded[index]) }
        }
        buffer.append(Byte.cr)
        buffer.append(Byte.lf)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Flushes the buffer into the sink. Call it once, after the last record.
    public mutating func finish() throws {
        guard !finished else { throw SeqPortError(.internalError, "csv writer finished twice") }
        finished = true
        try flush()
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends one non-NULL cell, quoted and guarded as the rules say.
    private mutating func appendCell(_ text: String, guard: Bool) {
        var text = text
        text.withUTF8 { u in
            guard !u.isEmpty else {
                buffer.append(Byte.quote)
                buffer.append(Byte.quote)
                return
            }
            let apostrophe = `guard` && CSVFormulaGuard.writerAddsApostrophe(u)
            var quote = apostrophe
            if !quote {
                let first = u[0], last = u[u.count - 1]
                quote = first == Byte.space || first == Byte.tab || last == Byte.space || last == Byte.tab
            }
            if !quote {
                for b in u where b == Byte.comma || b == Byte.quote || b == Byte.cr || b == Byte.lf {
                    quote = true
                    break
                }
            }
            guard quote else {
                buffer.append(contentsOf: u)
                return
            }
            buffer.append(Byte.quote)
            if apostrophe { buffer.append(CSVFormulaGuard.apostrophe) }
            var runStart = 0
            for k in 0..<u.count where u[k] == Byte.quote {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart...k]))
                buffer.append(Byte.quote)
                runStart = k + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart...]))
            buffer.append(Byte.quote)
        }
    }
}

