/// Where in the input a problem is: bundle entry, line, column, record and field.
///
/// Numbering: `line` and `column` start at 1 (column counts bytes); `record` starts at 1 for the first
/// data record (a CSV header is not a record). Any part may be unknown.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file or archive entry, e.g. `csv/contact.csv`.
    public var entry: String?
    public var line: Int?
    public var column: Int?
    public var record: Int?
    public var field: String?

    public init(entry: String? = nil, line: Int? = nil, column: Int? = nil, record: Int? = nil, field: String? = nil) {
        self.entry = entry
        self.line = line
        self.column = column
        self.record = record
        self.field = field
    }

    /// `csv/contact.csv line 4, record 3, field "email"` — the parts that are known. Control
    /// characters in the entry or field name are escaped (`\n`, `\u{7}`), so the text stays one line.
    public var description: String {
        var head: [String] = []
        if let entry { head.append(Self.printable(entry)) }
        if let line {
            head.append(column.map { "line \(line) column \($0)" } ?? "line \(line)")
        }
        var parts: [String] = head.isEmpty ? [] : [head.joined(separator: " ")]
        if let record { parts.append("record \(record)") }
        if let field { parts.append("field \"\(Self.printable(field))\"") }
        return parts.joined(separator: ", ")
    }

    /// A name with its control, line-breaking and bidi characters escaped (names come from the input).
    static func printable(_ name: String) -> String { TerminalText.escape(name) }

    /// A copy with the entry set when it was not known (readers do not know their entry's name).
    public func within(entry: String) -> SourceLocation {
        var copy = self
        if copy.entry == nil { copy.entry = entry }
        return copy
    }
}
