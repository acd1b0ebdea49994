import SeqPortModel

/// jCard (RFC 7095): vCard 4.0 as JSON, `["vcard", [[name, {params}, type, value…], …]]`.
///
/// Written from the same `VCard` model (converted to 4.0 first: `PREF`, `data:` photos); read into
/// it. Structured properties (`N`, `ADR`, `ORG`, `GENDER`) are arrays of components, a component
/// with several values an array; `CATEGORIES` and `NICKNAME` have one JSON value per list item;
/// every other value is one string. A `VALUE` parameter becomes the type; a group the `group`
/// parameter. Values stay text (no number or date reformatting).
public enum JCard {
    /// The value type RFC 6350 gives a property when it has no `VALUE` parameter.
    public static func defaultType(_ name: String) -> String {
        switch name.uppercased() {
        case "PHOTO", "LOGO", "SOUND", "URL", "SOURCE", "KEY", "MEMBER", "FBURL", "CALADRURI", "CALURI", "IMPP", "GEO", "RELATED":
            return "uri"
        case "REV": return "timestamp"
        case "BDAY", "ANNIVERSARY", "DEATHDATE": return "date-and-time"
        case "LANG": return "language-tag"
        default: return "text"
        }
    }

    static let listNames: Set<String> = ["CATEGORIES", "NICKNAME"]

    /// The JSON of one card (`["vcard", […]]`).
    public static func encode(_ card: VCard) throws -> [UInt8] {
        var out: [UInt8] = []
        try append(card, to: &out)
        return out
    }

    static func append(_ card: VCard, to out: inout [UInt8]) throws {
        var json = "[\"vcard\",[[\"version\",{},\"text\",\"4.0\"]"
        for original in card.properties {
            let p = try VCardWriter.converted(original, to: .v4_0)
            _ = try VCardWriter.contentLine(p, version: .v4_0)   // the same checks as the vCard writer
            json += ",[" + string(p.name.lowercased()) + ",{"
            var members: [String] = []
            if let group = p.group { members.append(string("group") + ":" + string(group)) }
            if p.parameter("GROUP") != nil {
                throw SeqPortError(.vcardUnrepresentable, "a parameter named GROUP: jCard uses that name for the group", at: SourceLocation(field: p.name))
            }
            for parameter in p.parameters where parameter.name != "VALUE" {
                let values = parameter.values.map(string)
                members.append(string(parameter.name.lowercased()) + ":" + (values.count == 1 ? values[0] : "[" + values.joined(separator: ",") + "]"))
            }
            json += members.joined(separator: ",") + "},"
            json += string(p.parameter("VALUE")?.first?.lowercased() ?? defaultType(p.name)) + ","
            if VCardTable.components[p.name] != nil {
                json += "[" + p.components.map { $0.count == 1 ? string($0[0]) : "[" + $0.map(string).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
            } else if listNames.contains(p.name) {
                json += VCardText.split(p.value, at: ",").map { string(VCardText.unescape($0)) }.joined(separator: ",")
            } else {
                json += string(p.text)
            }
            json += "]"
        }
        json += "]]"
        out.append(contentsOf: json.utf8)
    }

    /// A JSON string literal: `"` `\` and control characters escaped, everything else as UTF-8.
    static func string(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
