import SeqPortModel

/// Reads records from a JSON array of flat objects, one record per `next()` (`Specs/json.md`).
///
/// Typed (`layout.isTyped`): every object has exactly the layout's keys, in any order, each value of
/// the field's JSON kind, checked and canonicalized by `Field.canonicalize`. Untyped (`layout == nil`):
/// the first object's keys, in its order, become `Field.untyped` fields (`layout.name` is empty) and
/// every later object must have the same keys; numbers and booleans become their text. A layout with
/// `isTyped == false` fixes the keys but leaves values unchecked. Records come in layout order.
///
/// ```swift
/// var reader = JSONRecordReader(source: MemorySource(bytes), layout: category.layout(scope: .access))
/// while let record = try reader.next() { … }
/// ```
public struct JSONRecordReader: LineTrackingRecordReader, ResumableRecordReader {
    public private(set) var layout: RecordLayout
    private var tokenizer: JSONTokenizer
    private let limits: ReaderLimits
    /// Whether the fields are taken from the first object.
    private var discovering: Bool
    private let typed: Bool
    private var names: [[UInt8]] = []
    private var index: [String: Int] = [:]
    private var values: [Value] = []
    private var seen: [Bool] = []
    private var started = false
    private var finished = false
    private var recordNumber = 0
    /// The line of the last record's `{`.
    public private(set) var recordLine: Int?
    /// True when the last `next()` threw about one record's keys or values and the rest of that object
    /// was skipped, so the next call reads the following record (`--max-errors`); false after a syntax
    /// error, an error in the first object of an untyped read, or any error outside an object.
    public private(set) var canContinueAfterError = false

    /// Whether the input is JSON Lines (one object per line) instead of an array of objects.
    public let lines: Bool

    /// Creates a reader; pass `layout: nil` to take the fields from the first object, `lines: true` to
    /// read JSON Lines (NDJSON: one object per line, blank lines allowed, no enclosing array).
    public init(source: any ByteSource, layout: RecordLayout?, limits: ReaderLimits = .default, lines: Bool = false) {
        tokenizer = JSONTokenizer(source: source, limits: limits)
        tokenizer.valueSequence = lines
        self.lines = lines
        self.limits = limits
        self.layout = layout ?? RecordLayout(name: "", fields: [], isTyped: false)
        discovering = layout == nil
        typed = layout?.isTyped == true
        if let layout { setFields(layout.fields) }
    }

    private mutating func setFields(_ fields: [Field]) {
        names = fields.map { Array($0.name.utf8) }
        index = [:]
        for (i, f) in fields.enumerated() where index[f.name] == nil { index[f.name] = i }
        values = Array(repeating: .null, count: fields.count)
        seen = Array(repeating: false, count: fields.count)
    }

    /// Returns the next record, or `nil` after the closing `]` (and nothing but whitespace after it).
    ///
    /// - Throws: `SeqPortError`: the tokenizer's `json.*` codes, `json.not-records`, `json.not-flat`,
    ///   `json.missing-key`, `json.unknown-key`, `json.duplicate-key`, `json.too-many-fields`, and
    ///   `value.*` from the field checks; the location names line, column, record and field.
    public mutating func next() throws -> Record? {
        if finished { return nil }
        canContinueAfterError = false
        do {
            if !started && !lines {
                started = true
                guard try tokenizer.advance() == .beginArray else {
                    throw SeqPortError(.jsonNotRecords, "the document is not an array of records", at: tokenizer.location)
                }
            }
            let token: JSONTokenizer.Kind?
            if lines {
                // An empty input is zero records; the tokenizer's "empty document" is not an error here.
                if !started {
                    started = true
                    guard try tokenizer.hasContent() else { finished = true; return nil }
                }
                token = try tokenizer.advance()
                guard let token else { finished = true; return nil }
                guard token == .beginObject else {
                    throw SeqPortError(.jsonNotRecords, "a JSON Lines record must be an object", at: place(record: recordNumber + 1))
                }
            } else {
                token = try tokenizer.advance()
            }
            switch token {
            case .endArray:
                _ = try tokenizer.advance()  // nil, or it throws on content after the array
                finished = true
                return nil
            case .beginObject:
                recordNumber += 1
                recordLine = tokenizer.line
                let wasDiscovering = discovering
                do {
                    return try readObject()
                } catch var error as SeqPortError {
                    if error.location.record == nil { error.location.record = recordNumber }
                    // An error about this record's keys or values leaves the syntax sound: skip to the
                    // object's end and let the caller go on to the next record.
                    if !wasDiscovering, let skip = Self.recordLevel[error.code] {
                        if skip.pastEnd || (try? skipRestOfObject(nested: skip.nested)) != nil {
                            canContinueAfterError = true
                        }
                    }
                    throw error
                }
            default:
                throw SeqPortError(.jsonNotRecords, "array element is not an object", at: place(record: recordNumber + 1))
            }
        } catch {
            if !canContinueAfterError { finished = true }
            throw error
        }
    }

    /// The errors about one record, and where the tokenizer is when they are thrown: past the object's
    /// `}` (a missing key), inside an array or object value just opened (not flat), or inside the object.
    private static let recordLevel: [SeqPortError.Code: (pastEnd: Bool, nested: Bool)] = [
        .jsonMissingKey: (true, false), .jsonNotFlat: (false, true), .jsonUnknownKey: (false, false),
        .jsonDuplicateKey: (false, false), .valueType: (false, false), .valueRange: (false, false),
        .valueFormat: (false, false), .valueEnum: (false, false), .valueNull: (false, false),
        // Not `value.too-long`: the tokenizer throws it in the middle of a string, where no skip can start.
    ]

    /// Reads tokens to the `}` that closes the current record (`nested`: one array or object value is
    /// open inside it). A syntax error on the way is thrown.
    private mutating func skipRestOfObject(nested: Bool) throws {
        var depth = nested ? 1 : 0
        while let kind = try tokenizer.advance() {
            switch kind {
            case .beginObject, .beginArray: depth += 1
            case .endObject, .endArray:
                if depth == 0 { return }
                depth -= 1
            default: break
            }
        }
        throw SeqPortError(.internalError, "tokenizer ended inside an object", at: place())
    }

    private func place(record: Int? = nil, field: String? = nil) -> SourceLocation {
        SourceLocation(line: tokenizer.line, column: tokenizer.column, record: record ?? recordNumber, field: field)
    }

    private mutating func readObject() throws -> Record {
        for i in seen.indices { seen[i] = false }
        var position = 0
        while true {
            guard let kind = try tokenizer.advance() else {
                throw SeqPortError(.internalError, "tokenizer ended inside an object", at: place())
            }
            if kind == .endObject { break }
            // kind == .key
            let i = try fieldIndex(position: position)
            position += 1
            let field = layout.fields[i]
            let value = try readValue(field)
            values[i] = value
            seen[i] = true
        }
        if discovering {
            discovering = false
        } else if let missing = seen.firstIndex(of: false) {
            throw SeqPortError(.jsonMissingKey, "missing key", at: place(field: layout.fields[missing].name))
        }
        return Record(values)
    }

    /// The field a key names: the next in layout order when it matches (the common case, no String made).
    private mutating func fieldIndex(position: Int) throws -> Int {
        if !discovering, position < names.count, tokenizer.text == names[position] {
            if seen[position] { throw SeqPortError(.jsonDuplicateKey, "duplicate key", at: place(field: layout.fields[position].name)) }
            return position
        }
        let name = tokenizer.textString
        if let i = index[name] {
            if seen[i] { throw SeqPortError(.jsonDuplicateKey, "duplicate key", at: place(field: name)) }
            return i
        }
        guard discovering else { throw SeqPortError(.jsonUnknownKey, "unknown key", at: place(field: name)) }
        guard layout.fields.count < limits.maxFields else {
            throw SeqPortError(.jsonTooManyFields, "more than \(limits.maxFields) keys in a record", at: place(field: name))
        }
        layout.fields.append(.untyped(name))
        names.append(Array(name.utf8))
        index[name] = layout.fields.count - 1
        values.append(.null)
        seen.append(false)
        return layout.fields.count - 1
    }

    private mutating func readValue(_ field: Field) throws -> Value {
        guard let kind = try tokenizer.advance() else {
            throw SeqPortError(.internalError, "tokenizer ended inside an object", at: place())
        }
        let expected: FieldType.JSONKind = typed ? field.type.jsonKind : .string
        let value: Value
        switch kind {
        case .null:
            value = .null
        case .string:
            guard expected == .string else { throw wrongKind(field, expected) }
            value = .text(tokenizer.textString)
        case .number:
            guard expected != .boolean, !typed || expected == .number else { throw wrongKind(field, expected) }
            if typed, tokenizer.text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                throw SeqPortError(.valueType, "not an integer (a fraction or an exponent)", at: place(field: field.name))
            }
            value = .text(tokenizer.textString)
        case .true, .false:
            guard !typed || expected == .boolean else { throw wrongKind(field, expected) }
            value = .text(kind == .true ? "true" : "false")
        case .beginArray, .beginObject:
            throw SeqPortError(.jsonNotFlat, "a record value must not be an array or an object", at: place(field: field.name))
        default:
            throw SeqPortError(.internalError, "unexpected token for a value", at: place(field: field.name))
        }
        guard typed else { return value }
        do {
            return try field.canonicalize(value, limits: limits)
        } catch var error as SeqPortError {
            let at = place(field: field.name)
            error.location.line = at.line
            error.location.column = at.column
            error.location.record = at.record
            throw error
        }
    }

    private func wrongKind(_ field: Field, _ expected: FieldType.JSONKind) -> SeqPortError {
        let want: String
        switch expected {
        case .number: want = "expected a JSON number"
        case .boolean: want = "expected true or false"
        case .string: want = "expected a JSON string"
        }
        return SeqPortError(.valueType, want, at: place(field: field.name))
    }
}
