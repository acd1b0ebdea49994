import SeqPortModel

/// One cell of the row `CSVScanner` has just read. Its bytes (quotes removed, `""` unescaped) are
/// `rowBytes[start..<end]`; `line` and `column` say where the cell starts (its opening quote if quoted).
struct CSVCell {
    var start: Int
    var end: Int
    var quoted: Bool
    var line: Int
    var column: Int

    /// An unquoted empty cell: NULL.
    var isNull: Bool { !quoted && start == end }
}

/// The strict RFC 4180 tokenizer: a byte-level state machine over a 64 KiB buffer that reads one row
/// at a time into `rowBytes` and `cells`, validating UTF-8 as it goes.
///
/// Lines count line feeds and start at 1; columns count bytes from the start of the physical line
/// (after the byte order mark on line 1) and start at 1.
///
/// A struct with `mutating` methods (not a class) so that the hot loop pays no dynamic exclusivity
/// checks; the input buffer lives in a `CSVChunk` that frees it.
struct CSVScanner {
    static let chunkSize = 64 * 1024

    private let source: any ByteSource
    private let chunk = CSVChunk(count: CSVScanner.chunkSize)
    private var pos = 0
    private var end = 0
    /// The absolute offset of `buffer[0]` in the input.
    private var base = 0
    private var atEOF = false

    /// The current physical line.
    private(set) var line = 1
    /// The absolute offset of the current line's first byte.
    private var lineStart = 0
    /// The line on which the last row read ended.
    private(set) var rowEndLine = 1

    private(set) var rowBytes: [UInt8] = []
    private(set) var cells: [CSVCell] = []

    // Set by the reader: what a row may hold and how errors name their place.
    /// The most cells a row may have; one more throws `overflowCode`.
    var maxCells = Int.max
    var overflowCode = SeqPortError.Code.csvFieldCount
    var overflowMessage = ""
    /// The most bytes a cell may have; one more throws `tooLongCode`.
    var maxCellBytes = Int.max
    var tooLongCode = SeqPortError.Code.valueTooLong
    var tooLongMessage = ""
    /// The byte that separates cells: `,` by default; `;` or tab as spreadsheets save them.
    var delimiter = Byte.comma
    /// The names of the columns, for error locations (empty while reading the header).
    var names: [String] = []
    /// The record being read, for error locations (`nil` while reading the header).
    var record: Int?

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, cr }
    private var state = State.fieldStart
    /// UTF-8 validation across chunks and cells (SeqPortModel's one validator).
    private var utf8 = UTF8Validator()
    private var crLine = 0
    private var crColumn = 0

    init(source: any ByteSource) {
        self.source = source
    }

    /// Reads the first bytes and skips a UTF-8 byte order mark.
    mutating func skipByteOrderMark() throws {
        let raw = UnsafeMutableRawBufferPointer(chunk.bytes)
        while end < 3, !atEOF {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            if n == 0 { atEOF = true } else { end += n }
        }
        let p = chunk.bytes
        if end >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF {
            pos = 3
            lineStart = 3
        }
    }

    /// The separator the first line uses: whichever of `,`, `;` and tab occurs most often outside quotes
    /// before its first line feed (within the first chunk); `,` when none does or on a tie with `,`.
    /// Call after `skipByteOrderMark` and before the first `readRow`.
    mutating func detectDelimiter() throws -> UInt8 {
        let raw = UnsafeMutableRawBufferPointer(chunk.bytes)
        while end < CSVScanner.chunkSize, !atEOF, !UnsafeBufferPointer(rebasing: UnsafeBufferPointer(chunk.bytes)[pos..<end]).contains(Byte.lf) {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            if n == 0 { atEOF = true } else { end += n }
        }
        let candidates = [Byte.comma, UInt8(ascii: ";"), Byte.tab]
        var counts = [0, 0, 0]
        var quoted = false
        for i in pos..<end {
            let b = chunk.bytes[i]
            if b == Byte.quote { quoted.toggle() } else if !quoted {
                if b == Byte.lf { break }
                if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
            }
        }
        // The most frequent; on a tie the earlier in the list (`,` before `;` before tab).
        var best = 0
        for k in 1..<candidates.count where counts[k] > counts[best] { best = k }
        return candidates[best]
    }

    /// Reads the next row into `cells` and `rowBytes`; `false` at the end of the input.
    ///
    /// A row is any input up to an unquoted LF or CR LF, or up to the end of the input when it does not
    /// end in one; a blank line is one NULL cell.
    mutating func readRow() throws -> Bool {
        rowBytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        state = .fieldStart
        var started = false
        while true {
            if pos == end {
                try refill()
                if pos == end {
                    guard started else { return false }
                    try finishAtEOF()
                    return true
                }
            }
            started = true
            if try scan() { return true }
        }
    }

    private mutating func refill() throws {
        base += end
        pos = 0
        end = 0
        guard !atEOF else { return }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(chunk.bytes))
        if n == 0 { atEOF = true } else { end = n }
    }

    /// Scans `buffer[pos..<end]`; `true` when a row ended inside it.
    private mutating func scan() throws -> Bool {
        let p = UnsafeBufferPointer(chunk.bytes)
        let end = self.end
        var i = pos
        defer { pos = i }
        while i < end {
            switch state {
            case .fieldStart:
                try beginCell(at: i)
                if p[i] == Byte.quote {
                    cells[cells.count - 1].quoted = true
                    state = .quoted
                    i += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                let j = try run(p, from: i, quoted: false)
                try append(p, i, j)
                i = j
                guard i < end else { break }
                switch p[i] {
                case delimiter:
                    endCell()
                    state = .fieldStart
                    i += 1
                case Byte.lf:
                    endCell()
                    endRow(at: i)
                    i += 1
                    return true
                case Byte.cr:
                    endCell()
                    sawCR(at: i)
                    i += 1
                default:
                    throw error(.csvBareQuote, "quote inside an unquoted field", at: i)
                }
            case .quoted:
                let j = try run(p, from: i, quoted: true)
                try append(p, i, j)
                i = j
                guard i < end else { break }
                if p[i] == Byte.lf {
                    try append(p, i, i + 1)
                    newLine(at: i)
                } else {
                    state = .quoteInQuoted
                }
                i += 1
            case .quoteInQuoted:
                switch p[i] {
                case Byte.quote:
                    try append(p, i, i + 1)
                    state = .quoted
                    i += 1
                case delimiter:
                    endCell()
                    state = .fieldStart
                    i += 1
                case Byte.lf:
                    endCell()
                    endRow(at: i)
                    i += 1
                    return true
                case Byte.cr:
                    endCell()
                    sawCR(at: i)
                    i += 1
                default:
                    throw error(.csvQuoteGarbage, "unexpected character after a closing quote", at: i)
                }
            case .cr:
                guard p[i] == Byte.lf else { throw bareCR() }
                endRow(at: i)
                i += 1
                return true
            }
        }
        return false
    }

    /// The end of the longest run from `start` of bytes with no meaning in this state, checking UTF-8.
    @inline(__always)
    private mutating func run(_ p: UnsafeBufferPointer<UInt8>, from start: Int, quoted: Bool) throws -> Int {
        var j = start
        let end = self.end
        let delimiter = self.delimiter
        var utf8 = self.utf8
        defer { self.utf8 = utf8 }
        while j < end {
            let b = p[j]
            if b < 0x80 {
                if !utf8.isComplete { break }
                if quoted {
                    if b == Byte.quote || b == Byte.lf { break }
                } else if b == delimiter || b == Byte.quote || b == Byte.cr || b == Byte.lf {
                    break
                }
            } else if !utf8.accept(b) {
                throw error(.csvInvalidUTF8, "invalid UTF-8", at: j)
            }
            j += 1
        }
        if !utf8.isComplete, j < end { throw error(.csvInvalidUTF8, "invalid UTF-8", at: j) }
        return j
    }

    /// Appends `p[from..<to]` to the current cell, refusing before the cell grows past `maxCellBytes`.
    @inline(__always)
    private mutating func append(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) throws {
        guard to > from else { return }
        let held = rowBytes.count - cells[cells.count - 1].start
        if held + (to - from) > maxCellBytes {
            throw error(tooLongCode, tooLongMessage, at: from + (maxCellBytes - held))
        }
        rowBytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[from..<to]))
    }

    private mutating func beginCell(at i: Int) throws {
        if cells.count >= maxCells {
            throw SeqPortError(
                overflowCode, overflowMessage, at: SourceLocation(line: line, column: column(at: i), record: record))
        }
        cells.append(CSVCell(start: rowBytes.count, end: rowBytes.count, quoted: false, line: line, column: column(at: i)))
    }

    private mutating func endCell() {
        cells[cells.count - 1].end = rowBytes.count
    }

    private mutating func sawCR(at i: Int) {
        crLine = line
        crColumn = column(at: i)
        state = .cr
    }

    private mutating func newLine(at i: Int) {
        line += 1
        lineStart = base + i + 1
    }

    private mutating func endRow(at i: Int) {
        rowEndLine = line
        newLine(at: i)
        state = .fieldStart
    }

    private mutating func finishAtEOF() throws {
        rowEndLine = line
        switch state {
        case .fieldStart:
            try beginCell(at: pos)
            endCell()
        case .unquoted, .quoteInQuoted:
            if !utf8.isComplete { throw error(.csvInvalidUTF8, "invalid UTF-8 (truncated sequence)", at: pos) }
            endCell()
        case .quoted:
            let cell = cells[cells.count - 1]
            throw SeqPortError(
                .csvUnterminatedQuote, "quoted field not closed before the end of the input",
                at: location(line: cell.line, column: cell.column))
        case .cr:
            throw bareCR()
        }
        state = .fieldStart
    }

    private func bareCR() -> SeqPortError {
        SeqPortError(.csvBareCR, "carriage return not followed by a line feed", at: location(line: crLine, column: crColumn))
    }

    private func column(at i: Int) -> Int { base + i - lineStart + 1 }

    private func error(_ code: SeqPortError.Code, _ message: String, at i: Int) -> SeqPortError {
        SeqPortError(code, message, at: location(line: line, column: column(at: i)))
    }

    /// A location in the current row's current cell.
    private func location(line: Int, column: Int) -> SourceLocation {
        let index = cells.count - 1
        let field = index >= 0 && index < names.count ? names[index] : nil
        return SourceLocation(line: line, column: column, record: record, field: field)
    }
}

/// The scanner's input buffer: allocated once, freed with the last scanner copy that uses it.
final class CSVChunk {
    let bytes: UnsafeMutableBufferPointer<UInt8>

    init(count: Int) {
        bytes = .allocate(capacity: count)
        bytes.initialize(repeating: 0)
    }

    deinit { bytes.deallocate() }
}
