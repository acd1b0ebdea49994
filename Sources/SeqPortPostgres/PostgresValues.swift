import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore

/// A parameter sent as text with no declared type (OID 0): the server types it from its context,
/// as libpq does. So `'42'` compares with a BIGINT key, `'true'` fills a BOOLEAN column and a
/// canonical date fills a DATE column of an existing production table.
struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String
    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }
    func encode<E: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        byteBuffer.writeString(text)
    }
}

extension PostgresBindings {
    /// Appends a value in store form: bytes as BYTEA, everything else as untyped text.
    mutating func append(store value: StoreValue) {
        switch value {
        case .null: appendNull()
        case .integer(let i): append(UntypedText(text: String(i)))
        case .text(let s): append(UntypedText(text: s))
        case .boolean(let b): append(UntypedText(text: b ? "true" : "false"))
        case .blob(let bytes): append(ByteBuffer(bytes: bytes))
        }
    }

    mutating func append(text: String) { append(UntypedText(text: text)) }

    static func texts(_ values: String...) -> PostgresBindings {
        var b = PostgresBindings(capacity: values.count)
        for v in values { b.append(text: v) }
        return b
    }
}

/// Reading columns into canonical values, exactly as the SQLite store does: the cell becomes a
/// `ColumnValue`, then `Field.canonicalValue(of:)` checks it like any input.
enum PostgresValues {
    static func value(_ cell: PostgresCell, for field: Field) throws -> Value {
        try field.canonicalValue(of: column(cell, for: field))
    }

    /// A cell as a column value (`Field.canonicalValue(of:)` makes it canonical).
    static func column(_ cell: PostgresCell, for field: Field) throws -> ColumnValue {
        guard var buffer = cell.bytes else { return .null }
        func wrong(_ what: String) -> SeqPortError {
            SeqPortError(.valueType, "\(what) where \(field.type.name) was expected", at: SourceLocation(field: field.name))
        }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return .integer(try cell.decode(Int64.self))
        case .bool:
            return .text(try cell.decode(Bool.self) ? "true" : "false")
        case .float4, .float8:
            return .double(try cell.decode(Double.self))
        case .numeric:
            if cell.format == .binary {
                guard let n = numericText(&buffer) else { throw wrong("a numeric value that is not a number") }
                return .text(n)
            }
            return .text(buffer.readString(length: buffer.readableBytes) ?? "")
        case .date:
            let date = try cell.decode(Date.self)
            return .text(ValueSyntax.date(epochDays: Int((date.timeIntervalSince1970 / 86_400).rounded(.down))))
        case .timestamp, .timestamptz:
            return .text(timestampText(try cell.decode(Date.self)))
        case .bytea:
            return .blob
        default:
            guard let s = buffer.readString(length: buffer.readableBytes) else { throw wrong("an unreadable value") }
            return .text(s)
        }
    }

    /// The exact text of a binary NUMERIC, keeping its scale (`1490.00`); nil for NaN and infinities.
    ///
    /// The wire form: digit count, weight of the first digit (in base 10,000), sign, display scale,
    /// then the base-10,000 digits.
    static func numericText(_ buffer: inout ByteBuffer) -> String? {
        guard let count = buffer.readInteger(as: Int16.self), let weight = buffer.readInteger(as: Int16.self),
              let sign = buffer.readInteger(as: UInt16.self), let scale = buffer.readInteger(as: UInt16.self),
              sign == 0 || sign == 0x4000, count >= 0 else { return nil }
        var digits: [Int16] = []
        for _ in 0..<count {
            guard let d = buffer.readInteger(as: Int16.self) else { return nil }
            digits.append(d)
        }
        func group(_ i: Int) -> Int16 { i >= 0 && i < digits.count ? digits[i] : 0 }
        func four(_ d: Int16) -> String { let s = String(d); return String(repeating: "0", count: 4 - s.count) + s }
        var integer = ""
        if weight >= 0 {
            integer = String(group(0))
            if weight >= 1 { for i in 1...Int(weight) { integer += four(group(i)) } }
        } else {
            integer = "0"
        }
        var fraction = ""
        if scale > 0 {
            var i = Int(weight) + 1
            while fraction.count < Int(scale) { fraction += four(group(i)); i += 1 }
            fraction = String(fraction.prefix(Int(scale)))
        }
        let negative = sign == 0x4000 && (integer.contains { $0 != "0" } || fraction.contains { $0 != "0" })
        return (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A canonical timestamp with microseconds when there are any (PostgreSQL's precision).
    static func timestampText(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        var text = ValueSyntax.timestamp(epochSeconds: seconds)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text.removeLast()
            text += "." + digits + "Z"
        }
        return text
    }

    /// A short text of a key column for error messages (keys are identifiers, not personal values).
    static func keyText(_ cell: PostgresCell) -> String {
        guard cell.bytes != nil else { return "?" }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map(String.init) ?? "?"
        default: return (try? cell.decode(String.self)).map { String($0.prefix(64)) } ?? "?"
        }
    }

    static func string(_ cell: PostgresCell) -> String? {
        guard cell.bytes != nil else { return nil }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map(String.init)
        default: return try? cell.decode(String.self)
        }
    }
}
