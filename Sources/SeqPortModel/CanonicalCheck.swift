/// The export's fast check of a stored value: whether its bytes are *already* valid and canonical
/// for the field, so they can be written as they are without making a `String`.
///
/// It only ever says yes when `Field.canonicalize` would return the same text unchanged; every
/// other value (non-ASCII text, a string with a `format`, a timestamp with an offset, anything
/// invalid) takes the slow path through `canonicalize`, which converts it or throws the precise
/// error. `CanonicalCheckTests` holds the two paths to that on generated and hostile values.
public struct CanonicalCheck: Sendable {
    @usableFromInline enum Kind: UInt8, Sendable {
        case string, file, integer, decimal, boolean, date, timestamp, enumeration, slow
    }

    @usableFromInline let kind: Kind
    /// The byte limit of `.string` fields.
    @usableFromInline let maxBytes: Int
    /// The allowed values of `.enumeration` fields, as bytes.
    @usableFromInline let allowed: [[UInt8]]
    /// Whether NULL is allowed (the slow path throws `value.null` otherwise).
    public let nullable: Bool

    public init(_ field: Field, limits: ReaderLimits = .default) {
        nullable = field.nullable
        var maxBytes = Int.max
        var allowed: [[UInt8]] = []
        switch field.type {
        case .string:
            kind = field.format == nil ? .string : .slow
            maxBytes = min(field.maxLength ?? .max, limits.maxValueBytes)
        case .file: kind = .file
        case .integer: kind = .integer
        case .decimal: kind = .decimal
        case .boolean: kind = .boolean
        case .date: kind = .date
        case .timestamp: kind = .timestamp
        case .enumeration(let values):
            kind = .enumeration
            allowed = values.map { Array($0.utf8) }
        }
        self.maxBytes = maxBytes
        self.allowed = allowed
    }

    /// Whether `u` can be used as is: valid (ASCII) text that `canonicalize` would return unchanged.
    @inlinable
    public func accepts(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Self.isASCII(u) else { return false }
        switch kind {
        case .string: return u.count <= maxBytes
        case .file: return u.count <= 1024
        case .integer:
            // 18 digits always fit in 64 bits; longer ones, and "-0", go the slow way.
            guard u.count <= 18, ValueSyntax.isInteger(u) else { return false }
            return !(u.count == 2 && u[0] == UInt8(ascii: "-") && u[1] == UInt8(ascii: "0"))
        case .decimal: return u.count <= 64 && ValueSyntax.isDecimal(u)
        case .boolean:
            return (u.count == 4 && u.elementsEqual("true".utf8)) || (u.count == 5 && u.elementsEqual("false".utf8))
        case .date: return ValueSyntax.isDate(u)
        case .timestamp: return ValueSyntax.isCanonicalTimestamp(u)
        case .enumeration:
            return allowed.withUnsafeBufferPointer { all in
                for a in all where a.count == u.count && a.withUnsafeBufferPointer({ $0.elementsEqual(u) }) { return true }
                return false
            }
        case .slow: return false
        }
    }
    /// Whether every byte is below 0x80 (eight at a time).
    @inlinable @inline(__always)
    public static func isASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = u.baseAddress else { return true }
        let raw = UnsafeRawPointer(p)
        var i = 0
        let n = u.count
        var acc: UInt64 = 0
        while i + 8 <= n {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        while i < n {
            acc |= UInt64(p[i])
            i &+= 1
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }
}
