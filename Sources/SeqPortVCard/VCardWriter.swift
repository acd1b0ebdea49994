import Foundation
import SeqPortModel

/// Writes vCards as vCard 4.0 (RFC 6350, the default) or 3.0 (RFC 2426): CR LF line ends, lines
/// folded at 75 octets without splitting a UTF-8 sequence, deterministic (`Specs/vcard.md`).
///
/// Each card is `BEGIN:VCARD`, `VERSION`, its properties in order, `END:VCARD`. Between versions the
/// writer converts what differs: a 4.0 `PREF=1` is a 3.0 `TYPE=pref` and back, a 4.0 `data:` photo is
/// a 3.0 `ENCODING=b;TYPE=JPEG` photo and back. What vCard cannot carry is refused, never dropped:
/// a control character other than tab in a value (a line feed is escaped as `\n` by `VCardText`),
/// and in 3.0 a double quote or line break in a parameter value (`vcard.unrepresentable`).
///
/// ```swift
/// var writer = VCardWriter(sink: sink)
/// try writer.write(card)
/// try writer.finish()
/// ```
public struct VCardWriter {
    public struct Options: Hashable, Sendable {
        /// The version written: `.v4_0` (default) or `.v3_0`.
        public var version: VCardVersion
        public init(version: VCardVersion = .v4_0) { self.version = version }
    }

    public let options: Options
    private let sink: any ByteSink
    private var buffer: [UInt8] = []
    private var finished = false
    private var cards = 0

    /// The longest physical line, in octets, without its CR LF (RFC 6350 §3.2).
    public static let lineOctets = 75

    public init(sink: any ByteSink, options: Options = .init()) {
        self.sink = sink
        self.options = options
    }

    /// Writes one card.
    ///
    /// - Throws: `vcard.unrepresentable` naming the card (as the record) and the property; `vcard.version`
    ///   when asked for 2.1; whatever the sink throws.
    public mutating func write(_ card: VCard) throws {
        guard !finished else { throw SeqPortError(.internalError, "vcard written after finish") }
        guard options.version != .v2_1 else { throw SeqPortError(.vcardVersion, "vCard 2.1 is read, not written") }
        cards += 1
        let record = cards
        var lines: [[UInt8]] = [Array("BEGIN:VCARD".utf8), Array("VERSION:\(options.version.rawValue)".utf8)]
        for property in card.properties {
            do {
                let converted = try VCardWriter.converted(property, to: options.version)
                lines.append(try VCardWriter.contentLine(converted, version: options.version))
            } catch var error as SeqPortError {
                if error.location.record == nil { error.location.record = record }
                throw error
            }
        }
        lines.append(Array("END:VCARD".utf8))
        for line in lines { VCardWriter.fold(line, into: &buffer) }
        if buffer.count >= 64 << 10 { try flush() }
    }

    /// Flushes what is buffered. Call once, after the last card.
    public mutating func finish() throws {
        guard !finished else { throw SeqPortError(.internalError, "vcard writer finished twice") }
        finished = true
        try flush()
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The bytes of one card, for tests and small uses.
    public static func bytes(_ card: VCard, version: VCardVersion = .v4_0) throws -> [UInt8] {
        let sink = MemorySink()
        var writer = VCardWriter(sink: sink, options: Options(version: version))
        try writer.write(card)
        try writer.finish()
        return sink.bytes
    }

    /// `line` folded: at most 75 octets per physical line, continuation lines starting with a space,
    /// never cutting a UTF-8 sequence; each line ends in CR LF.
    static func fold(_ line: [UInt8], into out: inout [UInt8]) {
        var start = 0
        var first = true
        while true {
            let room = first ? lineOctets : lineOctets - 1
            if !first { out.append(0x20) }
            if line.count - start <= room {
                out.append(contentsOf: line[start...])
                break
            }
            var cut = start + room
            while cut > start, line[cut] & 0xC0 == 0x80 { cut -= 1 }
            out.append(contentsOf: line[start..<cut])
            out.append(0x0D); out.append(0x0A)
            start = cut
            first = false
        }
        out.append(0x0D); out.append(0x0A)
    }

    /// The unfolded content line of a property, checked.
    static func contentLine(_ p: VCardProperty, version: VCardVersion) throws -> [UInt8] {
        let place = SourceLocation(field: p.name)
        func isName(_ s: String) -> Bool {
            !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
        guard isName(p.name), p.group.map(isName) ?? true else {
            throw SeqPortError(.vcardUnrepresentable, "not a vCard name (letters, digits, '-')", at: place)
        }
        guard !["BEGIN", "END", "VERSION"].contains(p.name) else {
            throw SeqPortError(.vcardUnrepresentable, "BEGIN, END and VERSION are written by the writer", at: place)
        }
        var line = ""
        if let group = p.group { line += group + "." }
        line += p.name
        for parameter in p.parameters {
            guard isName(parameter.name) else { throw SeqPortError(.vcardUnrepresentable, "parameter name is not a vCard name", at: place) }
            line += ";" + parameter.name + "="
            line += try parameter.values.map { try parameterValue($0, version: version, place: place) }.joined(separator: ",")
        }
        line += ":"
        if p.value.unicodeScalars.contains(where: { VCardText.isForbidden($0.value) }) {
            throw SeqPortError(.vcardUnrepresentable, "a control character vCard cannot carry (only line feeds are escaped)", at: place)
        }
        line += p.value
        return Array(line.utf8)
    }

    /// A parameter value: quoted when it holds `;` `:` `,` or is empty; RFC 6868 `^` escapes in 4.0.
    static func parameterValue(_ v: String, version: VCardVersion, place: SourceLocation) throws -> String {
        if v.unicodeScalars.contains(where: { VCardText.isForbidden($0.value) && $0 != "\n" }) {
            throw SeqPortError(.vcardUnrepresentable, "a control character in a parameter value", at: place)
        }
        var s = v
        if version == .v4_0 {
            if s.contains("^") || s.contains("\"") || s.contains("\n") {
                s = s.replacingOccurrences("^", "^^").replacingOccurrences("\n", "^n").replacingOccurrences("\"", "^'")
            }
        } else if s.contains("\"") || s.contains("\n") {
            throw SeqPortError(.vcardUnrepresentable, "a double quote or line break in a parameter value (3.0 cannot carry one)", at: place)
        }
        if s.isEmpty || s.contains(";") || s.contains(":") || s.contains(",") { return "\"" + s + "\"" }
        return s
    }

    /// A property as `version` spells it: preference, inline binary.
    static func converted(_ p: VCardProperty, to version: VCardVersion) throws -> VCardProperty {
        var p = p
        switch version {
        case .v4_0:
            if p.types.contains("pref"), p.parameter("PREF") == nil {
                p = p.removingType("pref")
                p.parameters.append(VCardParameter("PREF", "1"))
            }
            if p.isInlineBase64, VCardProperty.binaryNames.contains(p.name), let (mediaType, bytes) = try p.binary(limits: .unbounded) {
                let type = mediaType ?? "application/octet-stream"
                p = p.removing(parameter: "ENCODING").removing(parameter: "MEDIATYPE")
                if let subtype = p.types.first(where: { !["pref", "work", "home"].contains($0) }) { p = p.removingType(subtype) }
                p.value = DataURI.encode(mediaType: type, bytes: bytes)
            }
        case .v3_0, .v2_1:
            if p.isInlineBase64, p.parameter("ENCODING") != ["b"] {
                // 2.1's BASE64 is 3.0's b.
                p = p.removing(parameter: "ENCODING")
                p.parameters.append(VCardParameter("ENCODING", "b"))
            }
            if p.parameter("PREF") == ["1"] {
                p = p.removing(parameter: "PREF")
                p.parameters.append(VCardParameter("TYPE", "pref"))
            }
            if p.isDataURI, VCardProperty.binaryNames.contains(p.name),
               let (mediaType, bytes) = try p.binary(limits: .unbounded), let mediaType,
               mediaType.lowercased().hasPrefix("image/") || mediaType.lowercased().hasPrefix("audio/") {
                let subtype = mediaType.split(separator: "/").last.map { String($0).uppercased() } ?? ""
                p.parameters.append(VCardParameter("ENCODING", "b"))
                if !subtype.isEmpty { p.parameters.append(VCardParameter("TYPE", subtype)) }
                p.value = VCardCoding.base64(bytes)
            }
        }
        return p
    }
}

extension VCardProperty {
    /// A copy without one `TYPE` value (case-insensitive); the parameter goes when it is left empty.
    func removingType(_ type: String) -> VCardProperty {
        var copy = self
        for k in copy.parameters.indices where copy.parameters[k].name == "TYPE" {
            copy.parameters[k].values.removeAll { $0.lowercased() == type }
        }
        copy.parameters.removeAll { $0.name == "TYPE" && $0.values.isEmpty }
        return copy
    }
}

extension VCardLimits {
    /// No binary limit: for converting what was already read within limits.
    static var unbounded: VCardLimits {
        var l = VCardLimits()
        l.maxBinaryBytes = .max / 2
        return l
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard contains(a) else { return self }
        return components(separatedBy: a).joined(separator: b)
    }
}
