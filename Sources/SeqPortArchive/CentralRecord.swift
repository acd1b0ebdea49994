/// What the writer remembers of an entry written to the archive, and the header bytes it makes from it.
struct CentralRecord {
    let nameBytes: [UInt8]
    let method: UInt16
    let crc: UInt32
    let compressedSize: UInt64
    let uncompressedSize: UInt64
    let offset: UInt64
    /// The WinZip AES extra of an encrypted entry; then `method` is 99, `compressedSize` includes the
    /// salt, verifier and MAC, and `crc` is 0 for AE-2.
    let aes: AESExtra?

    init(state: EntryState, offset: UInt64, aes: AESExtra? = nil) {
        nameBytes = state.nameBytes
        method = aes == nil ? state.method : ZipFormat.methodAES
        crc = aes?.vendorVersion == 2 ? 0 : state.crc
        compressedSize = state.compressedSize + (aes?.overhead ?? 0)
        uncompressedSize = state.uncompressedSize
        self.offset = offset
        self.aes = aes
    }

    private var flags: UInt16 { ZipFormat.flagUTF8 | (aes == nil ? 0 : ZipFormat.flagEncrypted) }

    private func versionNeeded(zip64: Bool) -> UInt16 {
        max(zip64 ? ZipFormat.versionNeededZip64 : ZipFormat.versionNeeded, aes == nil ? 0 : ZipFormat.versionNeededAES)
    }

    private func sizesNeedZip64(_ force: Bool) -> Bool {
        force || compressedSize >= ZipFormat.max32 || uncompressedSize >= ZipFormat.max32
    }

    /// The local header: real CRC and sizes; ZIP64 extra (both sizes) when a size needs it.
    func localHeader(forceZip64: Bool, dosTime: UInt16, dosDate: UInt16) -> [UInt8] {
        let zip64 = sizesNeedZip64(forceZip64)
        var w = LittleEndianWriter(capacity: 64 + nameBytes.count)
        w.u32(ZipFormat.localHeaderSignature)
        w.u16(versionNeeded(zip64: zip64))
        w.u16(flags)
        w.u16(method)
        w.u16(dosTime)
        w.u16(dosDate)
        w.u32(crc)
        w.u32(zip64 ? UInt32.max : UInt32(compressedSize))
        w.u32(zip64 ? UInt32.max : UInt32(uncompressedSize))
        w.u16(UInt16(nameBytes.count))
        let aesExtra = aes?.bytes ?? []
        w.u16(UInt16((zip64 ? 20 : 0) + aesExtra.count))
        w.append(nameBytes)
        if zip64 {
            w.u16(ZipFormat.zip64ExtraID)
            w.u16(16)
            w.u64(uncompressedSize)
            w.u64(compressedSize)
        }
        w.append(aesExtra)
        return w.bytes
    }

    /// The central header: ZIP64 extra with exactly the fields whose 32-bit slot holds 0xFFFFFFFF.
    func centralHeader(forceZip64: Bool, dosTime: UInt16, dosDate: UInt16) -> [UInt8] {
        let bigSizes = sizesNeedZip64(forceZip64)
        let bigOffset = forceZip64 || offset >= ZipFormat.max32
        var extra = LittleEndianWriter()
        if bigSizes || bigOffset {
            extra.u16(ZipFormat.zip64ExtraID)
            extra.u16(UInt16((bigSizes ? 16 : 0) + (bigOffset ? 8 : 0)))
            if bigSizes {
                extra.u64(uncompressedSize)
                extra.u64(compressedSize)
            }
            if bigOffset { extra.u64(offset) }
        }
        if let aes { extra.append(aes.bytes) }
        var w = LittleEndianWriter(capacity: 64 + nameBytes.count + extra.bytes.count)
        w.u32(ZipFormat.centralHeaderSignature)
        w.u16(ZipFormat.versionMadeBy)
        w.u16(versionNeeded(zip64: bigSizes || bigOffset))
        w.u16(flags)
        w.u16(method)
        w.u16(dosTime)
        w.u16(dosDate)
        w.u32(crc)
        w.u32(bigSizes ? UInt32.max : UInt32(compressedSize))
        w.u32(bigSizes ? UInt32.max : UInt32(uncompressedSize))
        w.u16(UInt16(nameBytes.count))
        w.u16(UInt16(extra.bytes.count))
        w.u16(0)  // comment length
        w.u16(0)  // disk number start
        w.u16(0)  // internal attributes
        w.u32(ZipFormat.regularFileAttributes)
        w.u32(bigOffset ? UInt32.max : UInt32(offset))
        w.append(nameBytes)
        w.append(extra.bytes)
        return w.bytes
    }

    /// The ZIP64 end record and locator when needed, then the end-of-central-directory record.
    static func endRecords(count: UInt64, directoryOffset: UInt64, directorySize: UInt64, endOffset: UInt64,
                           forceZip64: Bool) -> [UInt8] {
        let zip64 = forceZip64 || count >= ZipFormat.max16 || directoryOffset >= ZipFormat.max32
            || directorySize >= ZipFormat.max32
        var w = LittleEndianWriter(capacity: 100)
        if zip64 {
            w.u32(ZipFormat.zip64EndSignature)
            w.u64(UInt64(ZipFormat.zip64EndSize - 12))
            w.u16(ZipFormat.versionMadeBy)
            w.u16(ZipFormat.versionNeededZip64)
            w.u32(0)  // this disk
            w.u32(0)  // disk with the central directory
            w.u64(count)
            w.u64(count)
            w.u64(directorySize)
            w.u64(directoryOffset)
            w.u32(ZipFormat.zip64LocatorSignature)
            w.u32(0)  // disk with the ZIP64 end record
            w.u64(endOffset)
            w.u32(1)  // total disks
        }
        w.u32(ZipFormat.endSignature)
        w.u16(0)
        w.u16(0)
        w.u16(zip64 ? UInt16.max : UInt16(count))
        w.u16(zip64 ? UInt16.max : UInt16(count))
        w.u32(zip64 ? UInt32.max : UInt32(directorySize))
        w.u32(zip64 ? UInt32.max : UInt32(directoryOffset))
        w.u16(0)  // comment length
        return w.bytes
    }
}
