import SeqPortModel

/// Reads the central directory record by record and applies every rule that needs only the directory:
/// names, duplicates, methods, encryption, file types, limits, ZIP64 fields, ranges and overlaps.
struct CentralDirectoryParser {
    let file: PositionalFile
    let end: EndRecords
    let limits: ZipLimits
    /// Whether the caller gave a passphrase: without one, WinZip AES entries are refused here.
    var canDecrypt = false

    func parse() throws -> [ZipEntry] {
        let directoryEnd = end.directoryOffset.addingReportingOverflow(end.directorySize)
        guard !directoryEnd.overflow, directoryEnd.partialValue <= end.start else {
            throw SeqPortError.zip(end.zip64 ? .zipBadZip64 : .zipBadCentralDirectory,
                                   "central directory runs past the end record")
        }
        if directoryEnd.partialValue < end.start {
            throw gapError(before: end.start - directoryEnd.partialValue)
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(end.count))
        var keys: [String: String] = [:]
        var total: UInt64 = 0
        var position = end.directoryOffset
        for _ in 0..<end.count {
            guard end.directoryOffset + end.directorySize - position >= UInt64(ZipFormat.centralHeaderSize) else {
                throw countError("central directory holds fewer records than the end record declares")
            }
            let (entry, length) = try record(at: position, directoryEnd: directoryEnd.partialValue)
            position += length
            if let other = keys.updateValue(entry.name, forKey: ZipName.collisionKey(entry.name)) {
                throw SeqPortError.zip(.zipDuplicateName, "name collides with \"\(ZipName.printable(other))\" (same after normalisation and case folding)",
                                       entry: entry.name)
            }
            total += entry.uncompressedSize
            guard total <= limits.maxTotalUncompressedBytes else {
                throw SeqPortError.zip(.zipTotalTooLarge, "entries declare more than \(limits.maxTotalUncompressedBytes) bytes in total",
                                       entry: entry.name)
            }
            entries.append(entry)
        }
        guard position == directoryEnd.partialValue else {
            throw countError("central directory size disagrees with its records")
        }
        if entries.isEmpty, end.directoryOffset != 0 {
            throw SeqPortError.zip(.zipLeadingJunk, "bytes before the central directory of an empty archive")
        }
        try checkOverlaps(entries)
        return entries
    }

    /// One record: the entry and the record's length.
    private func record(at position: UInt64, directoryEnd: UInt64) throws -> (ZipEntry, UInt64) {
        var r = LittleEndianReader(try file.read(at: position, count: ZipFormat.centralHeaderSize, what: "central directory"))
        guard r.u32() == ZipFormat.centralHeaderSignature else {
            throw countError("central directory record has a bad signature")
        }
        let madeBy = r.u16()
        _ = r.u16()
        let flags = r.u16(), method = r.u16()
        _ = r.u32()  // time, date
        let crc = r.u32(), size32 = r.u32(), usize32 = r.u32()
        let nameLength = Int(r.u16()), extraLength = Int(r.u16()), commentLength = Int(r.u16())
        let disk16 = r.u16()
        _ = r.u16()
        let external = r.u32(), offset32 = r.u32()
        let length = UInt64(ZipFormat.centralHeaderSize + nameLength + extraLength + commentLength)
        guard directoryEnd - position >= length else {
            throw SeqPortError.zip(.zipBadCentralDirectory, "central directory record runs past the directory's end")
        }
        let variable = try file.read(at: position + UInt64(ZipFormat.centralHeaderSize), count: nameLength + extraLength,
                                     what: "central directory")
        let nameBytes = Array(variable[0..<nameLength])
        let name = try ZipName.validate(nameBytes, maxBytes: limits.maxNameBytes, backslashSeparators: limits.acceptsBackslashSeparators)
        let aes = try encryption(flags: flags, method: method, extra: Array(variable[nameLength...]), name: name)
        guard method == ZipFormat.methodStored || method == ZipFormat.methodDeflate || aes != nil else {
            throw SeqPortError.zip(.zipUnsupportedMethod, "compression method \(method) is not supported (only 0 and 8)", entry: name)
        }
        var entry = ZipEntry(name: name, method: aes?.method ?? method, crc32: crc, compressedSize: UInt64(size32),
                             uncompressedSize: UInt64(usize32), localHeaderOffset: UInt64(offset32), flags: flags,
                             isDirectory: name.hasSuffix("/"))
        entry.aes = aes
        var disk = UInt64(disk16)
        try Zip64Extra.apply(Array(variable[nameLength...]), entry: name,
                             usize: &entry.uncompressedSize, csize: &entry.compressedSize,
                             offset: &entry.localHeaderOffset, disk: &disk)
        guard disk == 0 else { throw SeqPortError.zip(.zipMultiDisk, "entry starts on another disk", entry: name) }
        if entry.localHeaderOffset >= file.size {
            throw SeqPortError.zip(offset32 == UInt32.max ? .zipBadZip64 : .zipBadCentralDirectory,
                                   "local header offset is past the end of the file", entry: name)
        }
        try checkKind(entry, madeBy: madeBy, external: external)
        try checkSizes(entry)
        return (entry, length)
    }

    /// The entry's WinZip AES field when it is AES-encrypted and can be read; refuses every other
    /// encryption (traditional PKWARE "ZipCrypto", PKWARE strong encryption) and AES without a passphrase.
    private func encryption(flags: UInt16, method: UInt16, extra: [UInt8], name: String) throws -> AESExtra? {
        if flags & ZipFormat.flagStrongEncryption != 0 {
            throw SeqPortError.zip(.zipEncrypted, "entry uses PKWARE strong encryption, which is not supported", entry: name)
        }
        guard method == ZipFormat.methodAES else {
            if flags & ZipFormat.flagEncrypted != 0 {
                throw SeqPortError.zip(.zipEncrypted, "entry uses traditional PKWARE encryption (ZipCrypto), which is not supported (only WinZip AES)",
                                       entry: name)
            }
            return nil
        }
        guard flags & ZipFormat.flagEncrypted != 0 else {
            throw SeqPortError.zip(.zipEncrypted, "entry has method 99 (AES) but not the encryption flag", entry: name)
        }
        guard let data = try Zip64Extra.field(AESExtra.id, in: extra, entry: name) else {
            throw SeqPortError.zip(.zipEncrypted, "entry has method 99 (AES) but no AES extra field", entry: name)
        }
        let aes = try AESExtra.parse(data, entry: name)
        guard canDecrypt else {
            throw SeqPortError.zip(.zipEncrypted, "entry is encrypted (WinZip AES) and no passphrase was given", entry: name)
        }
        return aes
    }

    private func checkKind(_ entry: ZipEntry, madeBy: UInt16, external: UInt32) throws {
        let host = madeBy >> 8
        if host == ZipFormat.hostUNIX || host == 19 {
            let type = (external >> 16) & 0o170000
            switch type {
            case 0, 0o100000, 0o040000: break
            case 0o120000: throw SeqPortError.zip(.zipSpecialFile, "entry is a symbolic link", entry: entry.name)
            default: throw SeqPortError.zip(.zipSpecialFile, "entry is a device, FIFO or socket", entry: entry.name)
            }
            if type == 0o040000 && !entry.isDirectory {
                throw SeqPortError.zip(.zipSpecialFile, "entry is a directory whose name does not end in '/'", entry: entry.name)
            }
        }
        if entry.isDirectory && (entry.uncompressedSize != 0 || entry.compressedSize > 2 + (entry.aes?.overhead ?? 0)) {
            throw SeqPortError.zip(.zipDirectoryWithData, "directory entry carries data", entry: entry.name)
        }
    }

    private func checkSizes(_ entry: ZipEntry) throws {
        if entry.uncompressedSize > limits.maxEntryUncompressedBytes {
            throw SeqPortError.zip(.zipEntryTooLarge, "entry declares \(entry.uncompressedSize) bytes, over the limit of \(limits.maxEntryUncompressedBytes)",
                                   entry: entry.name)
        }
        if entry.uncompressedSize > limits.ratioCheckAfterBytes,
           entry.compressedSize == 0 || entry.uncompressedSize / entry.compressedSize >= limits.maxCompressionRatio {
            throw SeqPortError.zip(.zipRatioExceeded, "entry declares a compression ratio over the limit of \(limits.maxCompressionRatio)",
                                   entry: entry.name)
        }
        let overhead = entry.aes?.overhead ?? 0
        if entry.compressedSize < overhead {
            throw SeqPortError.zip(.zipSizeMismatch, "encrypted entry is shorter than its salt, password verifier and MAC", entry: entry.name)
        }
        if entry.method == ZipFormat.methodStored && entry.compressedSize - overhead != entry.uncompressedSize {
            throw SeqPortError.zip(.zipSizeMismatch, "stored entry has different compressed and uncompressed sizes", entry: entry.name)
        }
    }

    /// Ranges known from the directory alone: [local header, end of data) with the shortest possible header.
    private func checkOverlaps(_ entries: [ZipEntry]) throws {
        var ranges: [(start: UInt64, end: UInt64, name: String)] = []
        for entry in entries {
            let (end, overflow) = entry.localHeaderOffset.addingReportingOverflow(
                UInt64(ZipFormat.localHeaderSize + entry.name.utf8.count) &+ entry.compressedSize)
            guard !overflow, end <= self.end.directoryOffset else {
                throw SeqPortError.zip(.zipOverlapsCentralDirectory, "entry's local header or data reaches into the central directory",
                                       entry: entry.name)
            }
            ranges.append((entry.localHeaderOffset, end, entry.name))
        }
        try Self.checkDisjoint(ranges)
    }

    static func checkDisjoint(_ ranges: [(start: UInt64, end: UInt64, name: String)]) throws {
        let sorted = ranges.sorted { $0.start < $1.start }
        if let first = sorted.first, first.start != 0 {
            throw SeqPortError.zip(.zipLeadingJunk, "bytes before the first local header", entry: first.name)
        }
        for i in sorted.indices.dropFirst() where sorted[i].start < sorted[i - 1].end {
            throw SeqPortError.zip(.zipOverlappingEntries, "entry overlaps entry \"\(ZipName.printable(sorted[i - 1].name))\"",
                                   entry: sorted[i].name)
        }
    }

    private func countError(_ message: String) -> SeqPortError {
        SeqPortError.zip(end.zip64 ? .zipBadZip64 : .zipBadCentralDirectory, message)
    }

    /// Bytes between the central directory's end and the end record: junk in front shifts every offset.
    private func gapError(before start: UInt64) -> SeqPortError {
        let head = try? file.read(at: 0, count: 4, what: "signature")
        let sig = head.map { LittleEndianReader.u32($0) }
        if sig != ZipFormat.localHeaderSignature && sig != ZipFormat.centralHeaderSignature && sig != ZipFormat.endSignature {
            return SeqPortError.zip(.zipLeadingJunk, "bytes before the first local header (offsets are shifted)")
        }
        return SeqPortError.zip(.zipTrailingJunk, "bytes between the central directory and the end record")
    }
}
