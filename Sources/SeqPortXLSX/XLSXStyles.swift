/// Which cell styles show a date (`Specs/xlsx.md`, "Dates typed by a program"): a cell's `s` indexes
/// `cellXfs`, whose `numFmtId` is a built-in date or time format or a custom `numFmt` whose code has
/// date or time letters outside quotes, brackets and escapes.
enum XLSXStyles {
    /// Built-in number formats that are dates or times (ECMA-376 §18.8.30 and the East Asian ones).
    static let builtInDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    static func dateStyles(_ xml: XLSXXMLStream) throws -> [Bool] {
        var customDates: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        while try xml.read() {
            if xml.isStart("numFmt") {
                if let id = xml.attribute("numFmtId").flatMap(Int.init), let code = xml.attribute("formatCode") {
                    customDates[id] = isDateFormat(code)
                }
            } else if xml.isStart("cellXfs") {
                inCellXfs = !xml.isEmptyElement
            } else if xml.isEnd("cellXfs") {
                inCellXfs = false
            } else if inCellXfs, xml.isStart("xf") {
                guard styles.count < 1 << 16 else { throw xml.fail(.xlsxDimension, "more than 65,536 cell styles") }
                let id = xml.attribute("numFmtId").flatMap(Int.init) ?? 0
                styles.append(customDates[id] ?? builtInDates.contains(id))
            }
        }
        return styles
    }

    /// Whether a format code shows a date or a time.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false, inBracket = false, escaped = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if c == "\"" { inQuote = false }; continue }
            if inBracket {
                if c == "]" { inBracket = false }
                continue
            }
            switch c {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            case ";": return false   // only the first section decides
            case "d", "m", "y", "h", "s": return true
            default: break
            }
        }
        return false
    }
}
