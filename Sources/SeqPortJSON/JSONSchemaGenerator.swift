import SeqPortModel

/// Generates the JSON Schema (draft 2020-12) of a category file, `json/<name>.json` (`Specs/json.md`).
///
/// The output is deterministic: keys in a fixed order, 2-space indentation, a final newline.
///
/// ```swift
/// let text = JSONSchemaGenerator.document(for: category.layout(scope: .access),
///                                         title: category.title, description: category.description)
/// ```
public enum JSONSchemaGenerator {
    /// The pattern of `decimal` values.
    public static let decimalPattern = "^-?[0-9]+(\\.[0-9]+)?$"
    /// The pattern of `date` values.
    public static let datePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    /// The pattern of canonical `timestamp` values (UTC, `Z` only).
    public static let timestampPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$"
    /// The pattern of `country` strings.
    public static let countryPattern = "^[A-Z]{2}$"

    /// The schema of a file holding records of `layout`: an array of objects with exactly its fields.
    public static func document(for layout: RecordLayout, title: String, description: String) -> String {
        var properties: [(String, SchemaNode)] = []
        for field in layout.fields {
            properties.append((field.name, property(field, typed: layout.isTyped)))
        }
        let root = SchemaNode.object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string(title)),
            ("description", .string(description)),
            ("type", .string("array")),
            ("items", .object([
                ("type", .string("object")),
                ("additionalProperties", .bool(false)),
                ("required", .array(layout.fields.map { .string($0.name) })),
                ("properties", .object(properties)),
            ])),
        ])
        var out: [UInt8] = []
        root.write(to: &out, indent: 0)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    static func property(_ field: Field, typed: Bool) -> SchemaNode {
        var members: [(String, SchemaNode)] = []
        if !field.description.isEmpty { members.append(("description", .string(field.description))) }
        func type(_ name: String) -> SchemaNode {
            field.nullable ? .array([.string(name), .string("null")]) : .string(name)
        }
        guard typed else {
            members.append(("type", type("string")))
            return .object(members)
        }
        switch field.type {
        case .string:
            members.append(("type", type("string")))
            switch field.format {
            case .email?: members.append(("format", .string("email")))
            case .url?: members.append(("format", .string("uri")))
            case .country?: members.append(("pattern", .string(countryPattern)))
            case .phone?, .ip?, nil: break
            }
        case .file:
            members.append(("type", type("string")))
        case .integer:
            members.append(("type", type("integer")))
            members.append(("minimum", .raw(String(Int64.min))))
            members.append(("maximum", .raw(String(Int64.max))))
        case .decimal:
            members.append(("type", type("string")))
            members.append(("pattern", .string(decimalPattern)))
        case .boolean:
            members.append(("type", type("boolean")))
        case .date:
            members.append(("type", type("string")))
            members.append(("pattern", .string(datePattern)))
            members.append(("format", .string("date")))
        case .timestamp:
            members.append(("type", type("string")))
            members.append(("pattern", .string(timestampPattern)))
            members.append(("format", .string("date-time")))
        case .enumeration(let allowed):
            var list = allowed.map { SchemaNode.string($0) }
            if field.nullable { list.append(.null) }
            members.append(("enum", .array(list)))
        }
        return .object(members)
    }
}

/// The few JSON shapes a schema needs, written pretty with members in the order given.
enum SchemaNode {
    case object([(String, SchemaNode)])
    case array([SchemaNode])
    case string(String)
    /// A number's text, written as is.
    case raw(String)
    case bool(Bool)
    case null

    func write(to out: inout [UInt8], indent: Int) {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { out.append(contentsOf: Array("{}".utf8)); return }
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                JSONEscaping.appendQuoted(key, to: &out)
                out.append(contentsOf: Array(": ".utf8))
                value.write(to: &out, indent: indent + 1)
            }
            newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            guard !items.isEmpty else { out.append(contentsOf: Array("[]".utf8)); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                item.write(to: &out, indent: indent + 1)
            }
            newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .string(let s):
            JSONEscaping.appendQuoted(s, to: &out)
        case .raw(let text):
            out.append(contentsOf: Array(text.utf8))
        case .bool(let b):
            out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .null:
            out.append(contentsOf: JSONEscaping.nullBytes)
        }
    }

    private func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }
}
