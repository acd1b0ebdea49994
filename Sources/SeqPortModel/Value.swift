/// A field's value: NULL, or text.
///
/// Values travel as their *canonical text* (`"42"`, `"true"`, `"2024-05-01"`, `"2024-05-01T10:00:00Z"`);
/// the field's `FieldType` says which texts are valid (`Field.canonicalize(_:)`) and how JSON writes them.
/// NULL and the empty string are different values in every format.
public enum Value: Hashable, Sendable {
    case null
    case text(String)

    /// The text, or `nil` for NULL.
    @inlinable public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    @inlinable public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Values are equal when their bytes are: Swift's `String ==` treats canonically equivalent texts as
    /// equal (`"é"` precomposed and `"e\u{301}"`), which would hide a subject's edit from one to the
    /// other, and let two copies that differ agree. Every comparison of values is byte for byte.
    @inlinable public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.text(let x), .text(let y)): return Self.sameBytes(x, y)
        default: return false
        }
    }

    /// Byte equality of two strings: lengths first (O(1) for native strings), then their contiguous
    /// UTF-8 compared as buffers; the element-by-element walk only for bridged strings.
    @inlinable static func sameBytes(_ x: String, _ y: String) -> Bool {
        let a = x.utf8, b = y.utf8
        guard a.count == b.count else { return false }
        if let equal = a.withContiguousStorageIfAvailable({ pa in b.withContiguousStorageIfAvailable { pb in pa.elementsEqual(pb) } }),
           let equal {
            return equal
        }
        return a.elementsEqual(b)
    }

    @inlinable public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .text(let s):
            hasher.combine(1 as UInt8)
            var s = s
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
}
