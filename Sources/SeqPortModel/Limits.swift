/// Limits every document reader enforces while it reads (`Specs/limits.md`).
///
/// The defaults are safe for bundles from strangers; raise them for trusted batch input.
public struct ReaderLimits: Hashable, Sendable {
    /// The largest value, in UTF-8 bytes (a CSV cell, a JSON string, an XML text node). Default 4 MiB.
    public var maxValueBytes: Int = 4 << 20
    /// The largest number of fields in one record (CSV columns, JSON keys, XML children). Default 1024.
    public var maxFields: Int = 1024
    /// The deepest nesting a JSON or XML document may have. Default 32 (records need 3).
    public var maxDepth: Int = 32
    /// The longest field name (JSON key, CSV header cell, XML element name), in bytes. Default 256.
    public var maxNameBytes: Int = 256

    public init() {}

    /// The defaults.
    public static let `default` = ReaderLimits()
}
