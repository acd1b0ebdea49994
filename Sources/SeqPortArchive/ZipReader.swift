import SeqPortModel

/// A strict ZIP reader for archives from strangers (`Specs/zip.md`).
///
/// `init` reads and checks the end records, the whole central directory and every local header, and
/// refuses anything unsafe or inconsistent before a byte is inflated: bad or duplicate names, special
/// files, encryption, unknown methods, overlaps, lying ZIP64 fields, limits. `open` then inflates one
/// entry at a time with `pread` and 64 KiB buffers, checking size, ratio, total and CRC-32 as it goes.
///
/// ```swift
/// let zip = try ZipReader(path: "bundle.zip")
/// guard let entry = zip.entry(named: "manifest.json") else { ... }
/// let manifest = try zip.readAll(entry, maxBytes: 1 << 20)
/// ```
///
/// Errors are `SeqPortError`s of class `.archive` whose location names the entry.
public final class ZipReader {
    /// The entries in central-directory order.
    public private(set) var entries: [ZipEntry] = []
    public let limits: ZipLimits
    let file: PositionalFile
    private var byName: [String: Int] = [:]
    /// Bytes inflated so far by every source this reader opened (checked against the total limit).
    var inflatedTotal: UInt64 = 0

    /// Opens and checks the archive at `path`.
    /// - Throws: `io.failed` when the file cannot be read; a `zip.*` code when the archive is refused.
    public init(path: String, limits: ZipLimits = .default) throws {
        self.limits = limits
        file = try PositionalFile(path: path)
        let end = try EndRecords.locate(in: file)
        guard end.count <= UInt64(limits.maxEntries) else {
            throw SeqPortError.zip(.zipTooManyEntries, "archive has \(end.count) entries, over the limit of \(limits.maxEntries)")
        }
        var parsed = try CentralDirectoryParser(file: file, end: end, limits: limits).parse()
        try LocalHeaderChecker(file: file, end: end).check(&parsed)
        entries = parsed
        for (index, entry) in entries.enumerated() { byName[entry.name] = index }
    }

    /// The entry with exactly this name.
    public func entry(named name: String) -> ZipEntry? {
        byName[name].map { entries[$0] }
    }

    /// A source of the entry's uncompressed bytes. It throws, while reading, when the data inflates past
    /// the declared size, the ratio or the archive's total limit, and at the end when the CRC-32 or a
    /// size is wrong. Read it to the end (until `read` returns 0) to have the CRC checked.
    public func open(_ entry: ZipEntry) throws -> any ByteSource {
        guard let index = byName[entry.name], entries[index] == entry else {
            throw SeqPortError.zip(.zipWriterState, "entry does not belong to this archive", entry: entry.name)
        }
        return try ZipEntrySource(reader: self, entry: entries[index])
    }

    /// The whole uncompressed entry, refused with `zip.entry-too-large` when it declares more than `maxBytes`.
    public func readAll(_ entry: ZipEntry, maxBytes: Int) throws -> [UInt8] {
        guard entry.uncompressedSize <= UInt64(max(0, maxBytes)) else {
            throw SeqPortError.zip(.zipEntryTooLarge, "entry declares \(entry.uncompressedSize) bytes, over the caller's limit of \(maxBytes)",
                                   entry: entry.name)
        }
        let source = try open(entry)
        var bytes = [UInt8](repeating: 0, count: Int(entry.uncompressedSize))
        var filled = 0
        var scratch = [UInt8](repeating: 0, count: 1)
        while true {
            let n: Int
            if filled < bytes.count {
                n = try bytes.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            } else {
                // The source checks the CRC and the sizes when it reaches the end.
                n = try scratch.withUnsafeMutableBytes { try source.read(into: $0) }
            }
            if n == 0 { break }
            filled += n
        }
        return bytes
    }
}

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
