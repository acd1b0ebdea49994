import SeqPortModel

/// Strings: unescaping, surrogate pairs and UTF-8 checks.
extension JSONTokenizer {
    /// Reads a string after its opening quote into `text`, unescaped and checked as UTF-8.
    mutating func string(limit: Int, what: String) throws {
        // The common case: the whole string is in the chunk with nothing to unescape or check as
        // multi-byte UTF-8; it is lent from the chunk as it is.
        var stop = pos
        while stop &+ 8 <= end {
            let word = WordScan.load(UnsafePointer(bytes), stop)
            if WordScan.hasLess(word, than: 0x20) | WordScan.has(word, 0x22) | WordScan.has(word, 0x5C) | (word & 0x8080_8080_8080_8080) != 0 { break }
            stop &+= 8
        }
        while stop < end {
            let c = bytes[stop]
            if c < 0x20 || c == 0x5C || c >= 0x80 { break }
            if c == 0x22 {
                if stop - pos > limit { throw tooLong(limit, what) }
                textIsChunk(pos, stop - pos)
                pos = stop + 1
                return
            }
            stop += 1
        }
        try bufferedString(limit: limit, what: what)
        textIsBuffer()
    }

    /// `string` for a string cut by the chunk's end, or with escapes or multi-byte UTF-8: copied into
    /// `textBuffer` as it is read.
    private mutating func bufferedString(limit: Int, what: String) throws {
        textBuffer.removeAll()
        while true {
            if pos == end, !(try refill()) { throw error(.jsonTruncated, "unexpected end of the document in a \(what)") }
            let start = pos
            var stop = start
            while stop < end {
                let c = bytes[stop]
                if c < 0x20 || c == 0x22 || c == 0x5C || c >= 0x80 { break }
                stop += 1
            }
            if stop > start {
                textBuffer.append(UnsafeBufferPointer(start: bytes + start, count: stop - start))
                pos = stop
                if textBuffer.count > limit { throw tooLong(limit, what) }
                continue
            }
            let c = bytes[pos]
            if c == 0x22 {
                pos += 1
                return
            } else if c == 0x5C {
                try escape()
            } else if c < 0x20 {
                throw error(.jsonSyntax, "unescaped control character in a \(what)")
            } else {
                try utf8Sequence()
            }
            if textBuffer.count > limit { throw tooLong(limit, what) }
        }
    }

    private func tooLong(_ limit: Int, _ what: String) -> SeqPortError {
        SeqPortError(.valueTooLong, "\(what) longer than \(limit) bytes", at: SourceLocation(line: line, column: column))
    }

    /// Checks (SeqPortModel's `UTF8Validator`: no overlongs, no surrogates, nothing above U+10FFFF) and
    /// copies one multi-byte UTF-8 sequence; a sequence cut by a chunk boundary is read on from the next.
    private mutating func utf8Sequence() throws {
        let lead = bytes[pos]
        let leadLine = currentLine, leadColumn = consumed + pos - lineStart + 1
        var invalid: SeqPortError {
            SeqPortError(.jsonInvalidUTF8, "invalid UTF-8 in a string", at: SourceLocation(line: leadLine, column: leadColumn))
        }
        var utf8 = UTF8Validator()
        guard utf8.acceptLead(lead) else { throw invalid }
        textBuffer.append(lead)
        pos += 1
        while !utf8.isComplete {
            guard let b = try peek(), utf8.accept(b) else { throw invalid }
            textBuffer.append(b)
            pos += 1
        }
    }

    private mutating func escape() throws {
        pos += 1
        guard let e = try peek() else { throw error(.jsonTruncated, "unexpected end of the document in an escape") }
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): textBuffer.append(e)
        case UInt8(ascii: "b"): textBuffer.append(0x08)
        case UInt8(ascii: "f"): textBuffer.append(0x0C)
        case UInt8(ascii: "n"): textBuffer.append(0x0A)
        case UInt8(ascii: "r"): textBuffer.append(0x0D)
        case UInt8(ascii: "t"): textBuffer.append(0x09)
        case UInt8(ascii: "u"):
            pos += 1
            let unit = try hex4()
            var scalar = UInt32(unit)
            if (0xDC00...0xDFFF).contains(unit) {
                throw error(.jsonLoneSurrogate, "low surrogate escape without a high surrogate before it")
            }
            if (0xD800...0xDBFF).contains(unit) {
                let missing = error(.jsonLoneSurrogate, "high surrogate escape not followed by a low surrogate escape")
                guard let b1 = try peek() else { throw error(.jsonTruncated, "unexpected end of the document in an escape") }
                guard b1 == 0x5C else { throw missing }
                pos += 1
                guard let b2 = try peek() else { throw error(.jsonTruncated, "unexpected end of the document in an escape") }
                guard b2 == UInt8(ascii: "u") else { throw missing }
                pos += 1
                let second = try hex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw missing }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            }
            appendUTF8(scalar)
            return
        default:
            throw error(.jsonSyntax, "invalid escape in a string")
        }
        pos += 1
    }

    private mutating func hex4() throws -> UInt16 {
        var v: UInt16 = 0
        for _ in 0..<4 {
            guard let b = try peek() else { throw error(.jsonTruncated, "unexpected end of the document in an escape") }
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: throw error(.jsonSyntax, "invalid \\u escape (expected four hex digits)")
            }
            v = v << 4 | UInt16(d)
            pos += 1
        }
        return v
    }

    private mutating func appendUTF8(_ s: UInt32) {
        switch s {
        case 0..<0x80:
            textBuffer.append(UInt8(s))
        case 0x80..<0x800:
            textBuffer.append(UInt8(0xC0 | s >> 6))
            textBuffer.append(UInt8(0x80 | s & 0x3F))
        case 0x800..<0x10000:
            textBuffer.append(UInt8(0xE0 | s >> 12))
            textBuffer.append(UInt8(0x80 | s >> 6 & 0x3F))
            textBuffer.append(UInt8(0x80 | s & 0x3F))
        default:
            textBuffer.append(UInt8(0xF0 | s >> 18))
            textBuffer.append(UInt8(0x80 | s >> 12 & 0x3F))
            textBuffer.append(UInt8(0x80 | s >> 6 & 0x3F))
            textBuffer.append(UInt8(0x80 | s & 0x3F))
        }
    }
}
