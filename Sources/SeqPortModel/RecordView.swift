// Design note: the RecordView fast path, and what must not change.
//
// An export of a million records cannot afford a `String`, a `Value` or a `Record` per value. So the
// SQLite store steps its statement on the C API (`SQLiteRows`) and hands each row on as a `RecordView`:
// one `ValueView` (pointer + length, -1 for NULL) per field, pointing into SQLite's own row memory or a
// small per-row scratch buffer (`RowViews`). The PostgreSQL store does the same from postgres-nio's rows
// (`PostgresRows`), copying the bytes it uses into that scratch buffer, since postgres-nio lends a cell's
// bytes only inside a closure. The three writers write views straight from those bytes.
//
// The contract that makes this safe: a view's bytes are exactly what `Field.canonicalize` would return for
// the stored value — valid UTF-8, canonical text of the field's type. `CanonicalCheck.accepts` decides per
// value, in place, whether the stored bytes already are that (ASCII only, the type's syntax, within the
// limits); anything else — non-ASCII text, an offset timestamp, a float, NULL where not allowed, bytes that
// are not UTF-8 — takes the one slow path (`Field.canonicalValue(of:)` → `canonicalize`), which converts it or
// throws the precise `store.bad-data`. `CanonicalCheckTests` holds `accepts` to `canonicalize` on 40,000
// generated near-misses; each writer's view path is held to its record path byte for byte.
//
// What must not change:
// - `accepts` may only say yes when `canonicalize` returns the same bytes unchanged (a false yes would
//   write a value the readers refuse, or a different value than the record path writes);
// - text is read by its length, never as a C string (U+0000 stays whole), and never repaired;
// - a view is valid only during the call that received it: keep `record()` to hold on to values;
// - records that need changing (fingerprints, file paths, redaction, the page's preview) take the
//   `Record` path; only records written as they are go through views.

/// One value of a `RecordView`: borrowed UTF-8 bytes of its canonical text, or NULL.
///
/// The bytes belong to whoever made the view (a store's row, a reader's buffer) and are valid only
/// during the call that received the view.
@frozen
public struct ValueView {
    /// The first byte; may be `nil` for the empty string.
    public var start: UnsafePointer<UInt8>?
    /// The number of bytes, or -1 for NULL.
    public var count: Int

    @inlinable public init(start: UnsafePointer<UInt8>?, count: Int) {
        self.start = start
        self.count = count
    }

    /// NULL. (Computed: a view holds a pointer, so it is not `Sendable` and cannot be a global constant.)
    @inlinable public static var null: ValueView { ValueView(start: nil, count: -1) }

    @inlinable public var isNull: Bool { count < 0 }

    /// The bytes (empty for NULL).
    @inlinable public var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: start, count: count < 0 ? 0 : count)
    }

    /// The value as an owned `Value` (one allocation for texts longer than 15 bytes).
    @inlinable public var value: Value {
        isNull ? .null : .text(String(decoding: bytes, as: UTF8.self))
    }
}

/// A record whose values are borrowed bytes: what a store hands an export without making a `String`
/// per value (`Specs/benchmarks.md`). Same contract as `Record`: one value per field of the layout,
/// in layout order, each the canonical text of its field's type, valid UTF-8.
///
/// A view lives only during the call that received it; keep `record()` to hold on to the values.
@frozen
public struct RecordView {
    public let values: UnsafeBufferPointer<ValueView>

    @inlinable public init(_ values: UnsafeBufferPointer<ValueView>) { self.values = values }

    @inlinable public var count: Int { values.count }

    @inlinable public subscript(_ index: Int) -> ValueView { values[index] }

    /// The values copied into an owned `Record`.
    public func record() -> Record { Record(values.map(\.value)) }

    /// Runs `body` with a view of `record`'s values (copied once into one buffer).
    public static func withView<R>(of record: Record, _ body: (RecordView) throws -> R) rethrows -> R {
        var bytes: [UInt8] = []
        var ranges: [(offset: Int, count: Int)] = []
        ranges.reserveCapacity(record.values.count)
        for value in record.values {
            guard case .text(let s) = value else {
                ranges.append((0, -1))
                continue
            }
            let offset = bytes.count
            bytes.append(contentsOf: s.utf8)
            ranges.append((offset, bytes.count - offset))
        }
        return try bytes.withUnsafeBufferPointer { all in
            let slots = ranges.map { r in
                r.count < 0 ? ValueView.null : ValueView(start: all.baseAddress.map { $0 + r.offset }, count: r.count)
            }
            return try slots.withUnsafeBufferPointer { try body(RecordView($0)) }
        }
    }
}
