/// A schema: the categories of personal data a controller holds (`Specs/schema.md`).
public struct Schema: Hashable, Sendable {
    public var name: String
    public var version: String
    public var categories: [Category]
    /// Where file fields' bytes are kept in the store, if the schema has file fields.
    public var files: FileStoreMapping?
    /// The table listing every subject (for `export --all`).
    public var subjects: SubjectsMapping
    /// The languages every text is written in; the first is the language of the objects' own keys,
    /// the others come from their `translations`.
    public var languages: [String]
    /// The purposes, legal bases, safeguards and recipients categories refer to by id.
    public var terms: Art15Vocabulary
    /// Which categories the subject's contact card (vCard, `Specs/vcard.md`) is made from; nil: no card.
    public var card: CardMapping?

    public init(name: String, version: String, categories: [Category], files: FileStoreMapping? = nil,
                subjects: SubjectsMapping = SubjectsMapping(table: "subjects", key: "id"),
                languages: [String] = ["en"], terms: Art15Vocabulary = Art15Vocabulary()) {
        self.name = name
        self.version = version
        self.categories = categories
        self.files = files
        self.subjects = subjects
        self.languages = languages
        self.terms = terms
    }

    public func category(named name: String) -> Category? { categories.first { $0.name == name } }

    /// The categories a contact card is made from: one contact record (its name, phone, photo and
    /// language) and the subject's e-mail addresses.
    public struct CardMapping: Hashable, Sendable, Codable {
        public var contact: String
        public var emails: String?
        public init(contact: String, emails: String?) { self.contact = contact; self.emails = emails }
    }

    /// Checks the rules `Specs/schema.md` states; throws `schema.invalid` naming the category and field.
    public func validate() throws {
        func fail(_ message: String) -> SeqPortError { SeqPortError(.schemaInvalid, message) }
        var seen = Set<String>()
        guard !categories.isEmpty else { throw fail("schema has no categories") }
        for c in categories {
            guard Self.isName(c.name) else { throw fail("category \"\(c.name)\": name must match [a-z][a-z0-9_]*") }
            guard seen.insert(c.name).inserted else { throw fail("category \"\(c.name)\" is declared twice") }
            var names = Set<String>()
            for f in c.fields {
                guard Self.isName(f.name) else {
                    throw fail("category \"\(c.name)\", field \"\(f.name)\": name must match [a-z][a-z0-9_]*")
                }
                guard names.insert(f.name).inserted else { throw fail("category \"\(c.name)\", field \"\(f.name)\" is declared twice") }
                if case .enumeration(let values) = f.type, values.isEmpty {
                    throw fail("category \"\(c.name)\", field \"\(f.name)\": enum without values")
                }
                if f.secret && f.rectifiable { throw fail("category \"\(c.name)\", field \"\(f.name)\": a secret field cannot be rectifiable") }
                if let r = f.redaction {
                    let names = Set(c.fields.map(\.name))
                    guard r.when.map({ names.contains($0.field) }) ?? true, r.with.field.map(names.contains) ?? true,
                          !f.rectifiable, f.name != c.store.key
                    else { throw fail("category \"\(c.name)\", field \"\(f.name)\": redaction must name fields of the category and cannot apply to the key or a rectifiable field") }
                }
                if f.type == .file && files == nil { throw fail("category \"\(c.name)\", field \"\(f.name)\": file field but the schema has no files mapping") }
            }
            guard let key = c.fields.first(where: { $0.name == c.store.key }) else {
                throw fail("category \"\(c.name)\": key \"\(c.store.key)\" is not one of its fields")
            }
            guard !key.nullable, !key.secret, !key.rectifiable else {
                throw fail("category \"\(c.name)\": key \"\(key.name)\" must be non-null, not secret and not rectifiable")
            }
            let references: [(String, [String], [String])] = [
                ("purpose", c.purposes, terms.purposes.map(\.id)), ("legal basis", c.legalBasis, terms.legalBases.map(\.id)),
                ("recipient", c.recipients, terms.recipients.map(\.id))]
            for (kind, ids, defined) in references {
                if let unknown = ids.first(where: { !defined.contains($0) }) {
                    throw fail("category \"\(c.name)\": \(kind) \"\(unknown)\" is not defined in the schema")
                }
            }
            for f in c.fields where f.automated != nil && f.origin.isPortable {
                throw fail("category \"\(c.name)\", field \"\(f.name)\": automated applies only to derived or inferred fields")
            }
        }
        try terms.validate()
    }

    /// `[a-z][a-z0-9_]*`, at most 64 bytes: safe as a file name, an XML element and an SQL identifier.
    public static func isName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, first >= 0x61, first <= 0x7A, u.count <= 64 else { return false }
        return u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}

/// Where the bytes of file fields live in the store.
public struct FileStoreMapping: Hashable, Sendable, Codable {
    public var table: String
    public var key: String
    public var subject: String
    /// The column with the file's original name.
    public var name: String
    /// The column with the media type (`image/jpeg`).
    public var mediaType: String
    /// The BLOB/BYTEA column.
    public var content: String

    public init(table: String, key: String, subject: String, name: String, mediaType: String, content: String) {
        self.table = table
        self.key = key
        self.subject = subject
        self.name = name
        self.mediaType = mediaType
        self.content = content
    }
}

/// The table that lists subjects, one row each.
public struct SubjectsMapping: Hashable, Sendable, Codable {
    public var table: String
    public var key: String
    public init(table: String, key: String) { self.table = table; self.key = key }
}
