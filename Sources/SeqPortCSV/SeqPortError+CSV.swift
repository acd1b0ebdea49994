import SeqPortModel

/// The error codes of the CSV reader (`Specs/csv.md`). All are input errors (exit status 4).
extension SeqPortError.Code {
    /// A byte sequence that is not UTF-8 (overlong forms, surrogates and truncated sequences included).
    public static let csvInvalidUTF8 = Self("csv.invalid-utf8", .input)
    /// A `"` inside a field that did not start with `"`.
    public static let csvBareQuote = Self("csv.bare-quote", .input)
    /// A byte after a closing quote that is not `,`, CR LF or LF.
    public static let csvQuoteGarbage = Self("csv.quote-garbage", .input)
    /// A quoted field still open at the end of the input.
    public static let csvUnterminatedQuote = Self("csv.unterminated-quote", .input)
    /// A carriage return outside quotes that is not followed by a line feed.
    public static let csvBareCR = Self("csv.bare-cr", .input)
    /// A row whose number of fields differs from the header's.
    public static let csvFieldCount = Self("csv.field-count", .input)
    /// A header with more columns than `ReaderLimits.maxFields`.
    public static let csvTooManyFields = Self("csv.too-many-fields", .input)
    /// An empty input, or a blank first line: there is no header row.
    public static let csvNoHeader = Self("csv.no-header", .input)
    /// A header cell that is empty, repeated, or longer than `ReaderLimits.maxNameBytes`.
    public static let csvHeader = Self("csv.header", .input)
    /// A header whose names are not exactly the layout's field names (a column unknown or missing).
    public static let csvHeaderMismatch = Self("csv.header-mismatch", .input)
}
