/// The type of a field, as the schema declares it.
///
/// Every value is carried through every format as its *canonical text* (see `Specs/schema.md`);
/// the type says which texts are valid and how JSON represents them (number, boolean or string).
public enum FieldType: Hashable, Sendable {
    /// Any Unicode text.
    case string
    /// A signed 64-bit integer, written in decimal without leading zeros or `+`.
    case integer
    /// An exact decimal number: `-?[0-9]+(\.[0-9]+)?`, kept exactly as written.
    case decimal
    /// `true` or `false`.
    case boolean
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An instant in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`; offsets are converted to `Z` when read.
    case timestamp
    /// One of a closed list of strings.
    case enumeration([String])
    /// A reference to a file inside the bundle (`files/...`), or the store's file id inside a store.
    case file

    /// The name used in schema documents (`"string"`, `"integer"`, …).
    public var name: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .boolean: return "boolean"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .enumeration: return "enum"
        case .file: return "file"
        }
    }

    /// Whether JSON carries this type as a number (`integer`), a boolean, or a string (everything else).
    public var jsonKind: JSONKind {
        switch self {
        case .integer: return .number
        case .boolean: return .boolean
        default: return .string
        }
    }

    /// How a JSON document carries a value of a type.
    public enum JSONKind: Sendable { case number, boolean, string }
}

/// A textual format a string field must follow, checked on every read.
public enum TextFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// `local@domain` with a dot in the domain, no spaces, at most 254 bytes.
    case email
    /// E.164-like: an optional `+`, then 4 to 20 digits, spaces or dashes, starting with a digit after `+`.
    case phone
    /// An IPv4 dotted quad or an IPv6 address.
    case ip
    /// An absolute `http` or `https` URL.
    case url
    /// An ISO 3166-1 alpha-2 country code (two capital letters).
    case country
}

/// Where a field's value came from (Art. 15(1)(g) and the Art. 20 scope).
public enum Origin: String, Hashable, Sendable, Codable, CaseIterable {
    /// Given by the subject (a form, an e-mail, a ticket).
    case provided
    /// Observed while the subject used the service (IP address, page views).
    case observed
    /// Computed from other data by a fixed rule (an account age).
    case derived
    /// Guessed by a model or an analyst (a fraud-risk score).
    case inferred

    /// Art. 20 portability covers data the subject provided or that was observed; not derived or inferred data.
    public var isPortable: Bool { self == .provided || self == .observed }
}
