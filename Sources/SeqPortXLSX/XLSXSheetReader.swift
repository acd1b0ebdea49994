import SeqPortModel

/// Reads one worksheet as records, one row at a time (`Specs/xlsx.md`, "Reading"); get one from
/// `XLSXReader.sheet(named:layout:)`.
///
/// The first non-empty row is the header: with a layout, its names must be exactly the layout's field
/// names (any order); without one they make an untyped layout. Each later non-empty row is a record.
/// A formula anywhere is refused with its cell reference, never evaluated. Errors name the cell as
/// their entry (`contact!C2`), the record (from 1) and the field, never a value.
///
/// A bad cell in a data row (a formula, an error value, a cell it cannot read, a value its field does
/// not take) makes that row an error naming the cell; the rest of the row is still read for its
/// structure, `canContinueAfterError` is true, and the next `next()` reads the row after it
/// (`--max-errors`). Anything else (the header row, the sheet's XML, its grid, the limits) stops the reader.
public struct XLSXSheetReader: ResumableRecordReader {
    /// A cell as read, before its field says what it means.
    enum Cell {
        case text(String)
        case number(String, date: Bool)
        case boolean(Bool)
        /// `t="d"`: an ISO 8601 date or time as text.
        case isoDate(String)
    }

    public private(set) var layout: RecordLayout
    /// The sheet's name, as errors show it.
    public let sheet: String
    private let expected: RecordLayout?
    private let xml: XLSXXMLStream
    private let sharedStrings: XLSXSharedStrings
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let limits: ReaderLimits
    private let maxRecordBytes: Int
    /// Bytes of the current row's values so far.
    private var rowBytes = 0

    /// Column → field index, once the header is read.
    private var columnField: [Int: Int] = [:]
    private var headerRead = false
    private var inSheetData = false
    private var done = false
    private var failure: Error?
    /// True when the last `next()` threw an error about one row, and the next call reads the row after it.
    public private(set) var canContinueAfterError = false
    /// The first error about the row being read, thrown when the row ends.
    private var rowError: SeqPortError?
    private var recordNumber = 0
    /// The record the current row would be (from 1), once the header is read.
    private var currentRecord: Int?
    private var lastRow = 0
    // The row being read.
    private var row = 0
    private var lastColumn = -1
    private var cells: [(column: Int, cell: Cell)] = []
    // The cell being read.
    private var column = 0
    private var type = ""
    private var style = 0
    private var hasFormula = false
    /// The formula's text, kept only while it is short (a constant `TRUE()` or `FALSE()`).
    private var formula: [UInt8] = []
    private var inFormula = false
    private var inValue = false
    private var inInline = false
    private var value: [UInt8] = []
    private var inlineText = XLSXRichText()

    init(stream: XLSXXMLStream, sheet: String, layout: RecordLayout?, sharedStrings: XLSXSharedStrings,
         dateStyles: [Bool], date1904: Bool, limits: ReaderLimits, maxRecordBytes: Int) throws {
        xml = stream
        self.sheet = sheet
        expected = layout
        self.layout = layout ?? RecordLayout(name: sheet, fields: [], isTyped: false)
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.limits = limits
        self.maxRecordBytes = maxRecordBytes
    }

    /// The next record, or `nil` after the sheet's last row. After an error every call throws it again.
    public mutating func next() throws -> Record? {
        if let failure { throw failure }
        if done { return nil }
        canContinueAfterError = false
        do {
            while try xml.read() {
                if let record = try handleNode() { return record }
            }
            guard headerRead || expected == nil else {
                throw SeqPortError(.xlsxHeaderMismatch, "the sheet has no header row", at: SourceLocation(entry: sheetEntry))
            }
            done = true
            return nil
        } catch {
            if canContinueAfterError { throw error }
            failure = error
            throw error
        }
    }

    /// The errors about one cell or row of data, after which the next row can be read. Not the limits
    /// (`value.too-long`, `xlsx.dimension`), the header or the sheet's XML: they stop.
    static let recordLevel: Set<SeqPortError.Code> = [
        .xlsxFormula, .xlsxCell, .valueType, .valueRange, .valueFormat, .valueEnum, .valueNull,
    ]

    // MARK: - Nodes

    private mutating func handleNode() throws -> Record? {
        if !inSheetData {
            if xml.isStart("sheetData") { inSheetData = !xml.isEmptyElement }
            return nil
        }
        if inInline {
            if xml.isEnd("is") { inInline = false } else { try inlineText.take(xml, maxBytes: limits.maxValueBytes) }
            return nil
        }
        if xml.nodeType == XLSXXMLStream.element {
            if xml.localNameIs("row") {
                try startRow()
                if xml.isEmptyElement { return try endRow() }
            } else if xml.localNameIs("c") {
                try startCell()
                if xml.isEmptyElement { try endCell() }
            } else if xml.localNameIs("f") {
                hasFormula = true
                inFormula = !xml.isEmptyElement
            } else if xml.localNameIs("v") {
                inValue = !xml.isEmptyElement
            } else if xml.localNameIs("is") {
                inInline = !xml.isEmptyElement
                inlineText.reset()
                if !inInline { type = "inlineStr" }
            }
        } else if xml.nodeType == XLSXXMLStream.endElement {
            if xml.localNameIs("f") {
                inFormula = false
            } else if xml.localNameIs("v") {
                inValue = false
            } else if xml.localNameIs("c") {
                try endCell()
            } else if xml.localNameIs("row") {
                return try endRow()
            } else if xml.localNameIs("sheetData") {
                inSheetData = false
            }
        } else if inFormula, xml.isText {
            if formula.count < 16 { xml.appendValue(to: &formula) }
        } else if inValue, xml.isText {
            xml.appendValue(to: &value)
            guard value.count <= limits.maxValueBytes else {
                throw SeqPortError(.valueTooLong, "longer than \(limits.maxValueBytes) bytes", at: cellLocation(column))
            }
        }
        return nil
    }

    private mutating func startRow() throws {
        if let r = xml.attribute("r") {
            guard let n = Int(r), n >= 1 else { throw xml.fail(.xlsxSyntax, "a row number that is not a number") }
            guard n <= XLSXLimits.maxRows else { throw xml.fail(.xlsxDimension, "row \(n) is beyond the last row") }
            guard n > lastRow else { throw xml.fail(.xlsxDimension, "row \(n) comes after row \(lastRow)") }
            row = n
        } else {
            row = lastRow + 1
            guard row <= XLSXLimits.maxRows else { throw xml.fail(.xlsxDimension, "more rows than a sheet can hold") }
        }
        lastRow = row
        currentRecord = headerRead ? recordNumber + 1 : nil
        lastColumn = -1
        rowBytes = 0
        rowError = nil
        cells.removeAll(keepingCapacity: true)
    }

    private mutating func startCell() throws {
        if let r = xml.attribute("r") {
            guard let (c, n) = Self.parseReference(r) else {
                throw xml.fail(.xlsxDimension, "a cell reference that is not one, or beyond the grid")
            }
            guard n == row else { throw xml.fail(.xlsxDimension, "a cell outside its row") }
            column = c
        } else {
            column = lastColumn + 1
        }
        guard column < XLSXLimits.maxColumns else { throw xml.fail(.xlsxDimension, "a cell beyond the last column") }
        guard column > lastColumn else { throw SeqPortError(.xlsxDimension, "cells out of order", at: cellLocation(column)) }
        lastColumn = column
        type = xml.attribute("t") ?? "n"
        style = xml.attribute("s").flatMap(Int.init) ?? 0
        hasFormula = false
        inFormula = false
        formula.removeAll(keepingCapacity: true)
        inValue = false
        value.removeAll(keepingCapacity: true)
        inlineText.reset()
    }

    private mutating func endCell() throws {
        guard headerRead else { return try readCell() }
        do {
            try readCell()
        } catch let error as SeqPortError where Self.recordLevel.contains(error.code) {
            // A bad cell in a data row: the row is an error, reported when it ends; its other cells are
            // still read for their structure.
            if rowError == nil { rowError = error }
        }
    }

    /// Reads the cell just closed into `cells`.
    private mutating func readCell() throws {
        if hasFormula {
            // LibreOffice saves a boolean as the constant formula TRUE() or FALSE() with its value: that
            // one needs no evaluation and is read as the boolean. Every other formula is refused.
            let text = String(decoding: formula, as: UTF8.self).trimmingSpaces.uppercased()
            let constant = type == "b" && (text == "TRUE()" || text == "FALSE()")
                && String(decoding: value, as: UTF8.self).trimmingSpaces == (text == "TRUE()" ? "1" : "0")
            guard constant else {
                throw SeqPortError(.xlsxFormula, "formulas are refused, never evaluated", at: cellLocation(column))
            }
        }
        let cell: Cell?
        switch type {
        case "inlineStr":
            cell = .text(XLSXText.decode(inlineText.bytes))
            inlineText.reset()
        case "s":
            guard !value.isEmpty else { cell = nil; break }
            guard let index = Int(String(decoding: value, as: UTF8.self)), let s = sharedStrings[index] else {
                throw SeqPortError(.xlsxCell, "a shared-string index that names no string", at: cellLocation(column))
            }
            cell = .text(s)
        case "str":
            cell = value.isEmpty ? nil : .text(XLSXText.decode(value))
        case "b":
            guard !value.isEmpty else { cell = nil; break }
            let v = String(decoding: value, as: UTF8.self).trimmingSpaces
            guard v == "1" || v == "0" || v.lowercased() == "true" || v.lowercased() == "false" else {
                throw SeqPortError(.xlsxCell, "a boolean cell that is neither 1 nor 0", at: cellLocation(column))
            }
            cell = .boolean(v == "1" || v.lowercased() == "true")
        case "n":
            guard !value.isEmpty else { cell = nil; break }
            cell = .number(String(decoding: value, as: UTF8.self).trimmingSpaces,
                           date: style >= 0 && style < dateStyles.count && dateStyles[style])
        case "d":
            cell = value.isEmpty ? nil : .isoDate(String(decoding: value, as: UTF8.self).trimmingSpaces)
        case "e":
            throw SeqPortError(.xlsxCell, "an error value (such as #N/A) is refused", at: cellLocation(column))
        default:
            throw SeqPortError(.xlsxCell, "a cell of an unknown type", at: cellLocation(column))
        }
        guard let cell else { return }
        if case .text(let s) = cell {
            let n = s.utf8.count
            guard n <= limits.maxValueBytes else {
                throw SeqPortError(.valueTooLong, "longer than \(limits.maxValueBytes) bytes", at: cellLocation(column))
            }
            rowBytes += n
            guard rowBytes <= maxRecordBytes else {
                throw SeqPortError(.xlsxDimension, "a row longer than \(maxRecordBytes) bytes", at: cellLocation(column))
            }
        }
        if headerRead, columnField[column] == nil {
            throw SeqPortError(.xlsxCell, "a value in a column without a header", at: cellLocation(column))
        }
        guard cells.count < limits.maxFields else {
            throw SeqPortError(.xlsxDimension, "more than \(limits.maxFields) cells in a row", at: cellLocation(column))
        }
        cells.append((column, cell))
    }

    private mutating func endRow() throws -> Record? {
        if let error = rowError {
            rowError = nil
            recordNumber += 1
            canContinueAfterError = true
            throw error
        }
        guard !cells.isEmpty else { return nil }   // empty rows are ignored
        guard headerRead else {
            try readHeader()
            return nil
        }
        recordNumber += 1
        do {
            return try record()
        } catch let error as SeqPortError where Self.recordLevel.contains(error.code) {
            canContinueAfterError = true
            throw error
        }
    }

    /// The record of the data row just read.
    private func record() throws -> Record {
        var values = [Value](repeating: .null, count: layout.fields.count)
        var present = [Bool](repeating: false, count: layout.fields.count)
        for (column, cell) in cells {
            guard let index = columnField[column] else { continue }
            present[index] = true
            values[index] = .text(try text(of: cell, for: layout.fields[index], column: column))
        }
        guard layout.isTyped else { return Record(values) }
        for index in 0..<values.count {
            let field = layout.fields[index]
            if !present[index], !field.nullable, field.type == .string {
                values[index] = .text("")   // programs drop empty text cells; NULL is not allowed here
            }
            do {
                values[index] = try field.canonicalize(values[index], limits: limits)
            } catch var error as SeqPortError {
                let column = columnField.first(where: { $0.value == index })?.key ?? 0
                error.location = cellLocation(column, field: field.name)
                throw error
            }
        }
        return Record(values)
    }

    private mutating func readHeader() throws {
        var names: [Int: String] = [:]
        var seen: Set<String> = []
        for (column, cell) in cells {
            let name: String
            switch cell {
            case .text(let s), .isoDate(let s): name = s
            case .number(let s, _): name = s
            case .boolean(let b): name = b ? "TRUE" : "FALSE"
            }
            guard !name.isEmpty else { continue }
            guard name.utf8.count <= limits.maxNameBytes else {
                throw SeqPortError(.xlsxHeaderMismatch, "a column name longer than \(limits.maxNameBytes) bytes", at: cellLocation(column))
            }
            guard seen.insert(name).inserted else {
                throw SeqPortError(.xlsxHeaderMismatch, "a column name repeated", at: cellLocation(column))
            }
            names[column] = name
        }
        guard !names.isEmpty else { return }
        if let expected {
            for (column, name) in names {
                guard let index = expected.index(of: name) else {
                    throw SeqPortError(.xlsxHeaderMismatch, "column is not a field of \(expected.isTyped ? "the schema" : "the layout")",
                                       at: cellLocation(column))
                }
                columnField[column] = index
            }
            if let missing = expected.fields.first(where: { !seen.contains($0.name) }) {
                throw SeqPortError(.xlsxHeaderMismatch, "header has no column for this field",
                                   at: SourceLocation(entry: sheetEntry + "!" + String(row), field: missing.name))
            }
        } else {
            let ordered = names.sorted { $0.key < $1.key }
            layout = RecordLayout(name: sheet, fields: ordered.map { Field.untyped($0.value) }, isTyped: false)
            for (index, entry) in ordered.enumerated() { columnField[entry.key] = index }
        }
        headerRead = true
    }

    // MARK: - Values

    /// The text of `cell` for `field` (before the field's check).
    private func text(of cell: Cell, for field: Field, column: Int) throws -> String {
        let type = layout.isTyped ? field.type : .string
        switch cell {
        case .text(let s):
            if case .boolean = type {
                let lower = s.lowercased()
                if lower == "true" || lower == "false" { return lower }
            }
            return s
        case .boolean(let b):
            return b ? "true" : "false"
        case .isoDate(let s):
            if case .date = type, s.utf8.count > 10, s.hasSuffix("T00:00:00") || s.hasSuffix("T00:00:00Z") || s.hasSuffix("T00:00:00.000") {
                return String(s.prefix(10))
            }
            return s
        case .number(let v, let isDate):
            if isDate, let serial = Double(v) {
                guard let text = XLSXDate.text(serial: serial, date1904: date1904, for: type) else {
                    throw SeqPortError(.valueType, "a date cell that names no day", at: cellLocation(column, field: field.name))
                }
                return text
            }
            guard let text = XLSXNumber.text(ofNumber: v, for: type) else {
                if Double(v) == nil {
                    throw SeqPortError(.xlsxCell, "a numeric cell that holds no number", at: cellLocation(column, field: field.name))
                }
                throw SeqPortError(.valueType, "not an integer", at: cellLocation(column, field: field.name))
            }
            return text
        }
    }

    // MARK: - Places

    /// The sheet as a cell reference's prefix: quoted when it is not a plain name (`'usage (2)'`).
    private var sheetEntry: String {
        let plain = !sheet.isEmpty && sheet.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        return plain ? sheet : "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private func cellLocation(_ column: Int, field: String? = nil) -> SourceLocation {
        let f = field ?? columnField[column].map { layout.fields[$0].name }
        return SourceLocation(entry: sheetEntry + "!" + XLSXParts.columnName(column) + String(row),
                              record: currentRecord, field: f)
    }

    /// `B7` → (1, 7); `nil` when it is not a reference inside the grid.
    static func parseReference(_ r: String) -> (Int, Int)? {
        var column = 0, row = 0, letters = 0, digits = 0
        for b in r.utf8 {
            if digits == 0, b >= 0x41, b <= 0x5A || (b >= 0x61 && b <= 0x7A) {
                letters += 1
                guard letters <= 3 else { return nil }
                column = column * 26 + Int((b | 0x20) - 0x61) + 1
            } else if b >= 0x30, b <= 0x39, letters > 0 {
                digits += 1
                guard digits <= 7 else { return nil }
                row = row * 10 + Int(b - 0x30)
            } else {
                return nil
            }
        }
        guard letters > 0, digits > 0, column <= XLSXLimits.maxColumns, row >= 1, row <= XLSXLimits.maxRows else { return nil }
        return (column - 1, row)
    }
}

fileprivate extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
