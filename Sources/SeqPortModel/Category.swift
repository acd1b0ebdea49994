/// A category of personal data: its fields, its Art. 15 facts and where it lives in the store.
public struct Category: Hashable, Sendable {
    /// Machine name: file names (`json/<name>.json`), XML root element. `[a-z][a-z0-9_]*`.
    public var name: String
    /// Human title shown on the page.
    public var title: String
    public var description: String
    public var fields: [Field]
    /// Art. 15(1)(a): why the data is processed — ids of the schema's `purposes`.
    public var purposes: [String]
    /// Art. 6 legal bases — ids of the schema's `legalBases`.
    public var legalBasis: [String]
    /// Art. 15(1)(c): recipients — ids of the schema's `recipients`; told of rectifications (Art. 19).
    public var recipients: [String]
    /// Art. 15(1)(d): how long it is kept, or the criteria.
    public var retention: String
    /// Art. 15(1)(g): where it came from.
    public var source: String
    public var store: StoreMapping
    /// Whether an import may add records to this category.
    public var allowInsert: Bool
    /// Whether an import may remove records from this category.
    public var allowDelete: Bool
    /// DPV personal data categories of this category (`https://w3id.org/dpv/pd#Contact`).
    public var personalData: [String]
    /// Titles, descriptions, retention and source in further languages.
    public var translations: Translations

    public init(
        name: String, title: String, description: String = "", fields: [Field],
        purposes: [String] = [], legalBasis: [String] = [], recipients: [String] = [],
        retention: String = "", source: String = "", store: StoreMapping,
        allowInsert: Bool = false, allowDelete: Bool = false, personalData: [String] = [], translations: Translations = Translations()
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.fields = fields
        self.purposes = purposes
        self.legalBasis = legalBasis
        self.recipients = recipients
        self.retention = retention
        self.source = source
        self.store = store
        self.allowInsert = allowInsert
        self.allowDelete = allowDelete
        self.personalData = personalData
        self.translations = translations
    }

    /// The key field (the store mapping's `key`).
    public var keyField: Field { fields.first { $0.name == store.key }! }

    /// The fields a bundle of this scope carries: never secret fields; for portability only data
    /// the subject provided or that was observed. The key is always kept.
    public func exportedFields(scope: Scope) -> [Field] {
        fields.filter { f in
            guard !f.secret else { return false }
            return scope == .access || f.origin.isPortable || f.name == store.key
        }
    }

    /// Whether a bundle of this scope carries the category at all: under portability, a category
    /// with nothing but its key left (all derived or inferred) is left out.
    public func isExported(scope: Scope) -> Bool {
        exportedFields(scope: scope).contains { $0.name != store.key }
    }

    /// The layout of this category's records in a bundle of this scope.
    public func layout(scope: Scope) -> RecordLayout {
        RecordLayout(name: name, fields: exportedFields(scope: scope), isTyped: true)
    }

    /// Whether the subject can change anything here through an import.
    public var isEditable: Bool { allowInsert || allowDelete || fields.contains { $0.rectifiable } }
}

extension Category: Translatable {
    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] {
        [("title", title), ("description", description), ("retention", retention), ("source", source)]
    }
}

/// How a category maps to the store: the same for SQLite and PostgreSQL.
public struct StoreMapping: Hashable, Sendable, Codable {
    /// The table (or view) holding the records.
    public var table: String
    /// The field (by name) that identifies a record; unique across subjects.
    public var key: String
    /// The column holding the subject id.
    public var subject: String

    public init(table: String, key: String, subject: String) {
        self.table = table
        self.key = key
        self.subject = subject
    }
}

/// Which right a bundle answers.
public enum Scope: String, Hashable, Sendable, Codable, CaseIterable {
    /// Art. 15: everything held, including derived and inferred data.
    case access
    /// Art. 20: data the subject provided or that was observed, in a machine-readable format.
    case portability
}
