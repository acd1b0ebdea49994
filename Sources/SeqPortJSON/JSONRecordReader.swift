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
public struct JSONRecordReader: LineTrackingRecordReader, ResumableRecordReader, RecordBatchReader {
    public private(set) var layout: RecordLayout
    private var tokenizer: JSONTokenizer
    private let limits: ReaderLimits
    /// Whether the fields are taken from the first object.
    private var discovering: Bool
    private let typed: Bool
    private var names: [[UInt8]] = []
    /// Per field, its name as it stands in a plain input, quoted and with its colon (`"id":`), for the
    /// tokenizer to take at once (`takeName`); empty when the name has a byte JSON escapes, or is longer
    /// than a name may be.
    private var quotedNames = ByteTable([])
    private var index: [String: Int] = [:]
    /// Per field: the fast check of a value's bytes (`CanonicalCheck`), and the JSON kind it must have.
    private var checks: [CanonicalCheck] = []
    private var kinds: [FieldType.JSONKind] = []
    private var seen: [Bool] = []
    /// Where `next()` reads a record before copying it out.
    private let scratch = Scratch()
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
        checks = fields.map { CanonicalCheck($0, limits: limits) }
        kinds = fields.map { typed ? $0.type.jsonKind : .string }
        seen = Array(repeating: false, count: fields.count)
        quoteNames()
    }

    private mutating func quoteNames() {
        quotedNames = ByteTable(names.map { name in
            guard name.count <= limits.maxNameBytes, !name.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return [] }
            return [0x22] + name + [0x22, 0x3A]
        })
    }

    /// Returns the next record, or `nil` after the closing `]` (and nothing but whitespace after it).
    ///
    /// - Throws: `SeqPortError`: the tokenizer's `json.*` codes, `json.not-records`, `json.not-flat`,
    ///   `json.missing-key`, `json.unknown-key`, `json.duplicate-key`, `json.too-many-fields`, and
    ///   `value.*` from the field checks; the location names line, column, record and field.
    public mutating func next() throws -> Record? {
        scratch.batch.removeAll()
        guard try read(into: &scratch.batch) else { return nil }
        return scratch.batch.record(0)
    }

    /// Reads the next record into `batch` (`RecordBatchReader`): what `next()` returns, without a `String`
    /// per value where the bytes are already canonical (`CanonicalCheck`).
    public mutating func read(into batch: inout RecordBatch) throws -> Bool {
        if finished { return false }
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
                    guard try tokenizer.hasContent() else { finished = true; return false }
                }
                token = try tokenizer.advance()
                guard let token else { finished = true; return false }
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
                return false
            case .beginObject:
                recordNumber += 1
                recordLine = tokenizer.line
                let wasDiscovering = discovering
                do {
                    try readObject(into: &batch)
                    return true
                } catch var error as SeqPortError {
                    batch.cancelRecord()
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
            batch.cancelRecord()
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

    private mutating func readObject(into batch: inout RecordBatch) throws {
        for i in seen.indices { seen[i] = false }
        batch.beginRecord(fields: seen.count)
        var position = 0
        while true {
            let i: Int
            // The common case: the next key in layout order, taken with its colon as plain bytes.
            if !discovering, position < names.count, try tokenizer.takeName(quotedNames[position]) {
                if seen[position] { throw SeqPortError(.jsonDuplicateKey, "duplicate key", at: place(field: layout.fields[position].name)) }
                i = position
            } else {
                guard let kind = try tokenizer.advance() else {
                    throw SeqPortError(.internalError, "tokenizer ended inside an object", at: place())
                }
                if kind == .endObject { break }
                // kind == .key
                i = try fieldIndex(position: position, batch: &batch)
            }
            position += 1
            try readValue(i, into: &batch)
            seen[i] = true
        }
        if discovering {
            discovering = false
            quoteNames()
        } else if let missing = seen.firstIndex(of: false) {
            throw SeqPortError(.jsonMissingKey, "missing key", at: place(field: layout.fields[missing].name))
        }
        batch.endRecord()
    }

    /// The field a key names: the next in layout order when it matches (the common case, no String made).
    private mutating func fieldIndex(position: Int, batch: inout RecordBatch) throws -> Int {
        if !discovering, position < names.count, names[position].withUnsafeBufferPointer({ name in
            let text = tokenizer.text
            return ValueView.same(ValueView(start: name.baseAddress, count: name.count), ValueView(start: text.baseAddress, count: text.count))
        }) {
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
        checks.append(CanonicalCheck(.untyped(name), limits: limits))
        kinds.append(.string)
        batch.addField()
        seen.append(false)
        return layout.fields.count - 1
    }

    /// Reads field `i`'s value into the open record of `batch`: its bytes as they are when typed values
    /// are already canonical (or the layout is untyped), else through `Field.canonicalize`.
    private mutating func readValue(_ i: Int, into batch: inout RecordBatch) throws {
        guard let kind = try tokenizer.advanceToValue() else {
            throw SeqPortError(.internalError, "tokenizer ended inside an object", at: place())
        }
        let expected = kinds[i]
        switch kind {
        case .null:
            if !typed || checks[i].nullable { return batch.setNull(i) }
            return try slowValue(.null, i, into: &batch)
        case .string:
            guard expected == .string else { throw wrongKind(layout.fields[i], expected) }
        case .number:
            guard expected != .boolean, !typed || expected == .number else { throw wrongKind(layout.fields[i], expected) }
            if typed, tokenizer.text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                throw SeqPortError(.valueType, "not an integer (a fraction or an exponent)", at: place(field: layout.fields[i].name))
            }
        case .true, .false:
            guard !typed || expected == .boolean else { throw wrongKind(layout.fields[i], expected) }
            let word: StaticString = kind == .true ? "true" : "false"
            let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            if !typed || checks[i].accepts(bytes) { return batch.set(i, bytes) }
            return try slowValue(.text(kind == .true ? "true" : "false"), i, into: &batch)
        case .beginArray, .beginObject:
            throw SeqPortError(.jsonNotFlat, "a record value must not be an array or an object", at: place(field: layout.fields[i].name))
        default:
            throw SeqPortError(.internalError, "unexpected token for a value", at: place(field: layout.fields[i].name))
        }
        // A string or a number: `tokenizer.text`, valid UTF-8 (the tokenizer checked it).
        let bytes = tokenizer.text
        if !typed || checks[i].accepts(bytes) {
            batch.set(i, bytes)
        } else {
            try slowValue(.text(tokenizer.textString), i, into: &batch)
        }
    }

    /// A typed value whose bytes are not already canonical: `Field.canonicalize` converts it or throws.
    private func slowValue(_ value: Value, _ i: Int, into batch: inout RecordBatch) throws {
        let field = layout.fields[i]
        do {
            batch.set(i, try field.canonicalize(value, limits: limits))
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

/// A reader's own batch for `next()`, in a class so the reader can lend it to its own mutating methods.
final class Scratch {
    var batch = RecordBatch()
}

