/// A text encoding partners' files come in (`seqport convert --encoding`, `Specs/csv.md`).
public enum TextEncoding: String, CaseIterable, Sendable {
    /// UTF-8 (the default); a UTF-16 byte order mark at the start is followed instead.
    case utf8 = "utf-8"
    /// UTF-16: its byte order mark says the byte order; without one, little-endian (Windows "Unicode").
    case utf16 = "utf-16"
    /// ISO 8859-1 (Latin-1): every byte is the character U+0000–U+00FF.
    case latin1 = "iso-8859-1"
    /// Windows-1252: Latin-1 with `€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ` in 0x80–0x9F;
    /// the five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are refused.
    case windows1252 = "windows-1252"
}

/// Converts a source in another encoding to UTF-8 as it is read, so every reader works on UTF-8.
///
/// Line feeds stay line feeds, so the line numbers of the readers' errors are those of the input; columns
/// count bytes of the UTF-8 text. A byte sequence the encoding does not define is refused with
/// `encoding.invalid`, naming the byte offset in the input — never replaced.
public final class TranscodingSource: ByteSource {
    private let base: any ByteSource
    private var encoding: TextEncoding
    private var input = [UInt8](repeating: 0, count: 64 << 10)
    private var inputStart = 0
    private var inputEnd = 0
    private var atEOF = false
    /// Offset in the original input of `input[0]`.
    private var consumed = 0
    /// UTF-8 bytes made but not yet handed out.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var checkedBOM = false
    private var bigEndian = false
    private var passThrough: Bool

    /// Wraps `base`; a UTF-8 source (without a UTF-16 byte order mark) is passed through untouched.
    public init(_ base: any ByteSource, encoding: TextEncoding) throws {
        self.base = base
        self.encoding = encoding
        passThrough = false
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if !checkedBOM { try checkBOM() }
        if passThrough {
            // Bytes already read while looking for a byte order mark go first.
            if inputStart < inputEnd {
                let n = min(buffer.count, inputEnd - inputStart)
                input.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + inputStart, byteCount: n) }
                inputStart += n
                return n
            }
            return try base.read(into: buffer)
        }
        while pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            guard try convertSome() else { return 0 }
        }
        let n = min(buffer.count, pending.count - pendingStart)
        pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + pendingStart, byteCount: n) }
        pendingStart += n
        return n
    }

    /// Reads the first bytes: a UTF-16 byte order mark selects UTF-16 (for `utf8` and `utf16` alike).
    private func checkBOM() throws {
        checkedBOM = true
        while inputEnd < 2, try fill() {}
        let bom = inputEnd >= 2 ? (input[0], input[1]) : (0, 0)
        if bom == (0xFF, 0xFE) || bom == (0xFE, 0xFF) {
            encoding = .utf16
            bigEndian = bom == (0xFE, 0xFF)
            inputStart = 2
        } else if encoding == .utf16 {
            bigEndian = false
        }
        passThrough = encoding == .utf8
    }

    /// Reads more input after what is left; false at the end.
    @discardableResult
    private func fill() throws -> Bool {
        guard !atEOF else { return false }
        if inputStart > 0 && inputStart == inputEnd {
            consumed += inputStart
            inputStart = 0
            inputEnd = 0
        } else if inputStart > 0 && inputEnd == input.count {
            consumed += inputStart
            input.replaceSubrange(0..<(inputEnd - inputStart), with: input[inputStart..<inputEnd])
            inputEnd -= inputStart
            inputStart = 0
        }
        let n = try input.withUnsafeMutableBytes { try base.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[inputEnd...])) }
        if n == 0 { atEOF = true; return false }
        inputEnd += n
        return true
    }

    private func invalid(_ offset: Int, _ what: String) -> SeqPortError {
        SeqPortError(.encodingInvalid, "byte offset \(offset): \(what) in \(encoding.rawValue); give the file's real encoding with --encoding")
    }

    /// Converts what the input holds into `pending`; false at the end of the input.
    private func convertSome() throws -> Bool {
        if inputStart == inputEnd || (encoding == .utf16 && inputEnd - inputStart < 4 && !atEOF) {
            let more = try fill()
            if !more && inputStart == inputEnd { return false }
        }
        switch encoding {
        case .utf8:
            return false
        case .latin1, .windows1252:
            while inputStart < inputEnd {
                let b = input[inputStart]
                var scalar = UInt32(b)
                if encoding == .windows1252, (0x80...0x9F).contains(b) {
                    guard let s = Self.cp1252[Int(b - 0x80)] else {
                        throw invalid(consumed + inputStart, "byte 0x\(String(b, radix: 16, uppercase: true)) is not a character")
                    }
                    scalar = s
                }
                append(scalar)
                inputStart += 1
            }
        case .utf16:
            while inputEnd - inputStart >= 2 {
                let unit = unit16(at: inputStart)
                if (0xD800...0xDBFF).contains(unit) {
                    guard inputEnd - inputStart >= 4 else {
                        if atEOF { throw invalid(consumed + inputStart, "a high surrogate ends the file") }
                        break
                    }
                    let low = unit16(at: inputStart + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw invalid(consumed + inputStart, "a high surrogate without its low surrogate") }
                    append(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                    inputStart += 4
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw invalid(consumed + inputStart, "a low surrogate without its high surrogate")
                } else {
                    append(UInt32(unit))
                    inputStart += 2
                }
            }
            if atEOF && inputEnd - inputStart == 1 { throw invalid(consumed + inputStart, "an odd number of bytes") }
        }
        return true
    }

    private func unit16(at i: Int) -> UInt16 {
        bigEndian ? UInt16(input[i]) << 8 | UInt16(input[i + 1]) : UInt16(input[i + 1]) << 8 | UInt16(input[i])
    }

    private func append(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80: pending.append(UInt8(scalar))
        case 0x80..<0x800:
            pending.append(UInt8(0xC0 | scalar >> 6)); pending.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            pending.append(UInt8(0xE0 | scalar >> 12)); pending.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            pending.append(UInt8(0x80 | scalar & 0x3F))
        default:
            pending.append(UInt8(0xF0 | scalar >> 18)); pending.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            pending.append(UInt8(0x80 | scalar >> 6 & 0x3F)); pending.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Windows-1252 0x80–0x9F; nil where the code page defines no character.
    static let cp1252: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]
}

extension SeqPortError.Code {
    /// The input is not text in the encoding given (`--encoding`).
    public static let encodingInvalid = Self("encoding.invalid", .input)
}
