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
}

extension Value: ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
}
