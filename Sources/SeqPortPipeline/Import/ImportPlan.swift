import SeqPortModel

/// What an import would do (`seqport import`, `Specs/import.md`): every change, and every refusal
/// with its reason. A plan with refusals is never applied.
public struct ImportPlan: Codable, Sendable {
    public var bundle: String
    public var bundleSHA256: String
    public var subject: String
    /// Which copy was read for each category, and why.
    public var sources: [Source] = []
    public var changes: [Change] = []
    public var refusals: [Refusal] = []
    /// What the import leaves alone and why (records added to the store after the export).
    public var notes: [Note] = []
    /// Whether the plan's changes were applied (`--apply` with no refusals, or `--apply-valid`).
    public var applied = false
    /// Whether only the valid changes were applied beside refusals (`--apply-valid`).
    public var appliedValidOnly = false
    /// Who must be told of the applied changes (Art. 19), per category.
    public var notify: [String: [String]] = [:]

    public var isEmpty: Bool { changes.isEmpty && refusals.isEmpty }
    public var isApplicable: Bool { refusals.isEmpty }

    public struct Source: Codable, Sendable, Hashable {
        public var category: String
        public var entries: [String]
        /// `edited` (checksum differs from the manifest), `format` (chosen with --format) or `unchanged`.
        public var reason: String
        /// How the copy was read, when that is worth saying (a spreadsheet's `;` separator).
        public var notes: [String] = []
    }

    public enum Action: String, Codable, Sendable { case update, insert, delete }

    public struct Change: Codable, Sendable, Hashable {
        public var category: String
        public var key: String
        public var action: Action
        /// For updates: the field; for inserts and deletes nil (all fields in `values`).
        public var field: String?
        public var old: String?
        public var new: String?
        /// For inserts and deletes: every field's value, NULL as nil.
        public var values: [String: String?]?
        /// The store record's fingerprint the change was planned against (checked again when applied).
        public var expectedFingerprint: String?
    }

    public struct Refusal: Codable, Sendable, Hashable {
        public var code: String
        public var category: String
        public var key: String?
        public var field: String?
        public var reason: String
        /// What the bundle asked for: the field's new value (`field` set; NULL as nil).
        public var asked: String?
        /// What the bundle asked for: a whole record to add (every field, NULL as nil).
        public var askedValues: [String: String?]?
    }

    public struct Note: Codable, Sendable, Hashable {
        public var category: String
        public var key: String
        /// `kept`: the store has a record the bundle does not, added after the bundle was exported.
        public var kind: String
        public var reason: String
    }

    mutating func refuse(_ code: SeqPortError.Code, _ category: String, key: String? = nil, field: String? = nil, _ reason: String,
                         asked: String? = nil, askedValues: [String: String?]? = nil) {
        refusals.append(Refusal(code: code.rawValue, category: category, key: key, field: field, reason: reason,
                                asked: asked, askedValues: askedValues))
    }
}

extension SeqPortError.Code {
    public static let importNotRectifiable = Self("import.not-rectifiable", .refused)
    public static let importInsertNotAllowed = Self("import.insert-not-allowed", .refused)
    public static let importDeleteNotAllowed = Self("import.delete-not-allowed", .refused)
    public static let importForeignRecord = Self("import.foreign-record", .refused)
    public static let importConflict = Self("import.conflict", .refused)
    public static let importCopiesDisagree = Self("import.copies-disagree", .refused)
    public static let importUnknownCategory = Self("import.unknown-category", .refused)
    public static let importOrder = Self("import.order", .refused)
    public static let importDuplicateKey = Self("import.duplicate-key", .refused)
    public static let importSchema = Self("import.schema", .refused)
    public static let importRefused = Self("import.refused", .refused)
    public static let importFingerprintsMissing = Self("import.fingerprints-missing", .refused)
    public static let importFingerprintsChanged = Self("import.fingerprints-changed", .refused)
    public static let importFingerprintUnknown = Self("import.fingerprint-unknown", .refused)
    public static let importTooLarge = Self("import.too-large", .refused)
    public static let importUnlistedCopy = Self("import.unlisted-copy", .refused)
    public static let importUnstorable = Self("import.unstorable", .refused)
    public static let importSuspectValue = Self("import.suspect-value", .refused)
}
