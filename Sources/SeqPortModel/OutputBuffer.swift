/// A growable byte buffer for the writers' per-value loops: `reserve` once, then raw stores with no
/// uniqueness or capacity check per byte (what `[UInt8].append` pays on every call).
///
/// A value type over memory owned by a class, so it lives inside a writer struct without dynamic
/// exclusivity checks. Copies share the memory: give each writer its own buffer and never copy a
/// writer that is in use (the writers are used in place, like every `RecordWriter`).
@frozen
public struct OutputBuffer {
    @usableFromInline final class Storage {
        @usableFromInline var base: UnsafeMutablePointer<UInt8>
        @usableFromInline init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }

    @usableFromInline var storage: Storage
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var used: Int
    /// Bytes held.
    @inlinable public var count: Int { used }

    public init(capacity: Int = 64 << 10) {
        let capacity = max(64, capacity)
        storage = Storage(capacity: capacity)
        base = storage.base
        self.capacity = capacity
        used = 0
    }

    /// The bytes held (valid until the next mutation).
    @inlinable public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// Makes room for `n` more bytes; after it, up to `n` `appendUnchecked` calls are safe.
    @inlinable @inline(__always)
    public mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(n) }
    }

    @usableFromInline
    mutating func grow(_ n: Int) {
        var newCapacity = capacity * 2
        while newCapacity < count + n { newCapacity *= 2 }
        let bigger = Storage(capacity: newCapacity)
        bigger.base.update(from: base, count: count)
        storage = bigger
        base = bigger.base
        capacity = newCapacity
    }

    /// Appends one byte without checking capacity (after `reserve`).
    @inlinable @inline(__always)
    public mutating func appendUnchecked(_ byte: UInt8) {
        base[used] = byte
        used &+= 1
    }

    /// Appends bytes without checking capacity (after `reserve`).
    @inlinable @inline(__always)
    public mutating func appendUnchecked(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        let n = bytes.count
        let to = UnsafeMutableRawPointer(base + used)
        let src = UnsafeRawPointer(from)
        // Most values and tags are short: two overlapping word copies beat a call to memmove.
        if n >= 8 && n <= 16 {
            to.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            to.storeBytes(of: src.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
        } else if n > 16 {
            to.copyMemory(from: src, byteCount: n)
        } else {
            for k in 0..<n { to.storeBytes(of: src.load(fromByteOffset: k, as: UInt8.self), toByteOffset: k, as: UInt8.self) }
        }
        used &+= n
    }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        appendUnchecked(byte)
    }

    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        appendUnchecked(bytes)
    }

    @inlinable
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Passes the bytes to `sink` and empties the buffer.
    public mutating func flush(to sink: any ByteSink) throws {
        guard count > 0 else { return }
        try sink.write(UnsafeRawBufferPointer(start: base, count: used))
        used = 0
    }

    /// Drops the bytes after the first `count` (to undo a partly written value).
    @inlinable public mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= used, "truncate beyond the buffer")
        used = count
    }

    /// Forgets the bytes, keeping the memory.
    public mutating func removeAll() { used = 0 }
}

/// Constant byte strings (field-name prefixes, tags) kept in one allocation, addressed by index,
/// so a hot loop reads them without retaining an array per use.
public struct ByteTable {
    @usableFromInline let bytes: OutputBuffer
    @usableFromInline let offsets: [Int]

    public init(_ entries: [[UInt8]]) {
        var buffer = OutputBuffer(capacity: max(64, entries.reduce(0) { $0 + $1.count }))
        var offsets = [0]
        for e in entries {
            buffer.append(e)
            offsets.append(buffer.count)
        }
        bytes = buffer
        self.offsets = offsets
    }

    public var count: Int { offsets.count - 1 }

    /// Entry `i`, valid as long as the table.
    @inlinable @inline(__always)
    public subscript(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: UnsafePointer(bytes.base) + offsets[i], count: offsets[i + 1] - offsets[i])
    }
}

/// Eight bytes at a time: whether a word holds a byte of interest (the writers skip runs of plain
/// text this way). Both tests are exact for "is there any such byte".
public enum WordScan {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero when some byte of `x` is below `n` (n ≤ 128).
    @inlinable @inline(__always)
    public static func hasLess(_ x: UInt64, than n: UInt8) -> UInt64 {
        (x &- ones &* UInt64(n)) & ~x & highs
    }

    /// Non-zero when some byte of `x` equals `c`.
    @inlinable @inline(__always)
    public static func has(_ x: UInt64, _ c: UInt8) -> UInt64 {
        let y = x ^ (ones &* UInt64(c))
        return (y &- ones) & ~y & highs
    }

    /// The eight bytes at `p + i`.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
    }
}
