import Foundation
import SeqPortModel

/// Reads vCards (2.1, 3.0 RFC 2426, 4.0 RFC 6350) one card at a time, strictly (`Specs/vcard.md`).
///
/// Lines end in CR LF or LF; a line starting with a space or a tab continues the previous one (one
/// whitespace byte is removed). In a `QUOTED-PRINTABLE` value a line ending in `=` continues too.
/// Quoted-printable and `CHARSET=` are decoded (their parameters are then dropped: they describe
/// the file, not the data); `ENCODING=b` values stay base64 (see `VCardProperty.binary`).
/// Errors carry the line (from 1) where the content line starts, the card (as the record, from 1)
/// and the property name (as the field); never a value.
///
/// ```swift
/// var reader = VCardReader(source: MemorySource(bytes))
/// while let card = try reader.next() { print(card.first("FN")?.text ?? "") }
/// ```
public struct VCardReader {
    public let limits: VCardLimits
    private var lines: VCardLineReader
    private var cardCount = 0
    private var failed = false

    public init(source: any ByteSource, limits: VCardLimits = .default) {
        self.limits = limits
        self.lines = VCardLineReader(source: source, maxLineBytes: limits.maxLineBytes)
    }

    /// The next card, or nil at the end of the input. After an error the reader returns nil.
    public mutating func next() throws -> VCard? {
        guard !failed else { return nil }
        do {
            return try readCard()
        } catch {
            failed = true
            throw error
        }
    }

    private mutating func readCard() throws -> VCard? {
        // Outside a card: blank lines, then BEGIN:VCARD.
        var begin: VCardLine?
        while begin == nil {
            guard let line = try lines.next(record: cardCount + 1) else { return nil }
            if line.bytes.isEmpty { continue }
            begin = line
        }
        let record = cardCount + 1
        let first = try VCardLineParser.parse(begin!, version: nil, limits: limits, record: record)
        guard first.name == "BEGIN", first.group == nil, first.value.uppercased() == "VCARD" else {
            throw SeqPortError(.vcardSyntax, "expected BEGIN:VCARD", at: SourceLocation(line: begin!.line, record: record, field: first.name))
        }
        cardCount = record
        var version: VCardVersion?
        var properties: [VCardProperty] = []
        while true {
            guard let line = try lines.next(record: record) else {
                throw SeqPortError(.vcardTruncated, "the input ends inside a card (no END:VCARD)", at: SourceLocation(line: begin!.line, record: record))
            }
            if line.bytes.isEmpty { continue }
            let property = try VCardLineParser.parse(line, version: version, limits: limits, record: record)
            let place = SourceLocation(line: line.line, record: record, field: property.name)
            switch property.name {
            case "BEGIN":
                throw SeqPortError(.vcardSyntax, "BEGIN inside a card (nested cards are not read)", at: place)
            case "END":
                guard property.value.uppercased() == "VCARD" else { throw SeqPortError(.vcardSyntax, "expected END:VCARD", at: place) }
                guard let version else { throw SeqPortError(.vcardVersion, "card has no VERSION", at: place) }
                return VCard(version: version, properties: properties)
            case "VERSION":
                guard version == nil else { throw SeqPortError(.vcardVersion, "VERSION given twice", at: place) }
                guard let v = VCardVersion(rawValue: property.value) else {
                    throw SeqPortError(.vcardVersion, "VERSION is not 2.1, 3.0 or 4.0", at: place)
                }
                version = v
            default:
                guard properties.count < limits.maxProperties else {
                    throw SeqPortError(.vcardTooManyProperties, "card has more than \(limits.maxProperties) properties", at: place)
                }
                properties.append(property)
            }
        }
    }
}

/// One content line after unfolding, and the line number where it starts.
struct VCardLine {
    var bytes: [UInt8]
    var line: Int
}

/// Physical lines from a byte source, joined into content lines (unfolding), bounded in raw bytes.
struct VCardLineReader {
    private let source: any ByteSource
    private let maxLineBytes: Int
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var physicalLines = 0

    init(source: any ByteSource, maxLineBytes: Int) {
        self.source = source
        self.maxLineBytes = maxLineBytes
    }

    /// The next content line (empty for a blank line), or nil at the end of the input.
    mutating func next(record: Int) throws -> VCardLine? {
        var bytes: [UInt8] = []
        var raw = 0
        let line = physicalLines + 1
        guard try appendLine(to: &bytes, raw: &raw, line: line, record: record) else { return nil }
        var quotedPrintable: Bool?
        while let b = try peek() {
            if b == 0x20 || b == 0x09 {
                // Empty continuation lines (" " CR LF, as endless folding sends them) in a tight loop.
                let n = emptyFold()
                if n > 0 {
                    raw += n
                    physicalLines += 1
                    if raw > maxLineBytes {
                        throw SeqPortError(.vcardTooLong, "content line longer than \(maxLineBytes) bytes (with its folds)", at: SourceLocation(line: line, record: record))
                    }
                    continue
                }
                start += 1
                raw += 1
            } else if bytes.last == UInt8(ascii: "="), quotedPrintable ?? Self.isQuotedPrintable(bytes) {
                quotedPrintable = true
                bytes.removeLast()
            } else {
                break
            }
            _ = try appendLine(to: &bytes, raw: &raw, line: line, record: record)
        }
        return VCardLine(bytes: bytes, line: line)
    }

    /// Whether the part of a content line before its first `:` names quoted-printable.
    private static func isQuotedPrintable(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix { $0 != UInt8(ascii: ":") }
        return String(decoding: head, as: UTF8.self).uppercased().contains("QUOTED-PRINTABLE")
    }

    /// The length of an empty continuation line at `start` wholly inside the chunk (space or tab, then
    /// LF or CR LF), consumed; 0 (nothing consumed) otherwise.
    private mutating func emptyFold() -> Int {
        if start + 1 < end, chunk[start + 1] == 0x0A { start += 2; return 2 }
        if start + 2 < end, chunk[start + 1] == 0x0D, chunk[start + 2] == 0x0A { start += 3; return 3 }
        return 0
    }

    /// Fills the chunk when it is used up; false at the end of the input.
    private mutating func fill() throws -> Bool {
        if start < end { return true }
        if atEOF { return false }
        let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { atEOF = true; return false }
        start = 0
        end = n
        return true
    }

    /// The next byte, not consumed.
    private mutating func peek() throws -> UInt8? { try fill() ? chunk[start] : nil }

    /// Appends the next physical line without its line end to `out`, counting the raw bytes it took
    /// (line end included) in `raw`; false at the end of the input.
    private mutating func appendLine(to out: inout [UInt8], raw: inout Int, line: Int, record: Int) throws -> Bool {
        let base = out.count
        var any = false
        var terminated = false
        while try fill() {
            any = true
            let (from, to) = (start, end)
            let found: Int? = chunk.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> Int? in
                guard let hit = memchr(p.baseAddress! + from, 0x0A, to - from) else { return nil }
                return UnsafeRawPointer(hit) - p.baseAddress!
            }
            let stop = found ?? to
            raw += stop - from + (found == nil ? 0 : 1)
            if raw > maxLineBytes {
                throw SeqPortError(.vcardTooLong, "content line longer than \(maxLineBytes) bytes (with its folds)", at: SourceLocation(line: line, record: record))
            }
            if stop > from { out.append(contentsOf: chunk[from..<stop]) }
            start = found.map { $0 + 1 } ?? to
            if found != nil { terminated = true; break }
        }
        guard any else { return false }
        physicalLines += 1
        if terminated, out.count > base, out.last == 0x0D { out.removeLast() }
        if out.count > base, out[base...].contains(0x0D) {
            throw SeqPortError(.vcardSyntax, "carriage return not followed by a line feed", at: SourceLocation(line: physicalLines, record: record))
        }
        return true
    }
}
