import SeqPortModel

/// One content line into a property: `[group.]name *(";" param) ":" value`, the value decoded.
enum VCardLineParser {
    /// Parses a content line.
    ///
    /// - Parameter version: the card's version as read so far (RFC 6868 `^` escapes in parameter
    ///   values are decoded in 4.0 cards only).
    static func parse(_ line: VCardLine, version: VCardVersion?, limits: VCardLimits, record: Int) throws -> VCardProperty {
        let b = line.bytes
        var place = SourceLocation(line: line.line, record: record)
        func fail(_ code: SeqPortError.Code, _ message: String) -> SeqPortError { SeqPortError(code, message, at: place) }
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D
        }
        var i = 0
        func name() throws -> String {
            let s = i
            while i < b.count, isNameByte(b[i]) { i += 1 }
            guard i > s else {
                if i < b.count, b[i] == 0 || VCardText.isForbidden(UInt32(b[i])) {
                    throw fail(.vcardControlCharacter, "control character in a property or parameter name")
                }
                throw fail(.vcardSyntax, "expected a name (letters, digits, '-')")
            }
            guard i - s <= limits.maxNameBytes else { throw fail(.vcardTooLong, "name longer than \(limits.maxNameBytes) bytes") }
            return String(decoding: b[s..<i], as: UTF8.self)
        }
        var group: String?
        var propertyName = try name()
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            group = propertyName
            propertyName = try name()
        }
        propertyName = propertyName.uppercased()
        place.field = propertyName

        var parameters: [VCardParameter] = []
        while i < b.count, b[i] == UInt8(ascii: ";") {
            i += 1
            let paramName = try name().uppercased()
            guard i < b.count else { throw fail(.vcardSyntax, "line ends inside the parameters (no ':')") }
            if b[i] != UInt8(ascii: "=") {
                // vCard 2.1: a bare parameter (`TEL;WORK;VOICE:`, `;QUOTED-PRINTABLE`) is a TYPE or an ENCODING.
                let encodings: Set<String> = ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"]
                append(&parameters, encodings.contains(paramName) ? "ENCODING" : "TYPE", [paramName])
                continue
            }
            i += 1
            var values: [String] = []
            while true {
                var raw: ArraySlice<UInt8>
                if i < b.count, b[i] == UInt8(ascii: "\"") {
                    let s = i + 1
                    guard let close = b[s...].firstIndex(of: UInt8(ascii: "\"")) else {
                        throw fail(.vcardSyntax, "unterminated quoted parameter value")
                    }
                    raw = b[s..<close]
                    i = close + 1
                } else {
                    let s = i
                    while i < b.count, b[i] != UInt8(ascii: ";"), b[i] != UInt8(ascii: ":"), b[i] != UInt8(ascii: ",") {
                        if b[i] == UInt8(ascii: "\"") { throw fail(.vcardSyntax, "quote inside an unquoted parameter value") }
                        i += 1
                    }
                    raw = b[s..<i]
                }
                if raw.contains(where: { VCardText.isForbidden(UInt32($0)) }) {
                    throw fail(.vcardControlCharacter, "control character in a parameter value")
                }
                guard raw.count <= limits.maxValueBytes else { throw fail(.vcardTooLong, "parameter value longer than \(limits.maxValueBytes) bytes") }
                guard var value = String(validating: raw, as: UTF8.self) else {
                    throw fail(.vcardInvalidUTF8, "parameter value is not valid UTF-8")
                }
                if version == .v4_0 { value = caretDecoded(value) }
                values.append(value)
                guard i < b.count else { throw fail(.vcardSyntax, "line ends inside the parameters (no ':')") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                break
            }
            append(&parameters, paramName, values)
        }
        guard i < b.count, b[i] == UInt8(ascii: ":") else {
            throw fail(.vcardSyntax, i < b.count ? "unexpected character before ':'" : "line has no ':'")
        }
        var valueBytes = Array(b[(i + 1)...])

        // Transfer encodings: quoted-printable and CHARSET are undone and their parameters dropped.
        var charset = VCardCoding.Charset.utf8
        if let name = parameters.first(where: { $0.name == "CHARSET" })?.values.first {
            guard let c = VCardCoding.Charset(name) else { throw fail(.vcardCharset, "CHARSET is not UTF-8, ISO-8859-1, Windows-1252 or US-ASCII") }
            charset = c
            parameters.removeAll { $0.name == "CHARSET" }
        }
        var fromQuotedPrintable = false
        if let encoding = parameters.first(where: { $0.name == "ENCODING" })?.values.first?.uppercased() {
            switch encoding {
            case "QUOTED-PRINTABLE":
                guard let decoded = VCardCoding.decodeQuotedPrintable(valueBytes[...]) else {
                    throw fail(.vcardEncoding, "quoted-printable value does not decode")
                }
                valueBytes = decoded
                fromQuotedPrintable = true
                parameters.removeAll { $0.name == "ENCODING" }
            case "8BIT", "7BIT":
                parameters.removeAll { $0.name == "ENCODING" }
            case "B", "BASE64":
                valueBytes.removeAll { $0 == 0x20 || $0 == 0x09 }
                guard VCardCoding.decodedLength(ofBase64: valueBytes.count) - 3 <= limits.maxBinaryBytes else {
                    throw fail(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes")
                }
                guard VCardCoding.decodeBase64(valueBytes) != nil else { throw fail(.vcardEncoding, "value is not valid base64") }
            default:
                throw fail(.vcardEncoding, "ENCODING is not b, BASE64, QUOTED-PRINTABLE or 8BIT")
            }
        }
        guard var value = VCardCoding.decode(valueBytes, charset) else {
            throw fail(.vcardInvalidUTF8, charset == .utf8 ? "value is not valid UTF-8" : "value is not valid in its CHARSET")
        }
        if fromQuotedPrintable {
            // A decoded CR LF (or a lone CR) is a line break: the escaped form `\n`.
            value = value.replacingCRLF()
        }
        let isBinary = value.utf8.count >= 5 && value.prefix(5).lowercased() == "data:"
        if !isBinary, !parameters.contains(where: { $0.name == "ENCODING" }), value.utf8.count > limits.maxValueBytes {
            throw fail(.vcardTooLong, "value longer than \(limits.maxValueBytes) bytes")
        }
        if isBinary, VCardCoding.decodedLength(ofBase64: value.utf8.count) - 3 > limits.maxBinaryBytes {
            throw fail(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes")
        }
        if value.unicodeScalars.contains(where: { VCardText.isForbidden($0.value) }) {
            throw fail(.vcardControlCharacter, "control character in the value (vCard escapes only line feeds, as \\n)")
        }
        return VCardProperty(group: group, name: propertyName, parameters: parameters, value: value)
    }

    /// Adds values to the parameter called `name`, or a new parameter (3.0's `TYPE=a;TYPE=b` is one list).
    private static func append(_ parameters: inout [VCardParameter], _ name: String, _ values: [String]) {
        if let k = parameters.firstIndex(where: { $0.name == name }) {
            parameters[k].values += values
        } else {
            parameters.append(VCardParameter(name, values))
        }
    }

    /// RFC 6868: `^n` is a line feed, `^^` a caret, `^'` a double quote.
    static func caretDecoded(_ s: String) -> String {
        guard s.contains("^") else { return s }
        var out = ""
        var caret = false
        for c in s.unicodeScalars {
            if caret {
                switch c {
                case "n": out += "\n"
                case "^": out += "^"
                case "'": out += "\""
                default: out += "^"; out.unicodeScalars.append(c)
                }
                caret = false
            } else if c == "^" {
                caret = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        if caret { out += "^" }
        return out
    }
}

extension String {
    /// CR LF and lone CR replaced by the escaped line break `\n`; LF too.
    fileprivate func replacingCRLF() -> String {
        guard utf8.contains(0x0D) || utf8.contains(0x0A) else { return self }
        var out = ""
        var lastCR = false
        for s in unicodeScalars {
            if s == "\r" { out += "\\n"; lastCR = true; continue }
            if s == "\n" { if !lastCR { out += "\\n" }; lastCR = false; continue }
            lastCR = false
            out.unicodeScalars.append(s)
        }
        return out
    }
}
