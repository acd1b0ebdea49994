/// Limits a `ZipReader` enforces on archives from strangers (`Specs/zip.md`). All can be raised.
public struct ZipLimits: Hashable, Sendable {
    /// Entries in the central directory. Default 10,000.
    public var maxEntries: Int = 10_000
    /// Uncompressed bytes of all entries together, declared and actually inflated. Default 8 GiB.
    public var maxTotalUncompressedBytes: UInt64 = 8 << 30
    /// Uncompressed bytes of one entry. Default 4 GiB.
    public var maxEntryUncompressedBytes: UInt64 = 4 << 30
    /// Uncompressed ÷ compressed bytes, checked for entries (and inflated output) past
    /// `ratioCheckAfterBytes`. Default 200.
    public var maxCompressionRatio: UInt64 = 200
    /// Output below this is never refused for its ratio: real data (a long repeated string, a
    /// spreadsheet of zeros) compresses far beyond 200:1 in small amounts; a bomb needs volume, and the
    /// total limit caps that. Default 16 MiB.
    public var ratioCheckAfterBytes: UInt64 = 16 << 20
    /// UTF-8 bytes of one entry name. Default 512.
    public var maxNameBytes: Int = 512
    /// Whether `\` is read as a path separator, as PowerShell 5.1's `Compress-Archive` writes names
    /// (`csv\contact.csv`). The name then follows every other rule with `/` in its place, so `..\x`,
    /// `\x` and `C:\x` are still refused. Default false: other backslashes are unsafe names.
    public var acceptsBackslashSeparators = false

    public init() {}

    /// The defaults.
    public static let `default` = ZipLimits()
}
