/// Text from the input made safe to print on a terminal: the one escaping routine every printer uses
/// (the import plan, refusals, verify reports, error lines, batch reports).
///
/// Keys, subject ids, file names and values come from bundles that anybody can craft. Printed raw, an
/// ESC starts a terminal control sequence, a CR or LF paints a fake line of the plan, and a bidi override
/// (U+202E) shows text in another order than it is stored. So every C0 and C1 control, DEL, the line and
/// paragraph separators and every bidirectional formatting character is written as a visible escape
/// (`\n`, `\r`, `\t`, `\u{1b}`, `\u{202e}`); everything else is printed as it is.
public enum TerminalText {
    /// Whether a scalar must not reach a terminal as it is.
    @inlinable
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        switch v {
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `text` with every unsafe scalar escaped; unchanged (and not copied) when it holds none.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for s in text.unicodeScalars { append(s, to: &out) }
        return out
    }

    /// A value in double quotes for a terminal: `"` and `\` escaped too, so the quoted text is unambiguous;
    /// NULL as `null`. Values longer than `limit` characters are shortened, saying how much was left out
    /// (the full value stays in `--json`).
    public static func quoted(_ value: String?, limit: Int? = nil) -> String {
        guard let value else { return "null" }
        var out = "\""
        var count = 0
        var total = 0
        for s in value.unicodeScalars {
            total += 1
            if let limit, count >= limit { continue }
            count += 1
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: append(s, to: &out)
            }
        }
        out += "\""
        if total > count { out += "…(\(total - count) more characters)" }
        return out
    }

    private static func append(_ s: Unicode.Scalar, to out: inout String) {
        switch s {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where isUnsafe(s): out += "\\u{\(String(s.value, radix: 16))}"
        default: out.unicodeScalars.append(s)
        }
    }
}
