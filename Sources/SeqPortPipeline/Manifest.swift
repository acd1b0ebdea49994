import Foundation
import SeqPortModel

/// `manifest.json`: what a bundle holds and the Art. 15 facts (`Specs/bundle.md`).
public struct Manifest: Codable, Hashable, Sendable {
    public static let formatName = "seqport-bundle"
    public static let currentVersion = "1.0"

    public var format: String
    public var formatVersion: String
    public var generator: String
    public var subject: String
    public var generatedAt: String
    public var scope: Scope
    public var language: String
    /// When the controller's copy of this bundle may be deleted (`generatedAt` + retention).
    public var expiresAt: String
    public var retentionDays: Int
    public var controller: Controller
    public var schema: SchemaRef
    public var categories: [CategoryEntry]
    /// Every other entry of the archive: path, size and SHA-256 of its uncompressed bytes.
    public var files: [FileEntry]

    public struct SchemaRef: Codable, Hashable, Sendable {
        public var name: String
        public var version: String
        /// The schema document inside the bundle.
        public var path: String
    }

    public struct CategoryEntry: Codable, Hashable, Sendable {
        public var name: String
        public var title: String
        public var description: String
        public var records: Int
        /// The copies of this category, by format (`json`, `csv`, `xml`).
        public var files: [String: String]
        /// Per-record fingerprints for conflict detection on import, for categories a subject can edit.
        public var fingerprints: String?
        /// Files (photographs, attachments) referenced from this category's records.
        public var attachments: [String]
        public var purposes: [String]
        public var legalBasis: [String]
        public var recipients: [String]
        public var retention: String
        public var source: String
        public var rectifiable: [String]
        public var allowInsert: Bool
        public var allowDelete: Bool
        /// Fields hidden because they hold other people's data (Art. 15(4)): how many values, and why.
        public var redactions: [RedactionNote]?
    }

    public struct RedactionNote: Codable, Hashable, Sendable {
        public var field: String
        public var values: Int
        public var reason: String
    }

    public struct FileEntry: Codable, Hashable, Sendable {
        public var path: String
        public var bytes: Int
        public var sha256: String
        /// The media type where it is not obvious from the name (attachments).
        public var mediaType: String?
    }

    /// Deterministic JSON: sorted keys, two-space indentation, a final newline.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    public static func decode(_ bytes: [UInt8]) throws -> Manifest {
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw SeqPortError(.bundleManifest, "\(describe(error))", at: SourceLocation(entry: BundleLayout.manifest))
        } catch {
            throw SeqPortError(.bundleManifest, "not a JSON document", at: SourceLocation(entry: BundleLayout.manifest))
        }
    }
}

/// Entry names inside a bundle.
public enum BundleLayout {
    public static let manifest = "manifest.json"
    /// The detached minisign signature of the manifest, when the bundle is signed.
    public static let signature = "manifest.json.minisig"
    public static let index = "index.html"
    public static let schemaDocument = "schema/seqport-schema.json"
    public static let xsd = "schema/bundle.xsd"

    public static func data(_ category: String, _ format: BundleFormat) -> String { "\(format.rawValue)/\(category).\(format.rawValue)" }
    public static func jsonSchema(_ category: String) -> String { "schema/json/\(category).schema.json" }
    public static func fingerprints(_ category: String) -> String { "fingerprints/\(category).csv" }

    /// `files/<id>/<name>` with both parts reduced to safe characters.
    public static func attachment(id: String, name: String) -> String { "files/\(safe(id))/\(safe(name))" }

    /// Keeps ASCII letters, digits, `.`, `-`, `_`; anything else becomes `_`; never `.` or `..`.
    public static func safe(_ s: String) -> String {
        var out = String(s.unicodeScalars.prefix(120).map { c -> Character in
            (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_")) ? Character(c) : "_"
        })
        if out.isEmpty || out.allSatisfy({ $0 == "." }) { out = "_" + out }
        return out
    }

    /// The bundle's file name for a subject and scope: `seqport-<id>-<scope>.zip`.
    public static func bundleName(subject: String, scope: Scope) -> String { "seqport-\(safe(subject))-\(scope.rawValue).zip" }
}

extension SeqPortError.Code {
    public static let bundleManifest = Self("bundle.manifest", .verify)
    public static let bundleChecksum = Self("bundle.checksum", .verify)
    public static let bundleMissing = Self("bundle.missing-entry", .verify)
    public static let bundleExtra = Self("bundle.unlisted-entry", .verify)
    public static let bundleCount = Self("bundle.count", .verify)
    public static let bundleDisagree = Self("bundle.copies-disagree", .verify)
    public static let bundleSchema = Self("bundle.schema", .verify)
    public static let bundleVersion = Self("bundle.version", .verify)
}
