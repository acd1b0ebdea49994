import Foundation
import SeqPortJSON
import SeqPortModel
import SeqPortXML

/// The schema documents generated from a seqport schema: the schema itself (as the bundle carries
/// it), one JSON Schema (2020-12) per category and one XSD for every category's XML.
public enum SchemaArtifacts {
    /// A generated file: its path (inside a bundle, or under a folder) and bytes.
    public struct Artifact: Equatable, Sendable {
        public var path: String
        public var bytes: [UInt8]
    }

    /// The `schema/` entries of a bundle whose categories and fields are already cut to its scope.
    public static func bundleEntries(for schema: Schema, scope: Scope) throws -> [Artifact] {
        var out = [Artifact(path: BundleLayout.schemaDocument, bytes: try encode(schema))]
        let layouts = schema.categories.map { $0.layout(scope: scope) }
        for (category, layout) in zip(schema.categories, layouts) {
            out.append(Artifact(path: BundleLayout.jsonSchema(category.name),
                                bytes: Array(JSONSchemaGenerator.document(for: layout, title: category.title, description: category.description).utf8)))
        }
        out.append(Artifact(path: BundleLayout.xsd, bytes: Array(XSDGenerator.document(for: layouts).utf8)))
        return out
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
