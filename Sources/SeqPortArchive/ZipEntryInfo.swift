/// What the writer recorded for one finished entry. For an encrypted archive these are the values
/// before encryption (the real CRC-32 and method, the deflated size without salt, verifier and MAC).
public struct ZipEntryInfo: Hashable, Sendable {
    public var name: String
    public var crc32: UInt32
    public var uncompressedSize: UInt64
    public var compressedSize: UInt64
    /// 8 (deflate) or 0 (stored).
    public var method: UInt16
}
