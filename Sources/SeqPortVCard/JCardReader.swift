import SeqPortJSON
import SeqPortModel

/// Reads jCards one at a time from a single jCard (`["vcard",[…]]`) or an array of them, streaming
/// on `JSONTokenizer` (strict RFC 8259, positions in errors). The same limits as the vCard reader.
public struct JCardReader {
    private var tokens: JSONTokenizer
    private let limits: VCardLimits
    private enum Mode { case start, many, done }
    private var mode = Mode.start
    private var record = 0

    public init(source: any ByteSource, limits: VCardLimits = .default) {
        var json = ReaderLimits.default
        json.maxValueBytes = limits.maxLineBytes
        json.maxNameBytes = limits.maxNameBytes
        self.tokens = JSONTokenizer(source: source, limits: json)
        self.limits = limits
    }

    private func fail(_ message: String, field: String? = nil) -> SeqPortError {
        var place = tokens.location
        place.record = record == 0 ? nil : record
        place.field = field
        return SeqPortError(.jcardSyntax, message, at: place)
    }

    private mutating func take() throws -> JSONToken {
        guard let t = try tokens.next() else { throw fail("unexpected end of the document") }
        return t
    }

    /// The next card, or nil at the end.
    ///
    /// - Throws: `jcard.syntax`, the `json.*` errors of the tokenizer, and the vCard reader's
    ///   `vcard.too-long`, `vcard.too-many-properties`, `vcard.control-character`, `vcard.version`.
    public mutating func next() throws -> VCard? {
        switch mode {
        case .done:
            return nil
        case .start:
            guard try take() == .beginArray else { throw fail("a jCard document is an array") }
            switch try take() {
            case .string("vcard"):
                mode = .done
                record = 1
                let card = try body()
                guard try take() == .endArray else { throw fail("a jCard has two members, \"vcard\" and its properties") }
                guard try tokens.next() == nil else { throw fail("content after the jCard") }
                return card
            case .beginArray:
                mode = .many
                return try card()
            case .endArray:
                mode = .done
                guard try tokens.next() == nil else { throw fail("content after the jCards") }
                return nil
            default:
                throw fail("expected \"vcard\" or an array of jCards")
            }
        case .many:
            switch try take() {
            case .beginArray: return try card()
            case .endArray:
                mode = .done
                guard try tokens.next() == nil else { throw fail("content after the jCards") }
                return nil
            default: throw fail("expected a jCard")
            }
        }
    }

    /// A jCard after its opening `[`.
    private mutating func card() throws -> VCard {
        record += 1
        guard try take() == .string("vcard") else { throw fail("a jCard starts with \"vcard\"") }
        let card = try body()
        guard try take() == .endArray else { throw fail("a jCard has two members, \"vcard\" and its properties") }
        return card
    }

    /// The properties array.
    private mutating func body() throws -> VCard {
        guard try take() == .beginArray else { throw fail("the properties of a jCard are an array") }
        var version: VCardVersion?
        var properties: [VCardProperty] = []
        while true {
            switch try take() {
            case .endArray:
                guard let version else { throw SeqPortError(.vcardVersion, "jCard has no version property", at: SourceLocation(record: record)) }
                return VCard(version: version, properties: properties)
            case .beginArray:
                let p = try property()
                if p.name == "VERSION" {
                    guard version == nil, p.value == "4.0" else {
                        throw SeqPortError(.vcardVersion, "a jCard's version is 4.0, once", at: SourceLocation(record: record, field: "VERSION"))
                    }
                    version = .v4_0
                    continue
                }
                guard properties.count < limits.maxProperties else {
                    throw SeqPortError(.vcardTooManyProperties, "card has more than \(limits.maxProperties) properties", at: SourceLocation(record: record))
                }
                properties.append(p)
            default:
                throw fail("a property is an array")
            }
        }
    }

    private func scalar(_ t: JSONToken) -> String? {
        switch t {
        case .string(let s), .number(let s): return s
        case .true: return "true"
        case .false: return "false"
        default: return nil
        }
    }

    /// One property after its opening `[`.
    private mutating func property() throws -> VCardProperty {
        guard case .string(let rawName) = try take(), !rawName.isEmpty else { throw fail("a property starts with its name") }
        let name = rawName.uppercased()
        guard try take() == .beginObject else { throw fail("the second member of a property is its parameters object", field: name) }
        var group: String?
        var parameters: [VCardParameter] = []
        while true {
            let t = try take()
            if t == .endObject { break }
            guard case .key(let key) = t else { throw fail("expected a parameter name", field: name) }
            let pname = key.uppercased()
            guard pname != "GROUP" || group == nil, !parameters.contains(where: { $0.name == pname }) else {
                throw fail("parameter given twice", field: name)
            }
            var values: [String] = []
            let v = try take()
            if v == .beginArray {
                while true {
                    let e = try take()
                    if e == .endArray { break }
                    guard let s = scalar(e) else { throw fail("a parameter value is a string", field: name) }
                    values.append(s)
                }
            } else {
                guard let s = scalar(v) else { throw fail("a parameter value is a string", field: name) }
                values = [s]
            }
            if pname == "GROUP" {
                guard values.count == 1 else { throw fail("group is one string", field: name) }
                group = values[0]
            } else {
                parameters.append(VCardParameter(pname, values))
            }
        }
        guard case .string(let type) = try take() else { throw fail("the third member of a property is its type", field: name) }
        let lowerType = type.lowercased()
        if lowerType != JCard.defaultType(name), lowerType != "unknown" { parameters.append(VCardParameter("VALUE", lowerType)) }
        let isText = lowerType == "text" || lowerType == "unknown" && JCard.defaultType(name) == "text"
        var parts: [String] = []
        var structured: [[String]]?
        while true {
            let t = try take()
            if t == .endArray { break }
            if t == .beginArray {
                guard structured == nil, parts.isEmpty else { throw fail("a structured value must be the only value", field: name) }
                var comps: [[String]] = []
                while true {
                    let c = try take()
                    if c == .endArray { break }
                    if c == .beginArray {
                        var list: [String] = []
                        while true {
                            let e = try take()
                            if e == .endArray { break }
                            guard let s = scalar(e) else { throw fail("a component value is a string", field: name) }
                            list.append(s)
                        }
                        comps.append(list)
                    } else {
                        guard let s = scalar(c) else { throw fail("a component is a string or an array", field: name) }
                        comps.append([s])
                    }
                }
                structured = comps
                continue
            }
            guard structured == nil else { throw fail("a structured value must be the only value", field: name) }
            guard let s = scalar(t) else { throw fail("a value is a string, number or boolean", field: name) }
            parts.append(s)
        }
        var value: String
        if let structured {
            value = VCardProperty.structured(name, structured).value
        } else if parts.isEmpty {
            throw fail("a property has at least one value", field: name)
        } else if parts.count > 1 || JCard.listNames.contains(name) || isText {
            value = parts.map { VCardText.escape($0) }.joined(separator: ",")
        } else {
            value = VCardText.escape(parts[0], separators: false)
        }
        let place = SourceLocation(record: record, field: name)
        if value.unicodeScalars.contains(where: { VCardText.isForbidden($0.value) }) {
            throw SeqPortError(.vcardControlCharacter, "control character in the value (vCard escapes only line feeds)", at: place)
        }
        let isBinary = value.utf8.count >= 5 && value.prefix(5).lowercased() == "data:"
        if isBinary {
            if VCardCoding.decodedLength(ofBase64: value.utf8.count) - 3 > limits.maxBinaryBytes {
                throw SeqPortError(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes", at: place)
            }
        } else if value.utf8.count > limits.maxValueBytes {
            throw SeqPortError(.vcardTooLong, "value longer than \(limits.maxValueBytes) bytes", at: place)
        }
        return VCardProperty(group: group, name: name, parameters: parameters, value: value)
    }
}
