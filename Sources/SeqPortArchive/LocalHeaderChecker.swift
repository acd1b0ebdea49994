import SeqPortModel

/// Checks every entry's local header (and data descriptor) against the central directory, fills in
/// where the data starts, and checks the full ranges for overlaps.
struct LocalHeaderChecker {
    let file: PositionalFile
    let end: EndRecords
    /// Whether names were read with `\` as a separator (the local name is mapped the same way).
    var backslashSeparators = false

    func check(_ entries: inout [ZipEntry]) throws {
        var ranges: [(start: UInt64, end: UInt64, name: String)] = []
        for i in entries.indices {
            let rangeEnd = try check(&entries[i])
            ranges.append((entries[i].localHeaderOffset, rangeEnd, entries[i].name))
        }
        try CentralDirectoryParser.checkDisjoint(ranges)
    }

    /// Checks one entry; returns the end of its local header + data + descriptor.
    private func check(_ entry: inout ZipEntry) throws -> UInt64 {
        let name = entry.name
        func mismatch(_ what: String) -> SeqPortError {
            SeqPortError.zip(.zipLocalHeaderMismatch, "local header disagrees with the central directory: \(what)", entry: name)
        }
        let limit = end.directoryOffset
        func within(_ offset: UInt64, _ count: UInt64) throws {
            guard offset <= limit, count <= limit - offset else {
                throw SeqPortError.zip(.zipOverlapsCentralDirectory, "entry's local header or data reaches into the central directory", entry: name)
            }
        }
        try within(entry.localHeaderOffset, UInt64(ZipFormat.localHeaderSize))
        var r = LittleEndianReader(try file.read(at: entry.localHeaderOffset, count: ZipFormat.localHeaderSize, entry: name, what: "local header"))
        guard r.u32() == ZipFormat.localHeaderSignature else {
            throw SeqPortError.zip(.zipLocalHeaderMismatch, "no local header at the offset the central directory gives", entry: name)
        }
        _ = r.u16()
        let flags = r.u16(), method = r.u16()
        _ = r.u32()
        let crc = r.u32()
        var csize = UInt64(r.u32()), usize = UInt64(r.u32())
        let nameLength = Int(r.u16()), extraLength = Int(r.u16())
        let variableStart = entry.localHeaderOffset + UInt64(ZipFormat.localHeaderSize)
        try within(variableStart, UInt64(nameLength + extraLength))
        let variable = try file.read(at: variableStart, count: nameLength + extraLength, entry: name, what: "local header")
        let localName = Array(variable[0..<nameLength])
        guard (backslashSeparators ? ZipName.separatorsMapped(localName) : localName) == Array(name.utf8) else { throw mismatch("name") }
        guard flags == entry.flags else { throw mismatch("flags") }
        guard method == (entry.aes == nil ? entry.method : ZipFormat.methodAES) else { throw mismatch("compression method") }
        let extra = Array(variable[nameLength...])
        if let aes = entry.aes {
            guard let field = try Zip64Extra.field(AESExtra.id, in: extra, entry: name), try AESExtra.parse(field, entry: name) == aes else {
                throw mismatch("AES extra field")
            }
        }
        let zip64Data = try Zip64Extra.field(ZipFormat.zip64ExtraID, in: extra, entry: name)
        entry.localZip64 = zip64Data != nil
        if usize == ZipFormat.max32 || csize == ZipFormat.max32 {
            var offset: UInt64 = 0, disk: UInt64 = 0
            try Zip64Extra.apply(extra, entry: name, usize: &usize, csize: &csize, offset: &offset, disk: &disk)
        }
        entry.dataOffset = variableStart + UInt64(nameLength + extraLength)
        try within(entry.dataOffset, entry.compressedSize)
        var rangeEnd = entry.dataOffset + entry.compressedSize
        if flags & ZipFormat.flagDataDescriptor == 0 {
            guard crc == entry.crc32 else { throw mismatch("CRC-32") }
            guard csize == entry.compressedSize, usize == entry.uncompressedSize else { throw mismatch("sizes") }
        } else {
            rangeEnd += try checkDescriptor(entry, at: rangeEnd, mismatch: mismatch)
            try within(entry.localHeaderOffset, rangeEnd - entry.localHeaderOffset)
        }
        return rangeEnd
    }

    /// Checks the data descriptor after an entry's data; returns its length.
    private func checkDescriptor(_ entry: ZipEntry, at offset: UInt64, mismatch: (String) -> SeqPortError) throws -> UInt64 {
        let wide = entry.localZip64 || entry.compressedSize >= ZipFormat.max32 || entry.uncompressedSize >= ZipFormat.max32
        let available = Int(min(24, end.directoryOffset - min(offset, end.directoryOffset)))
        let bytes = try file.read(at: offset, count: available, entry: entry.name, what: "data descriptor")
        var r = LittleEndianReader(bytes)
        let sizeWidth = wide ? 8 : 4
        func need(_ n: Int) throws {
            guard r.remaining >= n else {
                throw SeqPortError.zip(.zipOverlapsCentralDirectory, "data descriptor reaches into the central directory", entry: entry.name)
            }
        }
        try need(4)
        if r.u32() != ZipFormat.dataDescriptorSignature { r.offset = 0 }
        try need(4 + 2 * sizeWidth)
        let crc = r.u32()
        let csize = wide ? r.u64() : UInt64(r.u32())
        let usize = wide ? r.u64() : UInt64(r.u32())
        guard crc == entry.crc32 else { throw mismatch("data descriptor CRC-32") }
        guard csize == entry.compressedSize, usize == entry.uncompressedSize else { throw mismatch("data descriptor sizes") }
        return UInt64(r.offset)
    }
}
