/// One token of a JSON text, as `JSONTokenizer` returns them.
public enum JSONToken: Hashable, Sendable {
    case beginObject
    case endObject
    case beginArray
    case endArray
    /// An object member's name (already unescaped).
    case key(String)
    /// A string value (already unescaped).
    case string(String)
    /// A number, as its text in the document (RFC 8259 grammar, not converted).
    case number(String)
    case `true`
    case `false`
    case null
}
