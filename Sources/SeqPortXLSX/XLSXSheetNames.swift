/// Sheet names as Excel accepts them (`Specs/xlsx.md`, "Sheets"): at most 31 characters (UTF-16 code
/// units), none of `[ ] : * ? / \` or a control character (each becomes `_`), not starting or ending
/// with `'`, not `History`, unique without regard to case.
struct XLSXSheetNames {
    static let maxLength = 31
    private var used: Set<String> = []

    /// `title` made valid, shortened to fit `suffix` (e.g. ` (2)`), and unique among the names given so far.
    mutating func claim(_ title: String, suffix: String = "") -> String {
        var base = Self.clean(title)
        var n = 1
        while true {
            let tail = n == 1 ? suffix : suffix + " ~\(n)"
            let name = Self.truncate(base, to: Self.maxLength - tail.utf16.count) + tail
            if used.insert(name.lowercased()).inserted { return name }
            n += 1
            if n > 1_000_000 { base = "sheet"; n = 1 }
        }
    }

    static func clean(_ title: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in title.unicodeScalars {
            let bad = "[]:*?/\\".unicodeScalars.contains(s) || s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0)
                || s.value == 0xFFFE || s.value == 0xFFFF
            scalars.append(bad ? "_" : s)
        }
        var name = String(scalars)
        if name.hasPrefix("'") { name = "_" + name.dropFirst() }
        if name.hasSuffix("'") { name = name.dropLast() + "_" }
        if name.isEmpty { name = "sheet" }
        if name.lowercased() == "history" { name += "_" }
        return name
    }

    /// The longest prefix of whole characters within `units` UTF-16 code units, without a trailing `'`.
    static func truncate(_ s: String, to units: Int) -> String {
        guard s.utf16.count > units else { return s }
        var out = ""
        var count = 0
        for c in s {
            let n = String(c).utf16.count
            if count + n > units { break }
            out.append(c)
            count += n
        }
        while out.hasSuffix("'") || out.hasSuffix(" ") { out.removeLast() }
        return out.isEmpty ? "sheet" : out
    }
}
