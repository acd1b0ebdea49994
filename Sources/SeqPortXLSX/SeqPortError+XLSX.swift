import SeqPortModel

/// The XLSX module's error codes (`Specs/xlsx.md`). Hostile workbooks are refused with class `.archive`
/// like hostile bundles; malformed or mismatching content is `.input`.
extension SeqPortError.Code {
    /// A part is not well-formed XML, or not the SpreadsheetML the reader expects.
    public static let xlsxSyntax = Self("xlsx.syntax", .input)
    /// A required part (`xl/workbook.xml`, a sheet's part) is missing, or a relationship points nowhere.
    public static let xlsxMissingPart = Self("xlsx.missing-part", .input)
    /// The sheet asked for is not in the workbook.
    public static let xlsxNoSuchSheet = Self("xlsx.no-such-sheet", .input)
    /// A header row whose names are not exactly the layout's field names, or that is empty or repeated.
    public static let xlsxHeaderMismatch = Self("xlsx.header-mismatch", .input)
    /// A formula in a cell: never evaluated, refused with its cell reference.
    public static let xlsxFormula = Self("xlsx.formula", .input)
    /// A cell the reader cannot take: an error value (`t="e"`), a rich value, a cell beyond the header's
    /// columns, a bad shared-string index, a number that is not one.
    public static let xlsxCell = Self("xlsx.cell", .input)
    /// A document type declaration or an entity reference in any part.
    public static let xlsxDTD = Self("xlsx.dtd", .archive)
    /// A row or column index beyond Excel's grid, rows out of order, or more cells than the limits allow.
    public static let xlsxDimension = Self("xlsx.dimension", .archive)
    /// More shared strings, or more shared-string bytes, than `XLSXReader.Limits` allows.
    public static let xlsxSharedStrings = Self("xlsx.shared-strings", .archive)
    /// A relationship to an external target, or an `externalLinks/` part.
    public static let xlsxExternal = Self("xlsx.external", .archive)
    /// The writer was used out of order (a second open sheet, a record after finish).
    public static let xlsxWriterState = Self("xlsx.writer-state", .internal)
}
