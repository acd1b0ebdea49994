import SeqPortModel

/// Writes records as a JSON array of flat objects, one object per line (`Specs/json.md`).
///
/// Keys are the layout's field names in layout order; NULL is `null`; `.integer` values are bare
/// numbers, `.boolean` values `true`/`false`, everything else a string (decimals stay exact as strings).
///
/// ```swift
/// var writer = JSONRecordWriter(layout: layout, sink: sink)
/// try writer.write(Record(["1", "Ada"]))
/// try writer.finish()   // [\n{"id":1,"name":"Ada"}\n]\n
/// ```
public struct JSONRecordWriter: RecordWriter {
    /// How the writer buffers.
    public struct Options: Hashable, Sendable {
        /// Bytes collected before they go to the sink. Default 64 KiB.
        public var bufferSize: Int
        /// JSON Lines (NDJSON): one object per line, each ended by LF, no enclosing array. Default false.
        public var lines: Bool

        public init(bufferSize: Int = 64 << 10, lines: Bool = false) {
            self.bufferSize = max(1024, bufferSize)
            self.lines = lines
        }
    }

    public let layout: RecordLayout
    private let sink: any ByteSink
    private let options: Options
    private var buffer: OutputBuffer
    private var records = 0
    private var finished = false
    /// `{"name":` for the first field and `,"name":` for the others, escaped once.
    private let prefixes: ByteTable
    private let kinds: [FieldType.JSONKind]
    /// `JSONEscaping.table`, held here so the hot loop does not touch a lazy global.
    private let escapes = JSONEscaping.table

    /// Creates a writer; nothing is written before the first `write(_:)` or `finish()`.
    public init(layout: RecordLayout, sink: any ByteSink, options: Options = .init()) {
        self.layout = layout
        self.sink = sink
        self.options = options
        buffer = OutputBuffer(capacity: options.bufferSize + 1024)
        var prefixes: [[UInt8]] = []
        for (i, field) in layout.fields.enumerated() {
            var p: [UInt8] = [i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
            JSONEscaping.appendQuoted(field.name, to: &p)
            p.append(UInt8(ascii: ":"))
            prefixes.append(p)
        }
        self.prefixes = ByteTable(prefixes)
        kinds = layout.fields.map { layout.isTyped ? $0.type.jsonKind : .string }
    }

    /// Writes one record as one line.
    ///
    /// - Throws: `internal` when the record does not fit the layout; `value.type` when an integer or
    ///   boolean field does not hold canonical text (the writer never emits invalid JSON).
    public mutating func write(_ record: Record) throws {
        try begin(record.values.count)
        for i in 0..<kinds.count {
            switch record.values[i] {
            case .null:
                try appendValue(i, nil)
            case .text(let text):
                if try text.utf8.withContiguousStorageIfAvailable({ try appendValue(i, $0) }) != nil { continue }
                try Array(text.utf8).withUnsafeBufferPointer { try appendValue(i, $0) }
            }
        }
        try end()
    }

    /// Writes one record given as borrowed bytes; the same output as `write(_: Record)`.
    public mutating func write(_ view: RecordView) throws {
        try begin(view.count)
        for i in 0..<kinds.count {
            let v = view[i]
            try appendValue(i, v.isNull ? nil : v.bytes)
        }
        try end()
    }

    @inline(__always)
    private mutating func begin(_ count: Int) throws {
        guard count == layout.fields.count else {
            throw SeqPortError(.internalError, "record has \(count) values but the layout has \(layout.fields.count) fields",
                               at: SourceLocation(record: records + 1))
        }
        buffer.reserve(3)
        if !options.lines {
            buffer.appendUnchecked(records == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
            buffer.appendUnchecked(0x0A)
        }
        records += 1
        if kinds.isEmpty { buffer.appendUnchecked(UInt8(ascii: "{")) }
    }

    @inline(__always)
    private mutating func end() throws {
        buffer.append(UInt8(ascii: "}"))
        if options.lines { buffer.append(0x0A) }
        if buffer.count >= options.bufferSize { try flush() }
    }

    /// The field's prefix and its value (`nil` is NULL).
    @inline(__always)
    private mutating func appendValue(_ i: Int, _ value: UnsafeBufferPointer<UInt8>?) throws {
        let prefix = prefixes[i]
        buffer.reserve(prefix.count + 4)
        buffer.appendUnchecked(prefix)
        guard let u = value else {
            buffer.appendUnchecked(UInt8(ascii: "n"))
            buffer.appendUnchecked(UInt8(ascii: "u"))
            buffer.appendUnchecked(UInt8(ascii: "l"))
            buffer.appendUnchecked(UInt8(ascii: "l"))
            return
        }
        switch kinds[i] {
        case .string:
            JSONEscaping.appendQuoted(u, to: &buffer, table: escapes)
        case .number:
            guard JSONEscaping.isJSONInteger(u) else { throw notCanonical(i, "not an integer") }
            buffer.append(u)
        case .boolean:
            guard JSONEscaping.isBoolean(u) else { throw notCanonical(i, "not a boolean (true or false)") }
            buffer.append(u)
        }
    }

    /// Closes the array (`[]` when there was no record) and flushes everything into the sink.
    public mutating func finish() throws {
        guard !finished else { return }
        finished = true
        if options.lines {
            // Nothing closes JSON Lines: every record ended its own line.
        } else if records == 0 {
            buffer.append([UInt8(ascii: "["), UInt8(ascii: "]"), 0x0A])
        } else {
            buffer.append([0x0A, UInt8(ascii: "]"), 0x0A])
        }
        try flush()
    }

    private mutating func flush() throws {
        try buffer.flush(to: sink)
    }

    private func notCanonical(_ index: Int, _ message: String) -> SeqPortError {
        SeqPortError(.valueType, message, at: SourceLocation(record: records, field: layout.fields[index].name))
    }
}
