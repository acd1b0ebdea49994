import SeqPortModel

/// Reads RFC 4180 CSV (`Specs/csv.md`) one record at a time, strictly.
///
/// The header is read when the reader is created. With a layout, the header must hold exactly the
/// layout's field names (in any order), records come back in the layout's field order, and when the
/// layout is typed every value is checked and canonicalized by its field. Without a layout, the fields
/// are `Field.untyped(name)` for each header cell and `layout` is known as soon as `init` returns.
///
/// A reader consumes its source: do not use two copies of one reader.
///
/// ```swift
/// var reader = try CSVReader(source: MemorySource(bytes), layout: nil)
/// while let record = try reader.next() { print(record.values) }
/// ```
public struct CSVReader: ResumableRecordReader, LineTrackingRecordReader, RecordBatchReader {
    /// How the reader reads.
    public struct Options: Hashable, Sendable {
        /// Undo `CSVWriter`'s formula guard on `.string` fields: a value matching `'+[=+\-@\t\r]…`
        /// loses its first apostrophe. Default `true`.
        public var formulaGuard: Bool
        /// The separator: a byte (`,` by default), or nil to detect `,`, `;` or tab from the header line.
        public var delimiter: UInt8?
        /// Reads what spreadsheet programs save (`Specs/csv.md`, "Files saved by spreadsheets"), typed
        /// layouts only: `TRUE`/`FALSE` in any case for booleans, an empty cell of a text field that
        /// cannot be NULL as `""`, a decimal comma in a `;`-separated file, an empty key as NULL (a new
        /// record). Default false: the strict bundle format.
        public var spreadsheetTolerant: Bool

        public init(formulaGuard: Bool = true, delimiter: UInt8? = UInt8(ascii: ","), spreadsheetTolerant: Bool = false) {
            self.formulaGuard = formulaGuard
            self.delimiter = delimiter
            self.spreadsheetTolerant = spreadsheetTolerant
        }

        /// What a subject's spreadsheet may have saved: the separator detected, tolerant values.
        public static let spreadsheet = Options(delimiter: nil, spreadsheetTolerant: true)
    }

    /// The separator in use (given, or detected from the header line).
    public let delimiter: UInt8

    /// The layout of the records: the one given, or (untyped) one `Field.untyped` per header column,
    /// with an empty name.
    public private(set) var layout: RecordLayout
    private var scanner: CSVScanner
    private let limits: ReaderLimits
    /// For each CSV column, the index of its field in `layout`.
    private let fieldIndex: [Int]
    /// For each CSV column, whether the formula guard is undone.
    private let guarded: [Bool]
    private let checksValues: Bool
    private let tolerant: Bool
    /// Per field: the fast check of a cell's bytes (`CanonicalCheck`).
    private let checks: [CanonicalCheck]
    /// Per field: whether a spreadsheet's save of it is rewritten first (`tolerantValue`), so its cells
    /// always take the slow path.
    private let rewritten: [Bool]
    /// Where `next()` reads a record before copying it out.
    private let scratch = Scratch()
    private var recordCount = 0
    /// Whether the last error was a value check after the whole row was read (the next row can be read).
    public private(set) var canContinueAfterError = false

    /// Creates a reader and reads the header row.
    ///
    /// - Parameters:
    ///   - source: the bytes; a leading UTF-8 byte order mark is skipped.
    ///   - layout: the expected fields, or `nil` to take them from the header (untyped).
    ///   - options: the formula guard.
    ///   - limits: `maxFields` bounds the columns, `maxNameBytes` a header cell, `maxValueBytes` a cell.
    /// - Throws: `csv.no-header`, `csv.header`, `csv.header-mismatch`, `csv.too-many-fields`, the
    ///   syntax errors of `next()`, or what the source throws.
    public init(
        source: any ByteSource, layout: RecordLayout?, options: Options = .init(), limits: ReaderLimits = .default
    ) throws {
        var scanner = CSVScanner(source: source)
        self.limits = limits
        try scanner.skipByteOrderMark()
        let delimiter = try options.delimiter ?? scanner.detectDelimiter()
        scanner.delimiter = delimiter
        self.delimiter = delimiter
        self.tolerant = options.spreadsheetTolerant

        scanner.maxCells = limits.maxFields
        scanner.overflowCode = .csvTooManyFields
        scanner.overflowMessage = "header has more than \(limits.maxFields) columns"
        scanner.maxCellBytes = limits.maxNameBytes
        scanner.tooLongCode = .csvHeader
        scanner.tooLongMessage = "column name longer than \(limits.maxNameBytes) bytes"
        guard try scanner.readRow() else {
            throw SeqPortError(.csvNoHeader, "no header row: the input is empty", at: SourceLocation(line: 1))
        }
        if scanner.cells.count == 1, scanner.cells[0].isNull {
            throw SeqPortError(.csvNoHeader, "no header row: the first line is blank", at: SourceLocation(line: 1))
        }
        let names = try Self.headerNames(scanner, formulaGuard: options.formulaGuard)

        if let layout {
            var indexes: [Int] = []
            for (column, name) in names.enumerated() {
                guard let index = layout.index(of: name) else {
                    let cell = scanner.cells[column]
                    throw SeqPortError(
                        .csvHeaderMismatch, "column is not a field of \(layout.isTyped ? "the schema" : "the layout")",
                        at: SourceLocation(line: cell.line, column: cell.column, field: name))
                }
                indexes.append(index)
            }
            if let missing = layout.fields.first(where: { !names.contains($0.name) }) {
                throw SeqPortError(
                    .csvHeaderMismatch, "header has no column for this field",
                    at: SourceLocation(line: scanner.cells[0].line, field: missing.name))
            }
            self.layout = layout
            self.fieldIndex = indexes
            self.checksValues = layout.isTyped
        } else {
            self.layout = RecordLayout(name: "", fields: names.map(Field.untyped), isTyped: false)
            self.fieldIndex = Array(names.indices)
            self.checksValues = false
        }
        let fields = self.layout.fields
        self.guarded = fieldIndex.map { options.formulaGuard && fields[$0].type == .string }
        self.checks = fields.map { CanonicalCheck($0, limits: limits) }
        let tolerant = options.spreadsheetTolerant
        self.rewritten = fields.map { tolerant && ($0.type == .boolean || ($0.type == .decimal && delimiter == UInt8(ascii: ";"))) }

        scanner.names = names
        scanner.maxCells = names.count
        scanner.overflowCode = .csvFieldCount
        scanner.overflowMessage = "row has more fields than the header's \(names.count)"
        scanner.maxCellBytes = limits.maxValueBytes
        scanner.tooLongCode = .valueTooLong
        scanner.tooLongMessage = "longer than \(limits.maxValueBytes) bytes"
        self.scanner = scanner
    }

    /// The header's names, refusing empty and repeated ones.
    /// The writer guards header cells like data cells; the guard's apostrophe is dropped here the same way.
    private static func headerNames(_ scanner: CSVScanner, formulaGuard: Bool) throws -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        try scanner.rowBytes.withUnsafeBufferPointer { bytes in
            for cell in scanner.cells {
                var cellBytes = UnsafeBufferPointer(rebasing: bytes[cell.start..<cell.end])
                if formulaGuard, CSVFormulaGuard.readerDropsApostrophe(cellBytes) { cellBytes = UnsafeBufferPointer(rebasing: cellBytes[1...]) }
                let name = String(decoding: cellBytes, as: UTF8.self)
                let location = SourceLocation(line: cell.line, column: cell.column)
                guard !name.isEmpty else { throw SeqPortError(.csvHeader, "empty column name", at: location) }
                guard seen.insert(name).inserted else {
                    throw SeqPortError(.csvHeader, "duplicate column name", at: location.named(name))
                }
                names.append(name)
            }
        }
        return names
    }

    /// The line where the last row read began.
    public var recordLine: Int? { recordCount > 0 ? scanner.cells.first?.line : nil }

    /// Reads the next record, or returns `nil` at the end of the input.
    ///
    /// - Throws: a `SeqPortError` whose location has the line, column, record (from 1, the header is
    ///   not a record) and field: `csv.invalid-utf8`, `csv.bare-quote`, `csv.quote-garbage`,
    ///   `csv.unterminated-quote`, `csv.bare-cr`, `csv.field-count`, `value.too-long`, and with a typed
    ///   layout the `value.*` errors of `Field.canonicalize`.
    public mutating func next() throws -> Record? {
        scratch.batch.removeAll()
        guard try read(into: &scratch.batch) else { return nil }
        return scratch.batch.record(0)
    }

    /// Reads the next record into `batch` (`RecordBatchReader`): what `next()` returns, without a `String`
    /// per cell where its bytes are already canonical (`CanonicalCheck`).
    public mutating func read(into batch: inout RecordBatch) throws -> Bool {
        canContinueAfterError = false
        let record = recordCount + 1
        scanner.record = record
        guard try scanner.readRow() else { return false }
        recordCount = record
        let cells = scanner.cells
        let columns = fieldIndex.count
        guard cells.count == columns else {
            throw SeqPortError(
                .csvFieldCount, "row has \(cells.count) fields, the header has \(columns)",
                at: SourceLocation(line: scanner.rowEndLine, record: record, field: scanner.names[cells.count]))
        }
        batch.beginRecord(fields: columns)
        // The row is read whole: an error from here on is about its values, and the next row can be read.
        canContinueAfterError = true
        do {
            try scanner.rowBytes.withUnsafeBufferPointer { bytes in
                for column in 0..<columns {
                    let cell = cells[column]
                    let index = fieldIndex[column]
                    guard !cell.isNull else {
                        // NULL stays NULL where the field allows it (`tolerantNull` gives NULL then too).
                        if checksValues && !checks[index].nullable {
                            batch.set(index, try check(tolerant ? tolerantNull(index) : .null, index, cell, record))
                        }
                        continue
                    }
                    var text = UnsafeBufferPointer(rebasing: bytes[cell.start..<cell.end])
                    if guarded[column], CSVFormulaGuard.readerDropsApostrophe(text) {
                        text = UnsafeBufferPointer(rebasing: text[1...])
                    }
                    // The scanner checked the bytes are UTF-8: as they are, unless a typed value needs work.
                    if !rewritten[index] && (!checksValues || checks[index].accepts(text)) {
                        batch.set(index, text)
                        continue
                    }
                    var value = Value.text(String(decoding: text, as: UTF8.self))
                    if tolerant { value = tolerantValue(value, index) }
                    batch.set(index, checksValues ? try check(value, index, cell, record) : value)
                }
            }
        } catch {
            batch.cancelRecord()
            throw error
        }
        batch.endRecord()
        canContinueAfterError = false
        return true
    }

    /// An empty cell as a spreadsheet saves it: `""` for a text field that cannot be NULL (spreadsheets
    /// save an empty string as an empty cell); NULL otherwise, and for the key (a new record's empty key).
    private func tolerantNull(_ index: Int) -> Value {
        let field = layout.fields[index]
        guard !field.nullable, field.type == .string else { return .null }
        return .text("")
    }

    /// A cell as a spreadsheet saves it, made canonical where that is unambiguous: `TRUE`/`FALSE` in any
    /// case for booleans; `12,5` for a decimal in a `;`-separated file (where `,` is the decimal mark).
    private func tolerantValue(_ value: Value, _ index: Int) -> Value {
        guard case .text(let text) = value else { return value }
        switch layout.fields[index].type {
        case .boolean:
            // What spreadsheets write for booleans, in English and as Swedish, German and French Excel
            // save them.
            switch text.lowercased() {
            case "true", "sant", "wahr", "vrai": return .text("true")
            case "false", "falskt", "falsch", "faux": return .text("false")
            default: return value
            }
        case .decimal where delimiter == UInt8(ascii: ";"):
            let u = Array(text.utf8)
            guard u.filter({ $0 == UInt8(ascii: ",") }).count == 1, !u.contains(UInt8(ascii: ".")) else { return value }
            return .text(String(decoding: u.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 }, as: UTF8.self))
        default:
            return value
        }
    }

    /// The field's canonical value, or its `value.*` error placed at the cell.
    private func check(_ value: Value, _ index: Int, _ cell: CSVCell, _ record: Int) throws -> Value {
        let field = layout.fields[index]
        do {
            return try field.canonicalize(value, limits: limits)
        } catch var error as SeqPortError {
            error.location = SourceLocation(line: cell.line, column: cell.column, record: record, field: field.name)
            throw error
        }
    }
}

extension SourceLocation {
    /// A copy naming `field`.
    fileprivate func named(_ field: String) -> SourceLocation {
        var copy = self
        copy.field = field
        return copy
    }
}

/// A reader's own batch for `next()`, in a class so the reader can lend it to its own mutating methods.
final class Scratch {
    var batch = RecordBatch()
}

