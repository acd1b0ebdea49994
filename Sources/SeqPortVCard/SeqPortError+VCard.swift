import SeqPortModel

/// The error codes of the vCard and jCard readers, writers and mapping (`Specs/vcard.md`).
extension SeqPortError.Code {
    /// A line that is not `[group.]name[;param]*:value`, a property outside `BEGIN:VCARD`…`END:VCARD`,
    /// a nested card, a bare CR.
    public static let vcardSyntax = Self("vcard.syntax", .input)
    /// The input ends inside a card (no `END:VCARD`).
    public static let vcardTruncated = Self("vcard.truncated", .input)
    /// A line (after unfolding), a value or a photo over its limit (`VCardLimits`).
    public static let vcardTooLong = Self("vcard.too-long", .input)
    /// A card with more properties than `VCardLimits.maxProperties`.
    public static let vcardTooManyProperties = Self("vcard.too-many-properties", .input)
    /// Bytes that are not well-formed in the value's character set (UTF-8 unless `CHARSET=` says otherwise).
    public static let vcardInvalidUTF8 = Self("vcard.invalid-utf8", .input)
    /// A `CHARSET=` seqport does not decode.
    public static let vcardCharset = Self("vcard.charset", .input)
    /// NUL or another control character (other than tab) in a line or a decoded value.
    public static let vcardControlCharacter = Self("vcard.control-character", .input)
    /// An unknown `ENCODING=`, or base64 / quoted-printable that does not decode.
    public static let vcardEncoding = Self("vcard.encoding", .input)
    /// A `data:` URI (RFC 2397) that is malformed.
    public static let vcardDataURI = Self("vcard.data-uri", .input)
    /// A missing or unsupported `VERSION` (2.1, 3.0 and 4.0 are read; 3.0 and 4.0 written).
    public static let vcardVersion = Self("vcard.version", .input)
    /// A value or name that vCard cannot carry (a control character, a bad property name).
    public static let vcardUnrepresentable = Self("vcard.unrepresentable", .input)
    /// A card that does not fit the contact category: a property or parameter the mapping does not
    /// carry, two phone numbers, an e-mail `TYPE` with no label.
    public static let vcardMapping = Self("vcard.mapping", .input)
    /// A jCard (RFC 7095) document that is not JSON or not shaped like jCard.
    public static let jcardSyntax = Self("jcard.syntax", .input)
}
