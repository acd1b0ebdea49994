/// One entry of an archive read by `ZipReader`, as its central directory (checked against the local
/// header) declares it.
public struct ZipEntry: Hashable, Sendable {
    /// The name, `/`-separated, checked against the `ZipName` rules.
    public var name: String
    /// 0 (stored) or 8 (deflate); for an encrypted entry, the method under the encryption (the
    /// headers say 99).
    public var method: UInt16
    public var crc32: UInt32
    public var compressedSize: UInt64
    public var uncompressedSize: UInt64
    public var localHeaderOffset: UInt64
    /// General-purpose flags (bit 3: sizes in a data descriptor, bit 11: UTF-8 name).
    public var flags: UInt16
    /// A directory entry (name ends in `/`); it has no data.
    public var isDirectory: Bool
    /// Whether the entry is encrypted (WinZip AES); its sizes and offsets include salt, verifier and MAC.
    public var isEncrypted: Bool { aes != nil }
    /// The WinZip AES extra field of an encrypted entry.
    var aes: AESExtra?
    /// Where the entry's compressed bytes start (after the local header); known after checking it.
    var dataOffset: UInt64 = 0
    /// Whether the local header carries ZIP64 sizes (then a data descriptor has 8-byte sizes).
    var localZip64 = false
}
