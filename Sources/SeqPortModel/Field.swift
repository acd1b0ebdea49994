/// One field of a category: its name, type and what the law and the import need to know about it.
public struct Field: Hashable, Sendable {
    /// The field's name in every format: a JSON key, a CSV header, an XML element name.
    /// Schema field names match `[a-z][a-z0-9_]*`; schema-less records may use any non-empty name.
    public var name: String
    public var type: FieldType
    public var nullable: Bool
    /// Plain-language description shown to the subject.
    public var description: String
    public var origin: Origin
    /// Whether the subject may correct this field through an import (Art. 16).
    public var rectifiable: Bool
    /// Secret fields (a password hash) are never exported and never read from a bundle.
    public var secret: Bool
    /// An extra textual check for string fields.
    public var format: TextFormat?
    /// The largest number of UTF-8 bytes a string value may have; `nil` means the global limit.
    public var maxLength: Int?
    /// The store column this field maps to; defaults to `name`.
    public var column: String
    /// Hides values that are other people's personal data in exports (Art. 15(4)).
    public var redaction: Redaction?
    /// For derived and inferred fields: whether automated decisions are based on it (Art. 15(1)(h)).
    public var automated: AutomatedUse?
    /// The description in further languages.
    public var translations: Translations

    public init(
        name: String, type: FieldType, nullable: Bool = true, description: String = "",
        origin: Origin = .provided, rectifiable: Bool = false, secret: Bool = false,
        format: TextFormat? = nil, maxLength: Int? = nil, column: String? = nil, redaction: Redaction? = nil,
        automated: AutomatedUse? = nil, translations: Translations = Translations()
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.description = description
        self.origin = origin
        self.rectifiable = rectifiable
        self.secret = secret
        self.format = format
        self.maxLength = maxLength
        self.column = column ?? name
        self.redaction = redaction
        self.automated = automated
        self.translations = translations
    }

    /// A nullable string field with no other rule, for schema-less conversion of partner files.
    public static func untyped(_ name: String) -> Field {
        Field(name: name, type: .string, nullable: true, origin: .provided)
    }
}

extension Field: Translatable {
    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] { [("description", description)] }
}
