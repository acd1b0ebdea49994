import SeqPortModel

extension StoreValue {
    /// The store form of a canonical value of `field`: integers as integers, booleans as booleans,
    /// everything else as text (decimals, dates and timestamps keep their canonical text).
    public init(_ value: Value, for field: Field) {
        guard case .text(let text) = value else { self = .null; return }
        switch field.type {
        case .integer: self = Int64(text).map(StoreValue.integer) ?? .text(text)
        case .boolean: self = .boolean(text == "true")
        default: self = .text(text)
        }
    }
}

/// A column's value as a store read it, before it becomes a canonical value: what both stores'
/// slow paths share (the table "The text of a column value" in `Specs/stores.md`).
public enum ColumnValue {
    case null
    case integer(Int64)
    /// A floating-point column (SQLite REAL, PostgreSQL REAL and DOUBLE PRECISION).
    case double(Double)
    /// Text as stored, or the text of a native value (PostgreSQL NUMERIC, DATE, TIMESTAMP, BOOLEAN).
    case text(String)
    /// Bytes (BLOB, BYTEA): never a value of a record's field.
    case blob
}

extension Field {
    /// The canonical value of a column value, checked like any input (`canonicalize`): an integer is
    /// its decimal text (for a boolean field, 0 is `false` and anything else `true`); a float only
    /// fits integer and decimal fields; bytes fit no field.
    ///
    /// - Throws: `value.type` for a float or bytes where the field cannot take them, and whatever
    ///   `canonicalize` throws for the text.
    public func canonicalValue(of column: ColumnValue) throws -> Value {
        let text: String
        switch column {
        case .null:
            return try canonicalize(.null)
        case .integer(let i):
            switch type {
            case .boolean: return .text(i != 0 ? "true" : "false")
            case .integer: return .text(String(i))   // canonical by construction: no need to parse it back
            default: text = String(i)
            }
        case .double(let d):
            guard type == .decimal || type == .integer, d.isFinite else {
                throw SeqPortError(.valueType, "a floating-point number where \(type.name) was expected", at: SourceLocation(field: name))
            }
            text = type == .integer && d == d.rounded() ? String(Int64(d)) : String(d)
        case .text(let s):
            text = s
        case .blob:
            throw SeqPortError(.valueType, "binary data where \(type.name) was expected", at: SourceLocation(field: name))
        }
        return try canonicalize(.text(text))
    }
}
