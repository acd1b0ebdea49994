import SeqPortModel

/// A streaming pull tokenizer for any JSON text (RFC 8259), one token per `next()`.
///
/// It never recurses (an explicit stack tracks nesting), holds one 64 KiB chunk of input plus the
/// current string, and refuses what RFC 8259 refuses: see `Specs/json.md` for the codes. A UTF-8
/// byte order mark at the very start is skipped. `line` and `column` (1-based, column in bytes)
/// point at the first byte of the last token returned; errors carry the place of the offending byte.
///
/// ```swift
/// var tokens = JSONTokenizer(source: MemorySource("[1, \"a\"]"))
/// while let token = try tokens.next() { print(token) }   // beginArray, number("1"), string("a"), endArray
/// ```
public struct JSONTokenizer {
    /// The longest number text accepted, in bytes (`json.number-too-long`).
    public static let maxNumberBytes = 1024

    /// A token without its payload; the payload of keys, strings and numbers is in `text`.
    enum Kind: Equatable { case beginObject, endObject, beginArray, endArray, key, string, number, `true`, `false`, null }

    private enum State { case start, value, firstValue, afterValue, key, firstKey, colon, end, finished }

    public let limits: ReaderLimits
    private let source: any ByteSource
    /// The current chunk: `bytes[pos..<end]` are not consumed yet.
    private let chunk: ChunkBuffer
    let bytes: UnsafeMutablePointer<UInt8>
    var pos = 0
    var end = 0
    private var atEOF = false
    /// Absolute offset of `bytes[0]` in the input.
    var consumed = 0
    var currentLine = 1
    /// Absolute offset of the first byte of the current line.
    var lineStart = 0
    /// `true` for an object, `false` for an array.
    private var stack: [Bool] = []
    private var state = State.start
    /// Where a key, string or number is assembled when it cannot be lent from the chunk (`text`).
    var textBuffer = OutputBuffer(capacity: 1024)
    /// The start and length of `text`: in the chunk for a string read whole from it with nothing to
    /// unescape (no copy), else in `textBuffer`.
    private(set) var textStart: UnsafePointer<UInt8>?
    private(set) var textCount = 0
    /// The unescaped UTF-8 bytes of the last key or string, or the text of the last number; valid until
    /// the next token is read.
    var text: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: textStart, count: textCount) }

    /// `text` is what `textBuffer` holds.
    @inline(__always) mutating func textIsBuffer() {
        textStart = textBuffer.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        textCount = textBuffer.count
    }

    /// `text` is `count` bytes of the chunk from `start` (valid until the next `refill`, which only the
    /// next token's reading can call).
    @inline(__always) mutating func textIsChunk(_ start: Int, _ count: Int) {
        textStart = UnsafePointer(bytes + start)
        textCount = count
    }

    /// JSON Lines: after a top-level value another may follow on a later line (`Specs/json.md`).
    public var valueSequence = false
    /// The line the last top-level value ended on (for `valueSequence`).
    private var topLevelEndLine = 0

    /// The line (from 1) of the first byte of the last token returned.
    public private(set) var line = 1
    /// The column (from 1, in bytes) of the first byte of the last token returned.
    public private(set) var column = 1

    /// Creates a tokenizer that pulls from `source` in 64 KiB chunks.
    public init(source: any ByteSource, limits: ReaderLimits = .default) {
        self.source = source
        self.limits = limits
        chunk = ChunkBuffer(capacity: 64 << 10)
        bytes = chunk.bytes
    }

    /// The number of arrays and objects open after the last token.
    public var depth: Int { stack.count }

    /// Where the last token starts.
    public var location: SourceLocation { SourceLocation(line: line, column: column) }

    /// Returns the next token, or `nil` after the top-level value and trailing whitespace.
    ///
    /// - Throws: `SeqPortError` with `json.syntax`, `json.truncated`, `json.invalid-utf8`,
    ///   `json.lone-surrogate`, `json.depth`, `json.number-too-long` or `value.too-long`.
    public mutating func next() throws -> JSONToken? {
        guard let kind = try advance() else { return nil }
        switch kind {
        case .beginObject: return .beginObject
        case .endObject: return .endObject
        case .beginArray: return .beginArray
        case .endArray: return .endArray
        case .key: return .key(textString)
        case .string: return .string(textString)
        case .number: return .number(textString)
        case .true: return .true
        case .false: return .false
        case .null: return .null
        }
    }

    /// Reads a whole document and throws at its first fault.
    public static func validate(_ source: any ByteSource, limits: ReaderLimits = .default) throws {
        var tokenizer = JSONTokenizer(source: source, limits: limits)
        while try tokenizer.advance() != nil {}
    }

    /// `text` as a String (it is valid UTF-8: the tokenizer checked it).
    var textString: String { String(decoding: text, as: UTF8.self) }

    // MARK: - The state machine

    mutating func advance() throws -> Kind? {
        if state == .finished { return nil }
        if state == .start, consumed + pos == 0 { try skipByteOrderMark() }
        while true {
            guard let b = try peekSkippingWhitespace() else {
                if state == .end { state = .finished; return nil }
                throw error(.jsonTruncated, state == .start ? "no JSON value (empty document)" : "unexpected end of the document")
            }
            markTokenStart()
            switch state {
            case .start, .value, .firstValue:
                if b == UInt8(ascii: "]") {
                    if state == .firstValue { pos += 1; return close() }
                    if state == .value, stack.last == false { throw error(.jsonSyntax, "trailing comma in an array") }
                }
                return try value(b)
            case .afterValue:
                let inObject = stack.last!
                if b == UInt8(ascii: ",") {
                    pos += 1
                    state = inObject ? .key : .value
                    continue
                }
                if b == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) { pos += 1; return close() }
                throw error(.jsonSyntax, inObject ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element")
            case .firstKey, .key:
                if b == UInt8(ascii: "\"") {
                    pos += 1
                    try string(limit: limits.maxNameBytes, what: "member name")
                    // A ':' right after the name is taken now: one turn of this loop less per member.
                    if pos < end, bytes[pos] == UInt8(ascii: ":") {
                        pos += 1
                        state = .value
                    } else {
                        state = .colon
                    }
                    return .key
                }
                if b == UInt8(ascii: "}") {
                    if state == .firstKey { pos += 1; return close() }
                    throw error(.jsonSyntax, "trailing comma in an object")
                }
                throw error(.jsonSyntax, "expected a member name in double quotes")
            case .colon:
                guard b == UInt8(ascii: ":") else { throw error(.jsonSyntax, "expected ':' after a member name") }
                pos += 1
                state = .value
            case .end:
                guard valueSequence else { throw error(.jsonSyntax, "unexpected content after the top-level value") }
                guard currentLine > topLevelEndLine else { throw error(.jsonSyntax, "each JSON Lines value must start on a line of its own") }
                return try value(b)
            case .finished:
                return nil
            }
        }
    }

    /// Takes a member name and its ':' when the input goes on, after any whitespace, with exactly the
    /// bytes `quoted` (the name in double quotes and a colon, as `"id":`) where a member name may come:
    /// the `.key` token `advance()` would return, with the colon after it. Otherwise it takes nothing but
    /// the whitespace and returns false, and `advance()` reads what is there (and throws what it must).
    /// `quoted` must be what `advance()` would read as that name: no byte to escape in it.
    mutating func takeName(_ quoted: UnsafeBufferPointer<UInt8>) throws -> Bool {
        guard state == .key || state == .firstKey, try peekSkippingWhitespace() != nil,
              let start = quoted.baseAddress, quoted.count >= 3, end &- pos >= quoted.count,
              ValueView.same(ValueView(start: UnsafePointer(bytes + pos), count: quoted.count), ValueView(start: start, count: quoted.count))
        else { return false }
        markTokenStart()
        textIsChunk(pos &+ 1, quoted.count &- 3)
        pos &+= quoted.count
        state = .value
        return true
    }

    /// `advance()` where a member's value comes (after its name and colon): the same token, errors and
    /// places, without going round the state machine in the common case.
    @inline(__always)
    mutating func advanceToValue() throws -> Kind? {
        guard state == .value, let b = try peekSkippingWhitespace(), b != UInt8(ascii: "]") else { return try advance() }
        markTokenStart()
        return try value(b)
    }

    @inline(__always)
    private mutating func value(_ b: UInt8) throws -> Kind {
        switch b {
        case UInt8(ascii: "{"):
            try push(true)
            pos += 1
            state = .firstKey
            return .beginObject
        case UInt8(ascii: "["):
            try push(false)
            pos += 1
            state = .firstValue
            return .beginArray
        case UInt8(ascii: "\""):
            pos += 1
            try string(limit: limits.maxValueBytes, what: "string")
            valueDone()
            return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            textIsBuffer()
            valueDone()
            return .number
        case UInt8(ascii: "t"):
            try literal("true")
            valueDone()
            return .true
        case UInt8(ascii: "f"):
            try literal("false")
            valueDone()
            return .false
        case UInt8(ascii: "n"):
            try literal("null")
            valueDone()
            return .null
        default:
            throw error(.jsonSyntax, "expected a value")
        }
    }

    private mutating func push(_ isObject: Bool) throws {
        guard stack.count < limits.maxDepth else {
            throw error(.jsonDepth, "arrays and objects nested deeper than \(limits.maxDepth) levels")
        }
        stack.append(isObject)
    }

    @inline(__always)
    private mutating func close() -> Kind {
        let wasObject = stack.removeLast()
        valueDone()
        return wasObject ? .endObject : .endArray
    }

    @inline(__always)
    private mutating func valueDone() {
        guard let inObject = stack.last else {
            state = .end
            topLevelEndLine = currentLine
            return
        }
        // A ',' right after the value is taken now, as `.afterValue` would on the next call: one turn of
        // the loop less per value (what follows it is checked then, as before).
        if pos < end, bytes[pos] == UInt8(ascii: ",") {
            pos += 1
            state = inObject ? .key : .value
        } else {
            state = .afterValue
        }
    }

    // MARK: - Bytes

    /// Reads the next chunk when the current one is used up; `false` at the end of input.
    mutating func refill() throws -> Bool {
        if atEOF { return false }
        consumed += end
        pos = 0
        end = 0
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: bytes, count: chunk.capacity))
        precondition(n >= 0 && n <= chunk.capacity, "ByteSource returned more bytes than asked for")
        if n == 0 { atEOF = true; return false }
        end = n
        return true
    }

    @inline(__always)
    mutating func peek() throws -> UInt8? {
        if pos == end, !(try refill()) { return nil }
        return bytes[pos]
    }

    /// Whether anything but a byte order mark and whitespace is left before the end (JSON Lines: an empty
    /// input holds no record, where an empty JSON document is an error).
    mutating func hasContent() throws -> Bool {
        if state == .start, consumed + pos == 0 { try skipByteOrderMark() }
        return try peekSkippingWhitespace() != nil
    }

    /// The next byte that is not whitespace, or nil at the end: the common case (a token's first byte
    /// right here) inline, the rest in `skipWhitespace`.
    @inline(__always)
    private mutating func peekSkippingWhitespace() throws -> UInt8? {
        if pos < end {
            let b = bytes[pos]
            if b > 0x20 { return b }
        }
        return try skipWhitespace()
    }

    private mutating func skipWhitespace() throws -> UInt8? {
        while true {
            if pos == end, !(try refill()) { return nil }
            let b = bytes[pos]
            switch b {
            case 0x20, 0x09, 0x0D:
                pos += 1
            case 0x0A:
                pos += 1
                currentLine += 1
                lineStart = consumed + pos
            default:
                return b
            }
        }
    }

    private mutating func skipByteOrderMark() throws {
        guard try peek() == 0xEF else { return }
        markTokenStart()
        for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
            guard let b = try peek() else { throw error(.jsonTruncated, "unexpected end of the document") }
            guard b == expected else { throw error(.jsonSyntax, "expected a value") }
            pos += 1
        }
    }

    @inline(__always)
    private mutating func markTokenStart() {
        line = currentLine
        // Offsets into the input: far from overflowing an Int, so no overflow check per token.
        column = consumed &+ pos &- lineStart &+ 1
    }

    /// An error at the current byte.
    func error(_ code: SeqPortError.Code, _ message: String) -> SeqPortError {
        SeqPortError(code, message, at: SourceLocation(line: currentLine, column: consumed + pos - lineStart + 1))
    }

    // MARK: - Literals and numbers

    private mutating func literal(_ word: StaticString) throws {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard let b = try peek() else { throw error(.jsonTruncated, "unexpected end of the document") }
            guard b == expected else { throw error(.jsonSyntax, "invalid literal (expected true, false or null)") }
            pos += 1
        }
    }

    @inline(__always) private static func isDigit(_ b: UInt8?) -> Bool {
        guard let b else { return false }
        return b >= 0x30 && b <= 0x39
    }

    private mutating func takeNumberByte(_ b: UInt8) throws {
        guard textBuffer.count < Self.maxNumberBytes else {
            throw error(.jsonNumberTooLong, "number longer than \(Self.maxNumberBytes) bytes")
        }
        textBuffer.append(b)
        pos += 1
    }

    /// Takes one digit or more; `what` names the part for the message.
    private mutating func digits(_ what: String) throws {
        let first = try peek()
        guard Self.isDigit(first) else {
            if first == nil { throw error(.jsonTruncated, "unexpected end of the document in a number") }
            throw error(.jsonSyntax, "expected a digit in the \(what) of a number")
        }
        while try pos < end || refill() {
            let start = pos
            while pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
            textBuffer.append(UnsafeBufferPointer(start: bytes + start, count: pos - start))
            guard textBuffer.count <= Self.maxNumberBytes else {
                throw error(.jsonNumberTooLong, "number longer than \(Self.maxNumberBytes) bytes")
            }
            if pos < end { return }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws {
        textBuffer.removeAll()
        if try peek() == UInt8(ascii: "-") { try takeNumberByte(UInt8(ascii: "-")) }
        if try peek() == UInt8(ascii: "0") {
            try takeNumberByte(UInt8(ascii: "0"))
            if Self.isDigit(try peek()) { throw error(.jsonSyntax, "number with a leading zero") }
        } else {
            try digits("integer part")
        }
        if try peek() == UInt8(ascii: ".") {
            try takeNumberByte(UInt8(ascii: "."))
            try digits("fraction")
        }
        if let e = try peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            try takeNumberByte(e)
            if let sign = try peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { try takeNumberByte(sign) }
            try digits("exponent")
        }
    }
}

/// The chunk a tokenizer reads into, freed with the tokenizer.
final class ChunkBuffer {
    let bytes: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
        bytes.initialize(repeating: 0, count: capacity)
    }

    deinit { bytes.deallocate() }
}
