import Foundation
import SeqPortJSON
import SeqPortModel

/// `manifest.json`: what a bundle holds and the Art. 15 facts (`Specs/bundle.md`).
public struct Manifest: Codable, Hashable, Sendable {
    public static let formatName = "seqport-bundle"
    public static let currentVersion = "1.1"

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
    /// The Art. 15 facts as data, each with its DPV term (format 1.1; absent in 1.0 bundles).
    public var art15: Art15Facts?
    /// Every other entry of the archive: path, size and SHA-256 of its uncompressed bytes.
    public var files: [FileEntry]
    /// What the bundle could not hold as usual and why (a contact card that could not be written).
    public var notes: [String]?

    public init(format: String, formatVersion: String, generator: String, subject: String, generatedAt: String, scope: Scope,
                language: String, expiresAt: String, retentionDays: Int, controller: Controller, schema: SchemaRef,
                categories: [CategoryEntry], art15: Art15Facts? = nil, files: [FileEntry], notes: [String]? = nil) {
        self.format = format
        self.formatVersion = formatVersion
        self.generator = generator
        self.subject = subject
        self.generatedAt = generatedAt
        self.scope = scope
        self.language = language
        self.expiresAt = expiresAt
        self.retentionDays = retentionDays
        self.controller = controller
        self.schema = schema
        self.categories = categories
        self.art15 = art15
        self.files = files
        self.notes = notes
    }

    public struct SchemaRef: Codable, Hashable, Sendable {
        public var name: String
        public var version: String
        /// The schema document inside the bundle.
        public var path: String

        public init(name: String, version: String, path: String) {
            self.name = name
            self.version = version
            self.path = path
        }
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
        /// The sheets of `xlsx/data.xlsx` holding this category, in order (more than one past Excel's
        /// 1,048,576 rows); absent in bundles without a workbook.
        public var sheets: [String]?
        /// The DPV personal data categories and the ids of `art15`'s purposes, legal bases and
        /// recipients that the texts above name (format 1.1).
        public var terms: CategoryTerms?
        /// Derived and inferred fields: whether automated decisions are based on them (format 1.1).
        public var automated: [AutomatedNote]?

        public init(name: String, title: String, description: String, records: Int, files: [String: String], fingerprints: String?,
                    attachments: [String], purposes: [String], legalBasis: [String], recipients: [String], retention: String,
                    source: String, rectifiable: [String], allowInsert: Bool, allowDelete: Bool, redactions: [RedactionNote]?,
                    sheets: [String]? = nil, terms: CategoryTerms? = nil, automated: [AutomatedNote]? = nil) {
            self.name = name
            self.title = title
            self.description = description
            self.records = records
            self.files = files
            self.fingerprints = fingerprints
            self.attachments = attachments
            self.purposes = purposes
            self.legalBasis = legalBasis
            self.recipients = recipients
            self.retention = retention
            self.source = source
            self.rectifiable = rectifiable
            self.allowInsert = allowInsert
            self.allowDelete = allowDelete
            self.redactions = redactions
            self.sheets = sheets
            self.terms = terms
            self.automated = automated
        }
    }

    public struct RedactionNote: Codable, Hashable, Sendable {
        public var field: String
        public var values: Int
        public var reason: String

        public init(field: String, values: Int, reason: String) {
            self.field = field
            self.values = values
            self.reason = reason
        }
    }

    public struct FileEntry: Codable, Hashable, Sendable {
        public var path: String
        public var bytes: Int
        public var sha256: String
        /// The media type where it is not obvious from the name (attachments).
        public var mediaType: String?

        public init(path: String, bytes: Int, sha256: String, mediaType: String?) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
            self.mediaType = mediaType
        }
    }

    /// Deterministic JSON: sorted keys, two-space indentation, a final newline — the bytes Foundation's
    /// `JSONEncoder` writes with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, several times
    /// faster (`SortedJSONEncoder`; a batch writes one per subject).
    public func encoded() throws -> [UInt8] {
        try SortedJSONEncoder().encode(self) + [0x0A]
    }

    /// Reads `manifest.json` strictly (`Specs/bundle.md`): RFC 8259 JSON with no member name twice in any
    /// object, the fields this type declares, and the rules of `validate()`.
    public static func decode(_ bytes: [UInt8]) throws -> Manifest {
        let here = SourceLocation(entry: BundleLayout.manifest)
        do {
            try JSONDuplicateKeyCheck.check(MemorySource(bytes))
        } catch let e as SeqPortError where e.code == .jsonDuplicateKey {
            throw e.within(entry: BundleLayout.manifest)
        } catch let e as SeqPortError {
            var location = e.location
            location.entry = BundleLayout.manifest
            throw SeqPortError(.bundleManifest, "not valid JSON: \(e.message)", at: location)
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw SeqPortError(.bundleManifest, "\(describe(error))", at: here)
        } catch {
            throw SeqPortError(.bundleManifest, "not a JSON document", at: here)
        }
        try manifest.validate()
        return manifest
    }

    /// The rules a manifest's values keep beyond their types: ids and names without control characters,
    /// each category and each file listed once, sizes and counts not negative.
    public func validate() throws {
        func fail(_ path: String, _ message: String) -> SeqPortError {
            SeqPortError(.bundleManifest, "\(path): \(message)", at: SourceLocation(entry: BundleLayout.manifest))
        }
        func checkName(_ value: String, _ path: String, maxBytes: Int = 256) throws {
            guard !value.isEmpty else { throw fail(path, "is empty") }
            guard value.utf8.count <= maxBytes else { throw fail(path, "is longer than \(maxBytes) bytes") }
            guard !value.unicodeScalars.contains(where: TerminalText.isUnsafe) else {
                throw fail(path, "holds a control or bidirectional-formatting character, which no id or name may hold")
            }
        }
        try checkName(subject, "$.subject")
        try checkName(schema.name, "$.schema.name")
        guard retentionDays >= 0 else { throw fail("$.retentionDays", "is negative") }
        var names = Set<String>()
        var paths = Set<String>()
        for (i, c) in categories.enumerated() {
            try checkName(c.name, "$.categories[\(i)].name", maxBytes: 64)
            guard names.insert(c.name).inserted else {
                throw fail("$.categories[\(i)].name", "category \"\(c.name)\" is listed twice; list each category once")
            }
            guard c.records >= 0 else { throw fail("$.categories[\(i)].records", "is negative") }
            for (format, path) in c.files.sorted(by: { $0.key < $1.key }) {
                try checkName(path, "$.categories[\(i)].files.\(format)", maxBytes: 1024)
            }
            if let f = c.fingerprints { try checkName(f, "$.categories[\(i)].fingerprints", maxBytes: 1024) }
        }
        for (i, f) in files.enumerated() {
            try checkName(f.path, "$.files[\(i)].path", maxBytes: 1024)
            guard paths.insert(f.path).inserted else {
                throw fail("$.files[\(i)].path", "entry \"\(f.path)\" is listed twice; list each entry once")
            }
            guard f.bytes >= 0 else { throw fail("$.files[\(i)].bytes", "is negative") }
            guard f.sha256.utf8.count == 64, f.sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw fail("$.files[\(i)].sha256", "is not 64 lowercase hexadecimal digits")
            }
        }
    }
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
