import PostgresNIO
import SeqPortModel
import SeqPortStore

/// The export's row loop on postgres-nio's rows, the PostgreSQL twin of `SQLiteRows`: each row is
/// handed on as a `RecordView` without a `Record`, a `Value` or a `String` per value.
///
/// A cell's bytes live in postgres-nio's receive buffer, which lends them only inside a closure, so
/// the bytes of a value used as it is are copied into the row's reusable memory (`RowViews`): one
/// `memcpy`, no allocation. The fast path takes
/// - text columns (TEXT, VARCHAR, CHAR, NAME) whose bytes `CanonicalCheck` proves canonical;
/// - binary SMALLINT, INTEGER and BIGINT of integer and boolean fields, formatted directly;
/// - binary BOOLEAN of boolean fields;
/// - NULL where the field allows it.
/// Every other cell (non-ASCII text, NUMERIC, DATE, TIMESTAMP, a float, NULL where not allowed) goes
/// through `PostgresValues.value`, the one slow path, with the same result or the same `store.bad-data`.
struct PostgresRows {
    private let fields: [Field]
    private let checks: [CanonicalCheck]
    /// Per column, what an integer cell becomes without the slow path.
    private let integerModes: [IntegerColumnMode]
    private let category: Category
    private let keyIndex: Int?
    private var row: RowViews

    init(fields: [Field], category: Category) {
        self.fields = fields
        self.checks = fields.map { CanonicalCheck($0) }
        self.integerModes = fields.map(IntegerColumnMode.init)
        self.category = category
        self.keyIndex = fields.firstIndex { $0.name == category.store.key }
        self.row = RowViews(count: fields.count)
    }

    /// Frees the row memory; call once, after the last `forEach`.
    func deallocate() { row.deallocate() }

    /// Hands each of `rows` (one FETCH page, columns in `fields` order) to `body` as a borrowed view.
    mutating func forEach(_ rows: [PostgresRow], _ body: (RecordView) throws -> Void) throws {
        let n = fields.count
        try checks.withUnsafeBufferPointer { checks in
            try integerModes.withUnsafeBufferPointer { integerModes in
                for pgRow in rows {
                    row.reset()
                    var cells = pgRow.makeIterator()
                    for i in 0..<n {
                        guard let cell = cells.next() else {
                            throw SeqPortError(.storeQuery, "PostgreSQL sent a row of table \(category.store.table) without column \(fields[i].column)")
                        }
                        guard let bytes = cell.bytes else {
                            if checks[i].nullable { row.setNull(i) } else { try slowPath(cell, i, pgRow) }
                            continue
                        }
                        switch cell.dataType {
                        case .text, .varchar, .bpchar, .name:
                            // The same bytes in text and binary format. Bytes `accepts` refuses (non-ASCII
                            // text among them) take the slow path, which reads and checks them as before.
                            let used = bytes.withUnsafeReadableBytes { raw -> Bool in
                                let u = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
                                guard checks[i].accepts(u) else { return false }
                                row.copy(i, raw)
                                return true
                            }
                            if !used { try slowPath(cell, i, pgRow) }
                        case .int2, .int4, .int8:
                            guard cell.format == .binary, let value = Self.integer(bytes, cell.dataType) else {
                                try slowPath(cell, i, pgRow)
                                continue
                            }
                            switch integerModes[i] {
                            case .decimalText: row.setDecimal(i, value)
                            case .boolean: row.setBoolean(i, value != 0)
                            case .slowPath: try slowPath(cell, i, pgRow)
                            }
                        case .bool:
                            // `true`/`false` as they are only for a boolean field (the mode says which).
                            guard cell.format == .binary, integerModes[i] == .boolean, bytes.readableBytes == 1,
                                  let byte = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self), byte <= 1 else {
                                try slowPath(cell, i, pgRow)
                                continue
                            }
                            row.setBoolean(i, byte == 1)
                        default:
                            try slowPath(cell, i, pgRow)
                        }
                    }
                    try body(row.view())
                }
            }
        }
    }

    /// A binary SMALLINT, INTEGER or BIGINT (big-endian); nil when the length does not fit the type,
    /// which the slow path then reports as postgres-nio's decoder does.
    private static func integer(_ bytes: ByteBuffer, _ type: PostgresDataType) -> Int64? {
        switch (type, bytes.readableBytes) {
        case (.int2, 2): return bytes.getInteger(at: bytes.readerIndex, as: Int16.self).map(Int64.init)
        case (.int4, 4): return bytes.getInteger(at: bytes.readerIndex, as: Int32.self).map(Int64.init)
        case (.int8, 8): return bytes.getInteger(at: bytes.readerIndex, as: Int64.self)
        default: return nil
        }
    }

    /// The slow path: `PostgresValues.value` converts the cell or throws; its error becomes
    /// `store.bad-data` naming the table, key and field. Canonical text is copied into the row.
    private mutating func slowPath(_ cell: PostgresCell, _ i: Int, _ pgRow: PostgresRow) throws {
        do {
            row.copy(i, try PostgresValues.value(cell, for: fields[i]))
        } catch let error as SeqPortError {
            throw badData(i, pgRow, error.message)
        } catch {
            throw badData(i, pgRow, "unreadable \(cell.dataType) value")
        }
    }

    /// `store.bad-data` naming the table, the record's key and the field (never the value).
    private func badData(_ i: Int, _ pgRow: PostgresRow, _ message: String) -> SeqPortError {
        let key = keyIndex.map { PostgresValues.keyText(pgRow.makeRandomAccess()[$0]) } ?? "?"
        return SeqPortError(.storeBadData, "bad data in the store, table \(category.store.table) key \(key): \(message)",
                            at: SourceLocation(entry: category.name, field: fields[i].name))
    }
}
