import Foundation
import SeqPortArchive
import SeqPortJSON
import SeqPortModel

/// `--map FILE`: how a partner's columns become the fields of one category (`Specs/partners.md`).
///
/// ```json
/// { "columns": { "Namn": "full_name", "Telefon": "phone" },
///   "drop": ["Kundnummer"],
///   "constants": { "preferred_language": "sv" } }
/// ```
///
/// A partner column named like a field maps to it without being listed. Every other column must be
/// mapped or dropped (`map.unmapped-column`): nothing a partner sends is lost without a word. Two sources
/// for one field (two columns, or a column and a constant) are `map.conflict`.
public struct ColumnMap: Sendable, Equatable {
    public var columns: [String: String] = [:]
    public var drop: Set<String> = []
    public var constants: [String: String?] = [:]

    public init(columns: [String: String] = [:], drop: Set<String> = [], constants: [String: String?] = [:]) {
        self.columns = columns
        self.drop = drop
        self.constants = constants
    }

    /// The layout to read a file's columns with when its format types cells as it reads them (a workbook's
    /// dates and numbers), given the columns as the file names them: each column that gives a field of
    /// `layout` (by name or through this map, unless dropped) typed as that field, the others untyped.
    public func typing(for layout: RecordLayout) -> @Sendable (RecordLayout) -> RecordLayout {
        let map = self
        return { header in
            RecordLayout(name: header.name, fields: header.fields.map { column -> Field in
                guard !map.drop.contains(column.name),
                      let target = map.columns[column.name] ?? (layout.index(of: column.name) != nil ? column.name : nil),
                      let index = layout.index(of: target) else { return Field.untyped(column.name) }
                var field = layout.fields[index]
                field.name = column.name
                return field
            })
        }
    }

    /// The largest mapping file read (1 MiB): a mapping names columns, not data.
    public static let maxBytes = 1 << 20

    /// Reads a mapping file strictly: at most `maxBytes`, JSON, no member twice, only `columns`, `drop`
    /// and `constants`.
    public static func load(path: String) throws -> ColumnMap {
        let here = SourceLocation(entry: path)
        var bytes: [UInt8] = []
        do {
            let source = try FileSource(path: path)
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while bytes.count <= maxBytes {
                let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                bytes += chunk[0..<n]
            }
        } catch is SeqPortError {
            throw SeqPortError(.mapInvalid, "cannot read the mapping file", at: here)
        }
        guard bytes.count <= maxBytes else {
            throw SeqPortError(.mapInvalid, "the mapping file is larger than \(maxBytes >> 20) MiB; a mapping names columns, not data", at: here)
        }
        let data = Data(bytes)
        do { try JSONDuplicateKeyCheck.check(MemorySource(Array(data))) } catch let e as SeqPortError { throw e.within(entry: path) }
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any] else {
            throw SeqPortError(.mapInvalid, "the mapping must be a JSON object with columns, drop and constants", at: here)
        }
        var map = ColumnMap()
        for (key, value) in object {
            switch key {
            case "columns":
                guard let columns = value as? [String: String] else { throw SeqPortError(.mapInvalid, "columns must map column names to field names", at: here) }
                map.columns = columns
            case "drop":
                guard let drop = value as? [String] else { throw SeqPortError(.mapInvalid, "drop must be a list of column names", at: here) }
                map.drop = Set(drop)
            case "constants":
                guard let constants = value as? [String: Any] else { throw SeqPortError(.mapInvalid, "constants must map field names to values", at: here) }
                for (field, v) in constants {
                    if v is NSNull { map.constants[field] = .some(nil) } else if let s = v as? String { map.constants[field] = s } else {
                        throw SeqPortError(.mapInvalid, "the constant for field \"\(field)\" must be a string or null", at: here)
                    }
                }
            default:
                throw SeqPortError(.mapInvalid, "unknown key \"\(key)\" (a mapping has columns, drop and constants)", at: here)
            }
        }
        return map
    }

    /// Checks the mapping against a layout: every target is a field, no field has two sources.
    func validate(against layout: RecordLayout, entry: String) throws {
        var sources: [String: String] = [:]
        for (column, field) in columns.sorted(by: { $0.key < $1.key }) {
            guard layout.index(of: field) != nil else {
                throw SeqPortError(.mapInvalid, "column \"\(column)\" maps to \"\(field)\", which is not a field of \(layout.name)", at: SourceLocation(entry: entry))
            }
            if let other = sources.updateValue(column, forKey: field) {
                throw SeqPortError(.mapConflict, "columns \"\(other)\" and \"\(column)\" both map to field \"\(field)\"", at: SourceLocation(entry: entry, field: field))
            }
        }
        for field in constants.keys.sorted() {
            guard layout.index(of: field) != nil else {
                throw SeqPortError(.mapInvalid, "a constant is given for \"\(field)\", which is not a field of \(layout.name)", at: SourceLocation(entry: entry))
            }
            if let column = sources[field] {
                throw SeqPortError(.mapConflict, "field \"\(field)\" has both column \"\(column)\" and a constant", at: SourceLocation(entry: entry, field: field))
            }
        }
    }
}

/// Reads an untyped partner file through a `ColumnMap` into typed records of `layout`.
struct MappedReader: ResumableRecordReader {
    var base: any RecordReader
    let map: ColumnMap
    let layout: RecordLayout
    let entry: String
    /// Partial records (a bare partner file imported): a field no column or constant gives is left out of
    /// the comparison (`given`), not required; its value is NULL and unchecked.
    var partial = false
    /// Per field: whether the partner's file gives it (known after the first `next()`).
    private(set) var given: [Bool] = []
    /// Per target field: the source column's index, a constant, or NULL (a field nobody gives that may be NULL).
    private enum Source { case column(Int), constant(String?), none }
    private var sources: [Source]?
    private var record = 0
    /// Whether the last error was in one record's mapped values (the base reader is past that record).
    private(set) var canContinueAfterError = false

    init(base: any RecordReader, map: ColumnMap, layout: RecordLayout, entry: String) throws {
        try map.validate(against: layout, entry: entry)
        self.base = base
        self.map = map
        self.layout = layout
        self.entry = entry
    }

    /// Builds the column plan from the partner's header (known once the base reader has a layout).
    private func plan(_ header: [String]) throws -> [Source] {
        var byField: [Int: Int] = [:]
        for (i, column) in header.enumerated() {
            if map.drop.contains(column) { continue }
            guard let field = map.columns[column] ?? (layout.index(of: column) != nil && map.constants[column] == nil ? column : nil),
                  let target = layout.index(of: field) else {
                throw SeqPortError(.mapUnmappedColumn, "column is neither mapped to a field nor dropped; add it to the mapping's columns or drop",
                                   at: SourceLocation(entry: entry, field: column))
            }
            if byField.updateValue(i, forKey: target) != nil {
                throw SeqPortError(.mapConflict, "two columns give this field", at: SourceLocation(entry: entry, field: field))
            }
        }
        return try layout.fields.enumerated().map { target, field in
            if let column = byField[target] { return .column(column) }
            if let constant = map.constants[field.name] { return .constant(constant) }
            guard field.nullable || partial else {
                throw SeqPortError(.mapMissingField, "no column or constant gives this field, which cannot be empty", at: SourceLocation(entry: entry, field: field.name))
            }
            return .none
        }
    }

    mutating func next() throws -> Record? {
        canContinueAfterError = false
        let raw: Record?
        do { raw = try base.next() } catch {
            canContinueAfterError = (base as? any ResumableRecordReader)?.canContinueAfterError ?? false
            // The base reader is past that record: the next one's number counts it.
            if canContinueAfterError { record += 1 }
            throw error
        }
        guard let raw else {
            if sources == nil, !base.layout.fields.isEmpty { _ = try plan(base.layout.fields.map(\.name)) }
            return nil
        }
        record += 1
        if sources == nil {
            sources = try plan(base.layout.fields.map(\.name))
            given = sources!.map { if case .none = $0 { return false } else { return true } }
        }
        var values: [Value] = []
        values.reserveCapacity(layout.fields.count)
        for (field, source) in zip(layout.fields, sources!) {
            let value: Value
            switch source {
            case .column(let i): value = raw[i]
            case .constant(let c): value = c.map(Value.text) ?? .null
            case .none:
                values.append(.null)
                continue
            }
            do {
                values.append(layout.isTyped ? try field.canonicalize(value) : value)
            } catch var error as SeqPortError {
                error.location = SourceLocation(entry: entry, line: (base as? any LineTrackingRecordReader)?.recordLine, record: record, field: field.name)
                canContinueAfterError = true
                throw error
            }
        }
        return Record(values)
    }
}

extension SeqPortError.Code {
    /// The mapping file is not a valid mapping (`--map`).
    public static let mapInvalid = Self("map.invalid", .usage)
    /// Two sources for one field.
    public static let mapConflict = Self("map.conflict", .usage)
    /// A partner column that is neither mapped nor dropped.
    public static let mapUnmappedColumn = Self("map.unmapped-column", .input)
    /// A field that cannot be NULL and that no column or constant gives.
    public static let mapMissingField = Self("map.missing-field", .input)
}
