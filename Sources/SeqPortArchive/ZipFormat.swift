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
    /// External attributes of a regular file with mode 0644 (UNIX mode in the high 16 bits).
    static let regularFileAttributes: UInt32 = (0o100644 as UInt32) << 16
    static let hostUNIX: UInt16 = 3

    static let max16: UInt64 = 0xFFFF
    static let max32: UInt64 = 0xFFFF_FFFF
}

/// Appends little-endian integers to a byte array (headers only; never the hot data path).
struct LittleEndianWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func u32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    mutating func u64(_ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads little-endian integers from a byte array at offsets the caller has bounds-checked.
struct LittleEndianReader {
    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// The 32-bit value at `offset` of `bytes` (which must hold it).
    static func u32(_ bytes: [UInt8], at offset: Int = 0) -> UInt32 {
        var r = LittleEndianReader(bytes, at: offset)
        return r.u32()
    }

    mutating func u16() -> UInt16 {
        let v = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        offset += 2
        return v
    }

    mutating func u32() -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
        offset += 4
        return v
    }

    mutating func u64() -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += 8
        return v
    }

    mutating func take(_ n: Int) -> [UInt8] {
        let slice = Array(bytes[offset..<offset + n])
        offset += n
        return slice
    }
}
