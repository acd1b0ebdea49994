import Foundation
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
    /// Sources may run on different threads (verify reads a copy on its own thread): guarded.
    private var inflated: UInt64 = 0
    private let inflatedLock = NSLock()

    /// Adds `count` to the bytes inflated so far and returns the new total.
    func addInflated(_ count: Int) -> UInt64 {
        inflatedLock.lock()
        defer { inflatedLock.unlock() }
        inflated += UInt64(count)
        return inflated
    }

    /// The passphrase WinZip AES entries are decrypted with, if one was given.
    let encryption: ZipEncryption?

    /// Opens and checks the archive at `path`.
    /// - Parameters:
    ///   - passphrase: decrypts WinZip AES entries (AE-1 and AE-2, `Specs/encryption.md`). Without it an
    ///     AES entry is refused with `zip.encrypted`; traditional PKWARE encryption is always refused.
    /// - Throws: `io.failed` when the file cannot be read; a `zip.*` code when the archive is refused.
    public convenience init(path: String, limits: ZipLimits = .default, passphrase: String?) throws {
        try self.init(path: path, limits: limits, encryption: passphrase.map { ZipEncryption(passphrase: $0) })
    }

    /// Opens and checks the archive at `path`, decrypting WinZip AES entries with `encryption` when given.
    /// - Throws: `io.failed` when the file cannot be read; a `zip.*` code when the archive is refused.
    public init(path: String, limits: ZipLimits = .default, encryption: ZipEncryption? = nil) throws {
        self.limits = limits
        self.encryption = encryption
        file = try PositionalFile(path: path)
        let end = try EndRecords.locate(in: file)
        guard end.count <= UInt64(limits.maxEntries) else {
            throw SeqPortError.zip(.zipTooManyEntries, "archive has \(end.count) entries, over the limit of \(limits.maxEntries)")
        }
        var parsed = try CentralDirectoryParser(file: file, end: end, limits: limits, canDecrypt: encryption != nil).parse()
        try LocalHeaderChecker(file: file, end: end, backslashSeparators: limits.acceptsBackslashSeparators).check(&parsed)
        entries = parsed
        for (index, entry) in entries.enumerated() { byName[entry.name] = index }
    }

    /// Reads the archive as if the folder `prefix` (ending in `/`) were its root: entries under it lose the
    /// prefix, the folder's own entry and every entry outside it are left out. For archives that
    /// operating systems make by zipping a folder (Windows "Compressed folder", macOS "Compress",
    /// `zip -r folder`), which put every entry under one top folder.
    public func reroot(under prefix: String) {
        entries = entries.compactMap { entry in
            guard entry.name.hasPrefix(prefix), entry.name.count > prefix.count else { return nil }
            var e = entry
            e.name = String(entry.name.dropFirst(prefix.count))
            return e
        }
        byName = [:]
        for (index, entry) in entries.enumerated() { byName[entry.name] = index }
    }

    /// The entry with exactly this name.
    public func entry(named name: String) -> ZipEntry? {
        byName[name].map { entries[$0] }
    }

    /// A source of the entry's uncompressed bytes. It throws, while reading, when the data inflates past
    /// the declared size, the ratio or the archive's total limit, and at the end when the CRC-32 or a
    /// size is wrong. Read it to the end (until `read` returns 0) to have the CRC checked.
    ///
    /// An encrypted entry is refused here with `zip.wrong-passphrase` when its password verifier does not
    /// match; its MAC is checked when the data ends (`zip.auth-failed`), and before any other complaint
    /// about damaged data, so tampering is reported as such.
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
