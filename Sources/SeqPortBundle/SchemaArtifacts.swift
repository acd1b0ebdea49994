import Foundation
import SeqPortModel

/// The schema documents generated from a seqport schema: the schema itself (as the bundle carries
/// it), then what each registered format contributes (`FormatDescriptor.schemaDocuments`): one JSON
/// Schema (2020-12) per category, one XSD for every category's XML.
public enum SchemaArtifacts {
    /// A generated file: its path (inside a bundle, or under a folder) and bytes.
    public struct Artifact: Equatable, Sendable {
        public var path: String
        public var bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// The `schema/` entries of a bundle whose categories and fields are already cut to its scope.
    public static func bundleEntries(for schema: Schema, scope: Scope) throws -> [Artifact] {
        let categories = schema.categories.map { ($0, $0.layout(scope: scope)) }
        return [Artifact(path: BundleLayout.schemaDocument, bytes: try encode(schema))] + FormatRegistry.schemaDocuments(for: categories)
    }

    /// The files committed under `Specs/generated/` for a schema (access scope, secrets removed).
    public static func specFiles(for schema: Schema) throws -> [Artifact] {
        let cut = exportedSchema(schema, scope: .access)
        return try bundleEntries(for: cut, scope: .access).map {
            Artifact(path: $0.path.replacingOccurrences(of: "schema/", with: ""), bytes: $0.bytes)
        }
    }

    /// The schema as a bundle of this scope describes it: exported categories and fields only.
    public static func exportedSchema(_ schema: Schema, scope: Scope) -> Schema {
        var cut = Schema(name: schema.name, version: schema.version,
                         categories: schema.categories.filter { $0.isExported(scope: scope) }.map {
                             var c = $0
                             c.fields = c.exportedFields(scope: scope)
                             return c
                         }, files: schema.files, subjects: schema.subjects, languages: schema.languages, terms: schema.terms)
        if let card = schema.card, cut.category(named: card.contact) != nil { cut.card = card }
        return cut
    }

    static func encode(_ schema: Schema) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(schema)) + [0x0A]
    }
}
