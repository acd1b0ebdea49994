import SeqPortModel

/// A format every bundle holds a copy of each category in: a registered `.copy` format
/// (`FormatRegistry`), by name. `.json`, `.csv` and `.xml` name the ones registered today.
public struct BundleFormat: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// The copy format registered under this name, if there is one.
    public init?(rawValue: String) {
        guard FormatRegistry.copies.contains(where: { $0.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    private init(registered name: String) { rawValue = name }

    public static let json = BundleFormat(registered: FormatDescriptor.json.name)
    public static let csv = BundleFormat(registered: FormatDescriptor.csv.name)
    public static let xml = BundleFormat(registered: FormatDescriptor.xml.name)

    /// Every copy format, in the order bundles hold them.
    public static var allCases: [BundleFormat] { FormatRegistry.copies.map { BundleFormat(registered: $0.name) } }

    /// Its registry entry.
    public var descriptor: FormatDescriptor { FormatRegistry.copies.first { $0.name == rawValue }! }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let format = BundleFormat(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a bundle copy format"))
        }
        self = format
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A writer of this format over a sink.
    public func makeWriter(layout: RecordLayout, sink: any ByteSink) throws -> any RecordWriter {
        try descriptor.makeWriter(layout: layout, sink: sink)
    }

    /// A reader of this format; `layout == nil` reads untyped (string) records. `returned` reads a copy
    /// as a subject's tools may have saved it (import: `FormatReadContext.Origin.returned`); verify
    /// reads strictly. `schema` is the format's compiled bundle schema to validate against, if any.
    public func makeReader(source: any ByteSource, layout: RecordLayout?, limits: ReaderLimits = .default,
                           schema: FormatDescriptor.CompiledSchema? = nil, returned: Bool = false) throws -> any RecordReader {
        try descriptor.makeReader(source: source, context: FormatReadContext(layout: layout, limits: limits,
                                                                            origin: returned ? .returned : .bundle, schema: schema))
    }

    /// The format a file name's extension names, if any.
    public static func forPath(_ path: String) -> BundleFormat? {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return BundleFormat(rawValue: ext)
    }
}
