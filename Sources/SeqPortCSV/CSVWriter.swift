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
    private var buffer: OutputBuffer
    private var finished = false
    /// `special`, held here so the hot loop does not touch a lazy global.
    private let quoting = CSVWriter.special

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
        buffer = OutputBuffer(capacity: Self.flushThreshold + 4096)
        if options.byteOrderMark { buffer.append([0xEF, 0xBB, 0xBF]) }
        for (index, field) in layout.fields.enumerated() {
            if index > 0 { buffer.append(Byte.comma) }
            // Header cells are guarded like data cells: an untyped `convert` takes its names from the input.
            Array(field.name.utf8).withUnsafeBufferPointer { appendCell($0, guard: options.formulaGuard) }
        }
        buffer.append(Byte.cr)
        buffer.append(Byte.lf)
    }

    /// Writes one record as one row.
    ///
    /// - Throws: `internal` when the record's width differs from the layout's or `finish()` was called;
    ///   whatever the sink throws.
    public mutating func write(_ record: Record) throws {
        try check(record.values.count)
        for index in 0..<guarded.count {
            if index > 0 { buffer.append(Byte.comma) }
            guard case .text(let text) = record.values[index] else { continue }
            let g = guarded[index]
            if text.utf8.withContiguousStorageIfAvailable({ appendCell($0, guard: g) }) == nil {
                Array(text.utf8).withUnsafeBufferPointer { appendCell($0, guard: g) }
            }
        }
        try endRow()
    }

    /// Writes one record given as borrowed bytes; the same output as `write(_: Record)`.
    public mutating func write(_ view: RecordView) throws {
        try check(view.count)
        for index in 0..<guarded.count {
            if index > 0 { buffer.append(Byte.comma) }
            let v = view[index]
            if !v.isNull { appendCell(v.bytes, guard: guarded[index]) }
        }
        try endRow()
    }

    @inline(__always)
    private func check(_ count: Int) throws {
        guard !finished else { throw SeqPortError(.internalError, "csv record written after finish") }
        guard count == guarded.count else {
            throw SeqPortError(.internalError, "csv record has \(count) values but the layout has \(guarded.count) fields")
        }
    }

    @inline(__always)
    private mutating func endRow() throws {
        buffer.reserve(2)
        buffer.appendUnchecked(Byte.cr)
        buffer.appendUnchecked(Byte.lf)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Flushes the buffer into the sink. Call it once, after the last record.
    public mutating func finish() throws {
        guard !finished else { throw SeqPortError(.internalError, "csv writer finished twice") }
        finished = true
        try flush()
    }

    private mutating func flush() throws {
        try buffer.flush(to: sink)
    }

    /// For each byte: whether it forces quotes (`,` `"` CR LF).
    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    private nonisolated(unsafe) static let special: UnsafePointer<Bool> = {
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        p.initialize(repeating: false, count: 256)
        for b in [Byte.comma, Byte.quote, Byte.cr, Byte.lf] { p[Int(b)] = true }
        return UnsafePointer(p)
    }()

    /// Appends one non-NULL cell, quoted and guarded as the rules say.
    @inline(__always)
    private mutating func appendCell(_ u: UnsafeBufferPointer<UInt8>, guard: Bool) {
        let n = u.count
        guard n > 0, let p = u.baseAddress else {
            buffer.reserve(2)
            buffer.appendUnchecked(Byte.quote)
            buffer.appendUnchecked(Byte.quote)
            return
        }
        let apostrophe = `guard` && CSVFormulaGuard.writerAddsApostrophe(u)
        var quote = apostrophe
        if !quote {
            let first = p[0], last = p[n - 1]
            quote = first == Byte.space || first == Byte.tab || last == Byte.space || last == Byte.tab
        }
        if !quote {
            let special = quoting
            var k = 0
            while k &+ 8 <= n {
                let w = WordScan.load(p, k)
                if WordScan.has(w, Byte.comma) | WordScan.has(w, Byte.quote) | WordScan.has(w, Byte.cr) | WordScan.has(w, Byte.lf) != 0 { break }
                k &+= 8
            }
            while k < n {
                if special[Int(p[k])] { quote = true; break }
                k &+= 1
            }
        }
        guard quote else {
            buffer.append(u)
            return
        }
        buffer.reserve(2 &* n &+ 3)
        buffer.appendUnchecked(Byte.quote)
        if apostrophe { buffer.appendUnchecked(CSVFormulaGuard.apostrophe) }
        var runStart = 0
        for k in 0..<n where p[k] == Byte.quote {
            buffer.appendUnchecked(UnsafeBufferPointer(start: p + runStart, count: k + 1 - runStart))
            buffer.appendUnchecked(Byte.quote)
            runStart = k + 1
        }
        buffer.appendUnchecked(UnsafeBufferPointer(start: p + runStart, count: n - runStart))
        buffer.appendUnchecked(Byte.quote)
    }
}
