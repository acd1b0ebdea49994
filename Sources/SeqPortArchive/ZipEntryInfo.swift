/// What the writer recorded for one finished entry.
public struct ZipEntryInfo: Hashable, Sendable {
    public var name: String
    public var crc32: UInt32
    public var uncompressedSize: UInt64
    public var compressedSize: UInt64
    /// 8 (deflate) or 0 (stored).
    public var method: UInt16
}
