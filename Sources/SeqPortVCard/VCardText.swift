/// vCard value escaping (RFC 6350 §3.4, RFC 2426 §5): `\\` `\,` `\;` and `\n` for a line feed.
public enum VCardText {
    /// `text` escaped for a vCard text value: `\` `,` `;` and LF get a backslash (LF becomes `\n`).
    /// With `separators: false` only `\` and LF: a value whose `,` and `;` separate nothing (a single
    /// text property, a URI such as `data:…;base64,…`) keeps them as they are. Other control characters
    /// are left for the writer to refuse (`vcard.unrepresentable`).
    public static func escape(_ text: String, separators: Bool = true) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || (separators && ($0 == 0x2C || $0 == 0x3B)) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for s in text.unicodeScalars {
            switch s {
            case "\\": out += "\\\\"
            case "," where separators: out += "\\,"
            case ";" where separators: out += "\\;"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// An escaped value back to its text: `\n` and `\N` are a line feed, `\\` `\,` `\;` the character.
    /// A backslash before any other character (or at the end) is kept as it is, with that character.
    public static func unescape(_ value: String) -> String {
        guard value.utf8.contains(0x5C) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count)
        var escaped = false
        for s in value.unicodeScalars {
            if escaped {
                switch s {
                case "n", "N": out += "\n"
                case "\\", ",", ";": out.unicodeScalars.append(s)
                default: out += "\\"; out.unicodeScalars.append(s)
                }
                escaped = false
            } else if s == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(s)
            }
        }
        if escaped { out += "\\" }
        return out
    }

    /// `value` split at each `separator` not preceded by an escaping backslash; the parts stay escaped.
    public static func split(_ value: String, at separator: Unicode.Scalar) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for s in value.unicodeScalars {
            if escaped {
                current.unicodeScalars.append(s)
                escaped = false
            } else if s == "\\" {
                current.unicodeScalars.append(s)
                escaped = true
            } else if s == separator {
                parts.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(s)
            }
        }
        parts.append(current)
        return parts
    }

    /// Whether a scalar cannot appear in a vCard line as it is: C0 controls other than tab, and DEL.
    @inline(__always)
    static func isForbidden(_ v: UInt32) -> Bool { (v < 0x20 && v != 0x09) || v == 0x7F }
}
