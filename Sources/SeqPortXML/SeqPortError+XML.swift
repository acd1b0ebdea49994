import SeqPortModel

/// The error codes of the XML format (`Specs/xml.md`).
extension SeqPortError.Code {
    /// The document is not well-formed XML (libxml2 reported a fatal error), or is not UTF-8.
    public static let xmlSyntax = Self("xml.syntax", .input)
    /// The document has a document type declaration (`<!DOCTYPE`): refused before libxml2 sees it.
    public static let xmlDTD = Self("xml.dtd", .input)
    /// The document has an entity reference that is not one of the five predefined ones.
    public static let xmlEntity = Self("xml.entity", .input)
    /// The document has a processing instruction (`<?target …?>`, the XML declaration excepted).
    public static let xmlPI = Self("xml.pi", .input)
    /// Elements nest deeper than `ReaderLimits.maxDepth`.
    public static let xmlDepth = Self("xml.depth", .input)
    /// An element or attribute that the bundle vocabulary does not have (wrong root, namespace,
    /// attribute, text outside a field).
    public static let xmlVocabulary = Self("xml.vocabulary", .input)
    /// A field element holds an element.
    public static let xmlNotFlat = Self("xml.not-flat", .input)
    /// A record lacks one of the layout's fields.
    public static let xmlMissingField = Self("xml.missing-field", .input)
    /// A record has a field the layout does not have.
    public static let xmlUnknownField = Self("xml.unknown-field", .input)
    /// A record has the same field twice.
    public static let xmlDuplicateField = Self("xml.duplicate-field", .input)
    /// A record has more fields than `ReaderLimits.maxFields`.
    public static let xmlTooManyFields = Self("xml.too-many-fields", .input)
    /// An element name is longer than `ReaderLimits.maxNameBytes`.
    public static let xmlNameTooLong = Self("xml.name-too-long", .input)
    /// A value marked `enc="base64"` is not valid base64, or does not decode to UTF-8 text.
    public static let xmlBase64 = Self("xml.base64", .input)
    /// The document does not match the XSD it is validated against.
    public static let xmlInvalid = Self("xml.invalid", .input)
    /// A writer was given a layout or field name that is not an XML name (possible for untyped layouts taken from a partner file's header).
    public static let xmlBadName = Self("xml.bad-name", .input)
}
