import SeqPortModel

/// The error codes of the JSON reader (`Specs/json.md`).
extension SeqPortError.Code {
    /// The text is not JSON (RFC 8259): a trailing comma, a leading zero, a raw control character in a
    /// string, a missing value, something after the top-level value.
    public static let jsonSyntax = Self("json.syntax", .input)
    /// The document ends in the middle of a value.
    public static let jsonTruncated = Self("json.truncated", .input)
    /// The bytes are not UTF-8.
    public static let jsonInvalidUTF8 = Self("json.invalid-utf8", .input)
    /// A `\uD800`–`\uDFFF` escape that is not a high surrogate followed by a low one.
    public static let jsonLoneSurrogate = Self("json.lone-surrogate", .input)
    /// Arrays and objects nest deeper than `ReaderLimits.maxDepth`.
    public static let jsonDepth = Self("json.depth", .input)
    /// A number's text is longer than the tokenizer accepts.
    public static let jsonNumberTooLong = Self("json.number-too-long", .input)
    /// The top level is not an array of objects.
    public static let jsonNotRecords = Self("json.not-records", .input)
    /// A record's value is an array or an object.
    public static let jsonNotFlat = Self("json.not-flat", .input)
    /// A record lacks one of the layout's keys.
    public static let jsonMissingKey = Self("json.missing-key", .input)
    /// A record has a key the layout does not know.
    public static let jsonUnknownKey = Self("json.unknown-key", .input)
    /// A record has the same key twice.
    public static let jsonDuplicateKey = Self("json.duplicate-key", .input)
    /// The first object of an untyped read has more keys than `ReaderLimits.maxFields`.
    public static let jsonTooManyFields = Self("json.too-many-fields", .input)
}
