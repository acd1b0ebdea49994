/// Constants and little-endian helpers of the ZIP format (APPNOTE 6.3.10), shared by writer and reader.
enum ZipFormat {
    static let localHeaderSignature: UInt32 = 0x0403_4b50
    static let centralHeaderSignature: UInt32 = 0x0201_4b50
    static let endSignature: UInt32 = 0x0605_4b50
    static let zip64EndSignature: UInt32 = 0x0606_4b50
    static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    static let dataDescriptorSignature: UInt32 = 0x0807_4b50

    static let localHeaderSize = 30
    static let centralHeaderSize = 46
    static let endSize = 22
    static let zip64EndSize = 56
    static let zip64LocatorSize = 20
    static let zip64ExtraID: UInt16 = 0x0001

    /// General-purpose flag bits.
    static let flagEncrypted: UInt16 = 1 << 0
    static let flagDataDescriptor: UInt16 = 1 << 3
    static let flagStrongEncryption: UInt16 = 1 << 6
    static let flagUTF8: UInt16 = 1 << 11

    static let methodStored: UInt16 = 0
    static let methodDeflate: UInt16 = 8
    static let methodAES: UInt16 = 99

    /// "Version made by": UNIX (3) in the high byte, spec 4.5 in the low byte.
    static let versionMadeBy: UInt16 = 3 << 8 | 45
    static let versionNeeded: UInt16 = 20
    static let versionNeededZip64: UInt16 = 45
    /// APPNOTE 4.4.3.2: 5.1, AES encryption (what 7-Zip and WinZip write for method 99).
    static let versionNeededAES: UInt16 = 51
    /// External attributes of a regular file with mode 0644 (UNIX mode in the high 16 bits).
    static let regularFileAttributes: UInt32 = (0o100644 as UInt32) << 16
    static let hostUNIX: UInt16 = 3

    static let max16: UInt64 = 0xFFFF
    static let max32: UInt64 = 0xFFFF_FFFF
}
