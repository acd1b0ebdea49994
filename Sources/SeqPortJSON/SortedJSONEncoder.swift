import Foundation
import SeqPortModel

/// Encodes a value as the bundle's deterministic JSON documents are written (`manifest.json`): keys
/// sorted, two-space indentation, `/` not escaped — the bytes Foundation's `JSONEncoder` writes with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (`SortedJSONEncoderTests` compares the
/// two on every manifest shape), without its cost: a batch writes one manifest per subject, and
/// Foundation's encoder was a tenth of a batch job's CPU.
///
/// How: `encode(to:)` fills a small tree of nodes (objects keep their members in the order encoded),
/// then one pass writes it, sorting each object's keys. Only what the bundle's types use is supported
/// — strings, booleans, integers, optionals, arrays, dictionaries with string keys and nested
/// `Encodable` types; a floating-point number or any other leaf is refused (`EncodingError`) rather
/// than written differently from Foundation.
public struct SortedJSONEncoder: Sendable {
    public init() {}

    /// The document, without a final newline.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = Slot()
        try value.encode(to: TreeEncoder(slot: root))
        var out = OutputBuffer(capacity: 64 << 10)
        Self.write(root.node, depth: 0, into: &out)
        return Array(out.bytes)
    }

    /// Keys in the order Foundation sorts them (`sortedKeys`): `String` comparison, which for the
    /// bundle's ASCII keys is byte order.
    static func ordered(_ members: [(key: String, slot: Slot)]) -> [(key: String, slot: Slot)] {
        members.sorted { $0.key < $1.key }
    }

    static func write(_ node: Node, depth: Int, into out: inout OutputBuffer) {
        switch node {
        case .null: append("null", &out)
        case .bool(let b): append(b ? "true" : "false", &out)
        case .number(let n): out.append(Array(n.utf8))
        case .string(let s): quote(s, into: &out)
        case .array(let array):
            guard !array.items.isEmpty else { return empty("[", "]", depth, &out) }
            append("[\n", &out)
            for (i, item) in array.items.enumerated() {
                if i > 0 { append(",\n", &out) }
                indent(depth + 1, &out)
                write(item.node, depth: depth + 1, into: &out)
            }
            out.append(0x0A)
            indent(depth, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.members.isEmpty else { return empty("{", "}", depth, &out) }
            append("{\n", &out)
            for (i, member) in ordered(object.members).enumerated() {
                if i > 0 { append(",\n", &out) }
                indent(depth + 1, &out)
                quote(member.key, into: &out)
                append(" : ", &out)
                write(member.slot.node, depth: depth + 1, into: &out)
            }
            out.append(0x0A)
            indent(depth, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func append(_ s: StaticString, _ out: inout OutputBuffer) {
        s.withUTF8Buffer { out.append($0) }
    }

    /// An empty array or object.
    private static func empty(_ open: Unicode.Scalar, _ close: Unicode.Scalar, _ depth: Int, _ out: inout OutputBuffer) {
        out.append(UInt8(ascii: open))
        append("\n\n", &out)
        indent(depth, &out)
        out.append(UInt8(ascii: close))
    }

    private static func indent(_ depth: Int, _ out: inout OutputBuffer) {
        for _ in 0..<depth { out.append(0x20); out.append(0x20) }
    }

    /// A JSON string as Foundation writes it, through the one JSON escaper (`JSONEscaping`): `"` and `\`
    /// escaped, \b \f \n \r \t by name, the other C0 controls as `\u00XX`; everything else, `/`, DEL and
    /// U+2028/U+2029 included (which the record writer escapes), as it is.
    static func quote(_ s: String, into out: inout OutputBuffer) {
        var s = s
        s.withUTF8 { JSONEscaping.appendQuoted($0, to: &out, table: JSONEscaping.foundationTable) }
    }
}

// MARK: - The tree

extension SortedJSONEncoder {
    enum Node {
        case null, bool(Bool), number(String), string(String), array(ArrayNode), object(ObjectNode)
    }

    /// Where one value goes; containers hand out slots that later encoding fills.
    final class Slot {
        var node: Node = .null
    }

    final class ArrayNode {
        var items: [Slot] = []
    }

    final class ObjectNode {
        var members: [(key: String, slot: Slot)] = []

        /// The slot for `key`: a key encoded twice keeps its last value, in its first place (as Foundation).
        func slot(_ key: String) -> Slot {
            if let existing = members.first(where: { $0.key == key }) { return existing.slot }
            let slot = Slot()
            members.append((key, slot))
            return slot
        }
    }
}

private struct TreeEncoder: Encoder {
    let slot: SortedJSONEncoder.Slot
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: SortedJSONEncoder.ObjectNode
        if case .object(let existing) = slot.node { object = existing } else {
            object = SortedJSONEncoder.ObjectNode()
            slot.node = .object(object)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: SortedJSONEncoder.ArrayNode
        if case .array(let existing) = slot.node { array = existing } else {
            array = SortedJSONEncoder.ArrayNode()
            slot.node = .array(array)
        }
        return UnkeyedContainer(array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: slot)
    }
}

/// A leaf or a nested value into a slot: the one place that decides how each type is written. Types
/// are told apart by their metadata (a pointer comparison), not by casting to protocols, and no coding
/// path is kept (nothing here fails but for the refused leaves): this runs for every value of a manifest.
private func store<T: Encodable>(_ value: T, in slot: SortedJSONEncoder.Slot) throws {
    if T.self == String.self {
        slot.node = .string(value as! String)
    } else if T.self == Int.self {
        slot.node = .number(String(value as! Int))
    } else if T.self == Bool.self {
        slot.node = .bool(value as! Bool)
    } else if T.self == Int64.self || T.self == Int32.self || T.self == Int16.self || T.self == Int8.self
                || T.self == UInt.self || T.self == UInt64.self || T.self == UInt32.self || T.self == UInt16.self || T.self == UInt8.self {
        slot.node = .number(String(describing: value))
    } else if T.self == Double.self || T.self == Float.self || T.self == Date.self || T.self == Data.self || T.self == URL.self
                || T.self == Decimal.self {
        // Foundation writes these its own way (floating point, dates as numbers, data as base64).
        throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) is not written by SortedJSONEncoder"))
    } else {
        try value.encode(to: TreeEncoder(slot: slot))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: SortedJSONEncoder.ObjectNode
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { object.slot(key.stringValue).node = .null }
    mutating func encode(_ value: String, forKey key: Key) throws { object.slot(key.stringValue).node = .string(value) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.slot(key.stringValue).node = .bool(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.slot(key.stringValue).node = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try store(value, in: object.slot(key.stringValue))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: object.slot(key.stringValue)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: object.slot(key.stringValue)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(slot: object.slot("super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: object.slot(key.stringValue))
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: SortedJSONEncoder.ArrayNode
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.items.count }

    private func next() -> SortedJSONEncoder.Slot {
        let slot = SortedJSONEncoder.Slot()
        array.items.append(slot)
        return slot
    }

    mutating func encodeNil() throws { next().node = .null }
    mutating func encode(_ value: String) throws { next().node = .string(value) }
    mutating func encode(_ value: Bool) throws { next().node = .bool(value) }
    mutating func encode(_ value: Int) throws { next().node = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try store(value, in: next())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        return TreeEncoder(slot: next()).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        return TreeEncoder(slot: next()).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        return TreeEncoder(slot: next())
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let slot: SortedJSONEncoder.Slot
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { slot.node = .null }
    mutating func encode(_ value: String) throws { slot.node = .string(value) }
    mutating func encode(_ value: Bool) throws { slot.node = .bool(value) }
    mutating func encode(_ value: Int) throws { slot.node = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try store(value, in: slot) }
}
