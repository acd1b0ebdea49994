import SeqPortModel

/// What an integer column value becomes on the export's fast path, decided once per field.
public enum IntegerColumnMode: UInt8, Sendable {
    /// Its decimal text (`integer` fields).
    case decimalText
    /// `false` for 0, `true` for anything else (`boolean` fields).
    case boolean
    /// The slow path through `Field.canonicalValue(of:)` (fields of every other type).
    case slowPath

    public init(_ field: Field) {
        switch field.type {
        case .integer: self = .decimalText
        case .boolean: self = .boolean
        default: self = .slowPath
        }
    }
}

/// The reusable memory of a store's export row loop (the design note in `SeqPortModel/RecordView.swift`):
/// one `ValueView` per field, room for the decimal text of integer columns, and one buffer for the
/// bytes of values the store cannot lend (converted on the slow path, or copied out of a network
/// buffer). Allocated once per query; a row costs no allocation.
///
/// Per row: `reset()`, then one `lend`/`setNull`/`setDecimal`/`setBoolean`/`copy` per column, then
/// `view()`, valid until the next `reset()`. One owner uses it in place and calls `deallocate()`.
public struct RowViews {
    /// Columns per row.
    public let count: Int
    @usableFromInline let views: UnsafeMutableBufferPointer<ValueView>
    /// The decimal text of integer columns, 24 bytes a column.
    @usableFromInline let digits: UnsafeMutablePointer<UInt8>
    /// Bytes of copied values; views point into it once the row is complete (`view()`), since it may
    /// move while it grows.
    @usableFromInline var copied = OutputBuffer(capacity: 256)
    /// The columns waiting for `copied`'s final address, and each one's offset in it.
    @usableFromInline let pending: UnsafeMutablePointer<Int>
    @usableFromInline let offsets: UnsafeMutablePointer<Int>
    @usableFromInline var pendingCount = 0

    public init(count: Int) {
        self.count = count
        views = .allocate(capacity: max(1, count))
        views.initialize(repeating: .null)
        digits = .allocate(capacity: max(1, count) * 24)
        pending = .allocate(capacity: max(1, count))
        offsets = .allocate(capacity: max(1, count))
    }

    public func deallocate() {
        views.deallocate()
        digits.deallocate()
        pending.deallocate()
        offsets.deallocate()
    }

    /// Starts a row: forgets the copied bytes of the last one.
    @inlinable public mutating func reset() {
        if pendingCount != 0 {
            copied.removeAll()
            pendingCount = 0
        }
    }

    /// Column `i` is NULL.
    @inlinable public func setNull(_ i: Int) { views[i] = .null }

    /// Column `i` is the store's own bytes, valid until the row is handed on.
    @inlinable public func lend(_ i: Int, start: UnsafePointer<UInt8>?, count: Int) {
        views[i] = ValueView(start: start, count: count)
    }

    /// Column `i` is the decimal text of `value`.
    @inlinable public func setDecimal(_ i: Int, _ value: Int64) {
        let at = digits + i &* 24
        views[i] = ValueView(start: UnsafePointer(at), count: Self.formatDecimal(value, into: at))
    }

    /// Column `i` is `true` or `false`.
    @inlinable public func setBoolean(_ i: Int, _ value: Bool) {
        views[i] = value ? ValueView(start: Self.trueBytes, count: 4) : ValueView(start: Self.falseBytes, count: 5)
    }

    /// Column `i` is a copy of `bytes`.
    public mutating func copy(_ i: Int, _ bytes: UnsafeRawBufferPointer) {
        offsets[i] = copied.count
        copied.append(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        views[i] = ValueView(start: nil, count: bytes.count)
        pending[pendingCount] = i
        pendingCount += 1
    }

    /// Column `i` is `value` (a slow path's result): NULL, or a copy of its text's bytes.
    public mutating func copy(_ i: Int, _ value: Value) {
        guard case .text(var text) = value else { return setNull(i) }
        text.withUTF8 { copy(i, UnsafeRawBufferPointer($0)) }
    }

    /// The row, borrowed: valid until the next `reset()`.
    @inlinable public mutating func view() -> RecordView {
        if pendingCount != 0 {
            let base = copied.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            for k in 0..<pendingCount {
                let i = pending[k]
                views[i] = ValueView(start: base.map { $0 + offsets[i] }, count: views[i].count)
            }
        }
        return RecordView(UnsafeBufferPointer(start: views.baseAddress, count: count))
    }

    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    @usableFromInline nonisolated(unsafe) static let trueBytes: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 4)
        p.initialize(from: Array("true".utf8), count: 4)
        return UnsafePointer(p)
    }()

    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    @usableFromInline nonisolated(unsafe) static let falseBytes: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 5)
        p.initialize(from: Array("false".utf8), count: 5)
        return UnsafePointer(p)
    }()

    /// Writes the decimal text of `value` at `out` (at most 20 bytes) and returns its length.
    @inlinable
    public static func formatDecimal(_ value: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { tmp in
            var magnitude = value.magnitude
            var i = tmp.count
            repeat {
                i -= 1
                tmp[i] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                i -= 1
                tmp[i] = UInt8(ascii: "-")
            }
            let count = tmp.count - i
            out.update(from: tmp.baseAddress!.assumingMemoryBound(to: UInt8.self) + i, count: count)
            return count
        }
    }
}
