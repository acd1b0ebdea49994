/// Records read into one reusable buffer: every value's bytes in one `OutputBuffer`, and per value
/// its offset and length (-1 for NULL). What a reader fills without making a `String` per value, and
/// what the dry-run import compares with the store's rows as borrowed `RecordView`s (the read side of
/// the design note in `RecordView.swift`). Same contract as `Record`: one value per field of the
/// layout, in layout order, valid UTF-8.
///
/// A reader fills one record at a time: `beginRecord(fields:)`, then `set`/`setNull` per field in any
/// order (a field never set is NULL), then `endRecord()` — or `cancelRecord()` when the record failed.
/// A consumer reads `count` records as views (`view(_:)`, valid until the batch is changed) or copies
/// one out (`record(_:)`).
///
/// A value type over memory owned by classes, like `OutputBuffer`: copies share the memory, so give
/// each user its own batch and never copy one in use.
public struct RecordBatch {
    @usableFromInline var bytes = OutputBuffer(capacity: 16 << 10)
    /// Per value, two words: the offset of its bytes in `bytes`, and its length (-1 for NULL).
    @usableFromInline var slots = Slots(capacity: 1024)
    /// Values held (complete records and the open one).
    @usableFromInline var slotCount = 0
    /// Record `i`'s values are `starts[i]..<starts[i + 1]`.
    @usableFromInline var starts: [Int] = [0]
    /// The first value of the record being built, if one is.
    @usableFromInline var open: Int?
    /// Byte count when the open record began (`cancelRecord` goes back to it).
    @usableFromInline var openBytes = 0
    /// The views of `views(_:)`, rebuilt when the batch changed since.
    @usableFromInline var viewStorage: ViewStorage?
    @usableFromInline var viewsValid = false

    /// Raw memory for the slots (a class with a constant pointer: no uniqueness or exclusivity check
    /// per value, which `Array` pays).
    @usableFromInline final class Slots {
        @usableFromInline let pointer: UnsafeMutablePointer<Int>
        /// Values it has room for.
        @usableFromInline let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            pointer = .allocate(capacity: capacity * 2)
        }
        deinit { pointer.deallocate() }
    }

    /// Room for `n` more values.
    @inlinable mutating func reserveSlots(_ n: Int) {
        if slotCount &+ n > slots.capacity { growSlots(n) }
    }

    @usableFromInline mutating func growSlots(_ n: Int) {
        var capacity = slots.capacity * 2
        while capacity < slotCount + n { capacity *= 2 }
        let bigger = Slots(capacity: capacity)
        bigger.pointer.update(from: slots.pointer, count: slotCount * 2)
        slots = bigger
    }

    @usableFromInline final class ViewStorage {
        @usableFromInline let pointer: UnsafeMutablePointer<ValueView>
        @usableFromInline let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: .null, count: capacity)
        }
        deinit { pointer.deallocate() }
    }

    public init() {}

    /// Complete records held.
    @inlinable public var count: Int { starts.count - 1 }

    @inlinable public var isEmpty: Bool { starts.count == 1 }

    /// Forgets every record, keeping the memory.
    public mutating func removeAll() {
        bytes.removeAll()
        slotCount = 0
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        open = nil
        viewsValid = false
    }

    // MARK: - Filling

    /// Starts a record of `fields` values, all NULL until set.
    @inlinable public mutating func beginRecord(fields: Int) {
        if open != nil { cancelRecord() }
        open = slotCount
        openBytes = bytes.count
        viewsValid = false
        reserveSlots(fields)
        let p = slots.pointer + slotCount &* 2
        for k in 0..<fields {
            p[k &* 2] = 0
            p[k &* 2 &+ 1] = -1
        }
        slotCount &+= fields
    }

    /// One more field for the open record (an untyped reader discovering its fields), NULL until set.
    @inlinable public mutating func addField() {
        reserveSlots(1)
        slots.pointer[slotCount &* 2] = 0
        slots.pointer[slotCount &* 2 &+ 1] = -1
        slotCount &+= 1
    }

    /// Field `i` of the open record is a copy of `value`.
    @inlinable public mutating func set(_ i: Int, _ value: UnsafeBufferPointer<UInt8>) {
        let k = (open! &+ i) &* 2
        slots.pointer[k] = bytes.count
        slots.pointer[k &+ 1] = value.count
        bytes.append(value)
    }

    /// Field `i` of the open record is NULL.
    @inlinable public mutating func setNull(_ i: Int) {
        slots.pointer[(open! &+ i) &* 2 &+ 1] = -1
    }

    /// Field `i` of the open record is `value` (NULL, or a copy of its text's bytes).
    public mutating func set(_ i: Int, _ value: Value) {
        guard case .text(var text) = value else { return setNull(i) }
        text.withUTF8 { set(i, $0) }
    }

    /// Whether field `i` of the open record is still NULL.
    @inlinable public func isNull(_ i: Int) -> Bool { slots.pointer[(open! &+ i) &* 2 &+ 1] < 0 }

    /// Completes the open record.
    @inlinable public mutating func endRecord() {
        guard open != nil else { return }
        starts.append(slotCount)
        open = nil
    }

    /// Drops the open record (its reading failed): the batch is as before `beginRecord`.
    @inlinable public mutating func cancelRecord() {
        guard let first = open else { return }
        slotCount = first
        bytes.truncate(to: openBytes)
        open = nil
    }

    /// Appends a whole record.
    public mutating func append(_ record: Record) {
        beginRecord(fields: record.values.count)
        for (i, v) in record.values.enumerated() { set(i, v) }
        endRecord()
    }

    /// Appends record `i` of `other` (its bytes in one copy).
    public mutating func append(_ i: Int, of other: RecordBatch) {
        let first = other.starts[i], n = other.starts[i + 1] - first
        guard n > 0 else { return append(Record([])) }
        let q = other.slots.pointer + first * 2
        // The record's bytes are one run in `other` (a reader fills one record at a time).
        var low = Int.max, high = 0
        for k in 0..<n where q[k * 2 + 1] >= 0 {
            low = min(low, q[k * 2])
            high = max(high, q[k * 2] + q[k * 2 + 1])
        }
        beginRecord(fields: n)
        let shift = bytes.count - (low == .max ? 0 : low)
        if low < high { bytes.append(UnsafeBufferPointer(start: other.bytes.base + low, count: high - low)) }
        let p = slots.pointer + open! * 2
        for k in 0..<n {
            p[k * 2] = q[k * 2 + 1] >= 0 ? q[k * 2] + shift : 0
            p[k * 2 + 1] = q[k * 2 + 1]
        }
        endRecord()
    }

    /// Appends a whole record given as a view (its bytes are copied).
    public mutating func append(_ view: RecordView) {
        beginRecord(fields: view.count)
        for i in 0..<view.count where !view[i].isNull { set(i, view[i].bytes) }
        endRecord()
    }

    // MARK: - Reading

    /// Record `i` as borrowed bytes, valid until the batch is next changed.
    @inlinable public mutating func view(_ i: Int) -> RecordView {
        if !viewsValid { makeViews() }
        return RecordView(UnsafeBufferPointer(start: viewStorage!.pointer + starts[i], count: starts[i + 1] - starts[i]))
    }

    @usableFromInline mutating func makeViews() {
        let n = starts[starts.count - 1]
        if (viewStorage?.capacity ?? -1) < max(1, n) { viewStorage = ViewStorage(capacity: max(64, n * 2)) }
        let views = viewStorage!.pointer
        let base = bytes.base
        let p = slots.pointer
        for k in 0..<n {
            let length = p[k &* 2 &+ 1]
            views[k] = length < 0 ? .null : ValueView(start: UnsafePointer(base + p[k &* 2]), count: length)
        }
        viewsValid = true
    }

    /// Record `i` copied into an owned `Record`.
    public func record(_ i: Int) -> Record {
        var values: [Value] = []
        values.reserveCapacity(starts[i + 1] - starts[i])
        let p = slots.pointer
        for k in starts[i]..<starts[i + 1] {
            let length = p[k * 2 + 1]
            values.append(length < 0 ? .null : .text(String(decoding: UnsafeBufferPointer(start: bytes.base + p[k * 2], count: length),
                                                            as: UTF8.self)))
        }
        return Record(values)
    }
}

/// A reader that can put its records into a `RecordBatch` without making a `String` per value: the
/// same records, in the same order, with the same errors as `next()`.
public protocol RecordBatchReader: RecordReader {
    /// Reads the next record and appends it to `batch`; `false` at the end of the input. On an error the
    /// batch holds what it held before the call.
    mutating func read(into batch: inout RecordBatch) throws -> Bool
}

extension ValueView {
    /// Whether two values are the same: both NULL, or the same bytes.
    @inlinable public static func same(_ a: ValueView, _ b: ValueView) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let p = a.start, let q = b.start else { return true }
        let n = a.count
        var i = 0
        while i &+ 8 <= n {
            if UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(q + i).loadUnaligned(as: UInt64.self) { return false }
            i &+= 8
        }
        while i < n {
            if p[i] != q[i] { return false }
            i &+= 1
        }
        return true
    }
}

extension RecordView {
    /// Whether two records hold the same values (byte for byte, NULL only equal to NULL).
    @inlinable public static func same(_ a: RecordView, _ b: RecordView) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where !ValueView.same(a[i], b[i]) { return false }
        return true
    }
}
