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

        public init(bufferSize: Int = 64 << 10) {
            self.bufferSize = max(1024, bufferSize)
        }
    }

    public let layout: RecordLayout
    private let sink: any ByteSink
    private let options: Options
    private var buffer: [UInt8] = []
    private var records = 0
    private var finished = false
    /// `{"name":` for the first field and `,"name":` for the others, escaped once.
    private let prefixes: [[UInt8]]
    private let kinds: [FieldType.JSONKind]

    /// Creates a writer; nothing is written before the first `write(_:)` or `finish()`.
    public init(layout: RecordLayout, sink: any ByteSink, options: Options = .init()) {
        self.layout = layout
        self.sink = sink
        self.options = options
        buffer.reserveCapacity(options.bufferSize + 1024)
        var prefixes: [[UInt8]] = []
        for (i, field) in layout.fields.enumerated() {
            var p: [UInt8] = [i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
            JSONEscaping.appendQuoted(field.name, to: &p)
            p.append(UInt8(ascii: ":"))
            prefixes.append(p)
        }
        self.prefixes = prefixes
        kinds = layout.fields.map { layout.isTyped ? $0.type.jsonKind : .string }
    }

    /// Writes one record as one line.
    ///
    /// - Throws: `internal` when the record does not fit the layout; `value.type` when an integer or
    ///   boolean field does not hold canonical text (the writer never emits invalid JSON).
    public mutating func write(_ record: Record) throws {
        guard record.values.count == layout.fields.count else {
            throw SeqPortError(.internalError, "record has \(record.values.count) values but the layout has \(layout.fields.count) fields",
                               at: SourceLocation(record: records + 1))
        }
        if records == 0 {
            buffer.append(UInt8(ascii: "["))
            buffer.append(0x0A)
        } else {
            buffer.append(UInt8(ascii: ","))
            buffer.append(0x0A)
        }
        records += 1
        if prefixes.isEmpty {
            buffer.append(UInt8(ascii: "{"))
        }
        for i in 0..<prefixes.count {
            buffer.append(contentsOf: prefixes[i])
            switch record.values[i] {
            case .null:
                buffer.append(contentsOf: JSONEscaping.nullBytes)
            case .text(let text):
                switch kinds[i] {
                case .string:
                    JSONEscaping.appendQuoted(text, to: &buffer)
                case .number:
                    guard JSONEscaping.isJSONInteger(text) else { throw notCanonical(i, "not an integer") }
                    buffer.append(contentsOf: text.utf8)
                case .boolean:
                    guard text == "true" || text == "false" else { throw notCanonical(i, "not a boolean (true or false)") }
                    buffer.append(contentsOf: text.utf8)
                }
            }
        }
        buffer.append(UInt8(ascii: "}"))
        if buffer.count >= options.bufferSize { try flush() }
    }

    /// Closes the array (`[]` when there was no record) and flushes everything into the sink.
    public mutating func finish() throws {
        guard !finished else { return }
        finished = true
        if records == 0 {
            buffer.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]"), 0x0A])
        } else {
            buffer.append(contentsOf: [0x0A, UInt8(ascii: "]"), 0x0A])
        }
        try flush()
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func notCanonical(_ index: Int, _ message: String) -> SeqPortError {
        SeqPortError(.valueType, message, at: SourceLocation(record: records, field: layout.fields[index].name))
    }
}
