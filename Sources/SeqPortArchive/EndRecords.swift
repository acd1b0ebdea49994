import SeqPortModel

/// The end-of-central-directory record, merged with the ZIP64 one when present.
struct EndRecords {
    var count: UInt64
    var directoryOffset: UInt64
    var directorySize: UInt64
    /// Where the end records start (ZIP64 end record, or the classic one): the central directory ends here.
    var start: UInt64
    var zip64: Bool

    static func locate(in file: PositionalFile) throws -> EndRecords {
        let size = file.size
        guard size >= UInt64(ZipFormat.endSize) else { throw notFound(file) }
        let tailCount = Int(min(size, UInt64(ZipFormat.endSize + 0xFFFF)))
        let tailStart = size - UInt64(tailCount)
        let tail = try file.read(at: tailStart, count: tailCount, what: "end record")
        var sawSignature = false
        var found: Int?
        var pos = tailCount - ZipFormat.endSize
        while pos >= 0 {
            var r = LittleEndianReader(tail, at: pos)
            if r.u32() == ZipFormat.endSignature {
                sawSignature = true
                r.offset = pos + 20
                if pos + ZipFormat.endSize + Int(r.u16()) == tailCount {
                    found = pos
                    break
                }
            }
            pos -= 1
        }
        guard let found else {
            if sawSignature {
                throw SeqPortError.zip(.zipTrailingJunk, "bytes after the end record are not exactly the declared comment")
            }
            throw notFound(file)
        }
        var r = LittleEndianReader(tail, at: found + 4)
        let disk = r.u16(), directoryDisk = r.u16(), onDisk = r.u16(), total = r.u16()
        let directorySize = r.u32(), directoryOffset = r.u32()
        guard disk == 0, directoryDisk == 0, onDisk == total else {
            throw SeqPortError.zip(.zipMultiDisk, "archive spans several disks")
        }
        let endPos = tailStart + UInt64(found)
        var end = EndRecords(count: UInt64(total), directoryOffset: UInt64(directoryOffset),
                             directorySize: UInt64(directorySize), start: endPos, zip64: false)
        if endPos >= UInt64(ZipFormat.zip64LocatorSize) {
            let locator = try file.read(at: endPos - UInt64(ZipFormat.zip64LocatorSize), count: ZipFormat.zip64LocatorSize, what: "zip64 locator")
            var l = LittleEndianReader(locator)
            if l.u32() == ZipFormat.zip64LocatorSignature {
                try end.readZip64(locator: l, locatorPos: endPos - UInt64(ZipFormat.zip64LocatorSize), file: file,
                                  classic: (UInt64(total), UInt64(directorySize), UInt64(directoryOffset)))
            }
        }
        return end
    }

    private mutating func readZip64(locator: LittleEndianReader, locatorPos: UInt64, file: PositionalFile,
                                    classic: (count: UInt64, size: UInt64, offset: UInt64)) throws {
        var l = locator
        let endDisk = l.u32(), endOffset = l.u64(), disks = l.u32()
        guard endDisk == 0, disks <= 1 else { throw SeqPortError.zip(.zipMultiDisk, "zip64 locator says the archive spans several disks") }
        guard endOffset <= locatorPos, locatorPos - endOffset >= UInt64(ZipFormat.zip64EndSize) else {
            throw SeqPortError.zip(.zipBadZip64, "zip64 end record offset does not leave room before the locator")
        }
        var r = LittleEndianReader(try file.read(at: endOffset, count: ZipFormat.zip64EndSize, what: "zip64 end record"))
        guard r.u32() == ZipFormat.zip64EndSignature else {
            throw SeqPortError.zip(.zipBadZip64, "no zip64 end record where the locator points")
        }
        let recordSize = r.u64()
        guard recordSize >= 44, endOffset + 12 + recordSize == locatorPos else {
            throw SeqPortError.zip(.zipBadZip64, "zip64 end record size disagrees with the locator position")
        }
        r.offset += 4  // versions
        let disk = r.u32(), directoryDisk = r.u32(), onDisk = r.u64(), total = r.u64()
        let size = r.u64(), offset = r.u64()
        guard disk == 0, directoryDisk == 0, onDisk == total else {
            throw SeqPortError.zip(.zipMultiDisk, "zip64 end record says the archive spans several disks")
        }
        guard classic.count == ZipFormat.max16 || classic.count == total,
              classic.size == ZipFormat.max32 || classic.size == size,
              classic.offset == ZipFormat.max32 || classic.offset == offset else {
            throw SeqPortError.zip(.zipBadZip64, "zip64 end record disagrees with the end record")
        }
        self = EndRecords(count: total, directoryOffset: offset, directorySize: size, start: endOffset, zip64: true)
    }

    private static func notFound(_ file: PositionalFile) -> SeqPortError {
        if file.size >= 4, let head = try? file.read(at: 0, count: 4, what: "signature"),
           LittleEndianReader.u32(head) == ZipFormat.localHeaderSignature {
            return SeqPortError.zip(.zipTruncated, "archive is truncated: no end-of-central-directory record")
        }
        return SeqPortError.zip(.zipNotAZip, "not a zip archive: no end-of-central-directory record")
    }
}
