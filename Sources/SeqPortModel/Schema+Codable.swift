import Foundation

// The schema language's JSON form (`Specs/schema.md`). Defaults: `nullable` true, `origin` "provided",
// `rectifiable`, `secret`, `allowInsert`, `allowDelete` false.

extension Field: Codable {
    enum CodingKeys: String, CodingKey {
        case name, type, values, nullable, description, origin, rectifiable, secret, format, maxLength, column, redact, automated, translations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        let typeName = try c.decode(String.self, forKey: .type)
        let type: FieldType
        switch typeName {
        case "string": type = .string
        case "integer": type = .integer
        case "decimal": type = .decimal
        case "boolean": type = .boolean
        case "date": type = .date
        case "timestamp": type = .timestamp
        case "file": type = .file
        case "enum": type = .enumeration(try c.decode([String].self, forKey: .values))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown field type \"\(typeName)\"")
        }
        self.init(
            name: name, type: type,
            nullable: try c.decodeIfPresent(Bool.self, forKey: .nullable) ?? true,
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            origin: try c.decodeIfPresent(Origin.self, forKey: .origin) ?? .provided,
            rectifiable: try c.decodeIfPresent(Bool.self, forKey: .rectifiable) ?? false,
            secret: try c.decodeIfPresent(Bool.self, forKey: .secret) ?? false,
            format: try c.decodeIfPresent(TextFormat.self, forKey: .format),
            maxLength: try c.decodeIfPresent(Int.self, forKey: .maxLength),
            column: try c.decodeIfPresent(String.self, forKey: .column),
            redaction: try c.decodeIfPresent(Redaction.self, forKey: .redact),
            automated: try c.decodeIfPresent(AutomatedUse.self, forKey: .automated),
            translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(type.name, forKey: .type)
        if case .enumeration(let values) = type { try c.encode(values, forKey: .values) }
        try c.encode(nullable, forKey: .nullable)
        try c.encode(description, forKey: .description)
        try c.encode(origin, forKey: .origin)
        try c.encode(rectifiable, forKey: .rectifiable)
        if secret { try c.encode(secret, forKey: .secret) }
        try c.encodeIfPresent(format, forKey: .format)
        try c.encodeIfPresent(maxLength, forKey: .maxLength)
        if column != name { try c.encode(column, forKey: .column) }
        try c.encodeIfPresent(redaction, forKey: .redact)
        try c.encodeIfPresent(automated, forKey: .automated)
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
    }
}

extension Category: Codable {
    enum CodingKeys: String, CodingKey {
        case name, title, description, fields, purposes, legalBasis, recipients, retention, source, store, allowInsert, allowDelete, personalData, translations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name),
            title: try c.decodeIfPresent(String.self, forKey: .title) ?? c.decode(String.self, forKey: .name),
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            fields: try c.decode([Field].self, forKey: .fields),
            purposes: try c.decodeIfPresent([String].self, forKey: .purposes) ?? [],
            legalBasis: try c.decodeIfPresent([String].self, forKey: .legalBasis) ?? [],
            recipients: try c.decodeIfPresent([String].self, forKey: .recipients) ?? [],
            retention: try c.decodeIfPresent(String.self, forKey: .retention) ?? "",
            source: try c.decodeIfPresent(String.self, forKey: .source) ?? "",
            store: try c.decode(StoreMapping.self, forKey: .store),
            allowInsert: try c.decodeIfPresent(Bool.self, forKey: .allowInsert) ?? false,
            allowDelete: try c.decodeIfPresent(Bool.self, forKey: .allowDelete) ?? false,
            personalData: try c.decodeIfPresent([String].self, forKey: .personalData) ?? [],
            translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(title, forKey: .title)
        try c.encode(description, forKey: .description)
        try c.encode(purposes, forKey: .purposes)
        try c.encode(legalBasis, forKey: .legalBasis)
        try c.encode(recipients, forKey: .recipients)
        try c.encode(retention, forKey: .retention)
        try c.encode(source, forKey: .source)
        try c.encode(store, forKey: .store)
        try c.encode(allowInsert, forKey: .allowInsert)
        try c.encode(allowDelete, forKey: .allowDelete)
        if !personalData.isEmpty { try c.encode(personalData, forKey: .personalData) }
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
        try c.encode(fields, forKey: .fields)
    }
}

extension Schema: Codable {
    enum CodingKeys: String, CodingKey { case name, version, languages, subjects, files, vcard, purposes, legalBases, safeguards, recipients, categories }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let terms = Art15Vocabulary(
            purposes: try c.decodeIfPresent([Term].self, forKey: .purposes) ?? [],
            legalBases: try c.decodeIfPresent([Term].self, forKey: .legalBases) ?? [],
            safeguards: try c.decodeIfPresent([Term].self, forKey: .safeguards) ?? [],
            recipients: try c.decodeIfPresent([Recipient].self, forKey: .recipients) ?? [])
        let languages = try c.decodeIfPresent([String].self, forKey: .languages) ?? ["en"]
        self.init(
            name: try c.decode(String.self, forKey: .name),
            version: try c.decode(String.self, forKey: .version),
            categories: try c.decode([Category].self, forKey: .categories),
            files: try c.decodeIfPresent(FileStoreMapping.self, forKey: .files),
            subjects: try c.decodeIfPresent(SubjectsMapping.self, forKey: .subjects) ?? SubjectsMapping(table: "subjects", key: "id"),
            languages: languages, terms: terms)
        card = try c.decodeIfPresent(CardMapping.self, forKey: .vcard)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(languages, forKey: .languages)
        try c.encode(subjects, forKey: .subjects)
        try c.encodeIfPresent(files, forKey: .files)
        try c.encodeIfPresent(card, forKey: .vcard)
        try c.encode(terms.purposes, forKey: .purposes)
        try c.encode(terms.legalBases, forKey: .legalBases)
        try c.encode(terms.safeguards, forKey: .safeguards)
        try c.encode(terms.recipients, forKey: .recipients)
        try c.encode(categories, forKey: .categories)
    }

    /// Decodes and validates a schema document; errors are `schema.invalid` with the decoder's path.
    public static func decode(_ data: Data) throws -> Schema {
        let schema: Schema
        do {
            schema = try JSONDecoder().decode(Schema.self, from: data)
        } catch let error as DecodingError {
            throw SeqPortError(.schemaInvalid, "schema document: \(describe(error))")
        }
        try schema.validate()
        return schema
    }
}

/// One line naming the coding path of a `DecodingError`.
public func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error {
    case .keyNotFound(let key, let ctx): return "missing \"\(key.stringValue)\" at \(path(ctx.codingPath).isEmpty ? "top level" : path(ctx.codingPath))"
    case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "wrong type at \(path(ctx.codingPath))"
    case .dataCorrupted(let ctx): return "\(ctx.debugDescription.lowercased().trimmingCharacters(in: .punctuationCharacters)) at \(path(ctx.codingPath))"
    @unknown default: return "invalid document"
    }
}
