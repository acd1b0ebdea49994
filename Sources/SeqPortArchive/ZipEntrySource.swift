import SeqPortZlib
import SeqPortModel

/// Streams one entry's uncompressed bytes: `pread` 64 KiB of compressed data at a time, inflate into the
/// caller's buffer, and check every limit on the way (`ZipReader.open`). An encrypted entry is
/// authenticated and decrypted as its bytes are read, before they are inflated.
final class ZipEntrySource: ByteSource {
    private let reader: ZipReader
    private let entry: ZipEntry
    /// The compressed (for AES: encrypted) bytes, without salt, verifier and MAC.
    private let dataStart: UInt64
    private let dataLength: UInt64
    private var cipher: WinZipAES?
    private var stream = z_stream()
    private var inflating = false
    private var input: [UInt8]
    private var inputStart = 0
    private var inputCount = 0
    /// Compressed bytes not yet read from the file.
    private var unread: UInt64
    private var produced: UInt64 = 0
    private var crc: UInt32 = 0
    private var done = false

    init(reader: ZipReader, entry: ZipEntry) throws {
        self.reader = reader
        self.entry = entry
        if let aes = entry.aes {
            guard let encryption = reader.encryption else {
                throw SeqPortError.zip(.zipEncrypted, "entry is encrypted (WinZip AES) and no passphrase was given", entry: entry.name)
            }
            let saltLength = aes.strength.saltLength
            let head = try reader.file.read(at: entry.dataOffset, count: saltLength + WinZipAES.verifierLength, entry: entry.name,
                                            what: "salt and password verifier")
            let cipher = try WinZipAES(passphrase: encryption.passphrase, salt: Array(head[0..<saltLength]), strength: aes.strength)
            guard WinZipAES.constantTimeEqual(cipher.verifier, Array(head[saltLength...])) else {
                throw SeqPortError.zip(.zipWrongPassphrase, "the passphrase is wrong (it does not match the entry's password verifier)",
                                       entry: entry.name)
            }
            self.cipher = cipher
            dataStart = entry.dataOffset + UInt64(head.count)
            dataLength = entry.compressedSize - aes.overhead
        } else {
            dataStart = entry.dataOffset
            dataLength = entry.compressedSize
        }
        unread = dataLength
        input = [UInt8](repeating: 0, count: entry.method == ZipFormat.methodDeflate ? 64 << 10 : 0)
        if entry.method == ZipFormat.methodDeflate {
            let status = inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw SeqPortError(.internalError, "zlib inflateInit2 failed with status \(status)") }
            inflating = true
        }
    }

    deinit { if inflating { inflateEnd(&stream) } }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !done, buffer.count > 0 else { return 0 }
        do {
            let n = entry.method == ZipFormat.methodStored ? try readStored(into: buffer) : try inflate(into: buffer)
            if n > 0 { try account(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
            if done { try verifyEnd() }
            return n
        } catch let error as SeqPortError where cipher != nil && error.code != .zipAuthFailed && error.code.exitClass == .archive {
            // Damaged encrypted data: say it failed authentication, when it did, rather than what inflating it found.
            try authenticateRest()
            throw error
        }
    }

    private func readStored(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(UInt64(buffer.count), unread))
        if want == 0 {
            done = true
            return 0
        }
        let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want])
        let n = try reader.file.read(at: dataStart + (dataLength - unread), into: piece)
        guard n == want else { throw SeqPortError.zip(.zipTruncated, "entry data runs past the end of the file", entry: entry.name) }
        try cipher?.decrypt(piece)
        unread -= UInt64(n)
        if unread == 0 { done = true }
        return n
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if inputCount == 0 && unread > 0 { try refill() }
            let result: (status: Int32, produced: Int) = input.withUnsafeMutableBytes { inBytes in
                stream.next_in = inBytes.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputStart
                stream.avail_in = uInt(inputCount)
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
                let before = stream.avail_out
                let status = SeqPortZlib.inflate(&stream, Z_NO_FLUSH)
                inputStart += inputCount - Int(stream.avail_in)
                inputCount = Int(stream.avail_in)
                stream.next_in = nil
                stream.next_out = nil
                return (status, Int(before - stream.avail_out))
            }
            switch result.status {
            case Z_STREAM_END:
                done = true
                return result.produced
            case Z_OK, Z_BUF_ERROR:
                if result.produced > 0 { return result.produced }
                if inputCount == 0 && unread == 0 {
                    throw SeqPortError.zip(.zipCorruptData, "deflate stream ends before its final block", entry: entry.name)
                }
            default:
                throw SeqPortError.zip(.zipCorruptData, "deflate data is corrupt", entry: entry.name)
            }
        }
    }

    private func refill() throws {
        let want = Int(min(UInt64(input.count), unread))
        let n = try input.withUnsafeMutableBytes { buf in
            let piece = UnsafeMutableRawBufferPointer(rebasing: buf[0..<want])
            let n = try reader.file.read(at: dataStart + (dataLength - unread), into: piece)
            if n == want { try cipher?.decrypt(piece) }
            return n
        }
        guard n == want else { throw SeqPortError.zip(.zipTruncated, "entry data runs past the end of the file", entry: entry.name) }
        unread -= UInt64(n)
        inputStart = 0
        inputCount = n
    }

    /// Counts and checksums output, enforcing the declared size, the archive total and the ratio.
    private func account(_ bytes: UnsafeRawBufferPointer) throws {
        produced += UInt64(bytes.count)
        crc = CRC32.update(crc, bytes)
        if produced > entry.uncompressedSize {
            throw SeqPortError.zip(.zipSizeMismatch, "data inflates to more than the declared \(entry.uncompressedSize) bytes", entry: entry.name)
        }
        if reader.addInflated(bytes.count) > reader.limits.maxTotalUncompressedBytes {
            throw SeqPortError.zip(.zipTotalTooLarge, "archive inflates to more than \(reader.limits.maxTotalUncompressedBytes) bytes in total",
                                   entry: entry.name)
        }
        let consumed = dataLength - unread - UInt64(inputCount)
        if produced > reader.limits.ratioCheckAfterBytes, produced / max(1, consumed) >= reader.limits.maxCompressionRatio {
            throw SeqPortError.zip(.zipRatioExceeded, "data inflates more than \(reader.limits.maxCompressionRatio) times its compressed size",
                                   entry: entry.name)
        }
    }

    private func verifyEnd() throws {
        if inflating {
            inflateEnd(&stream)
            inflating = false
        }
        guard produced == entry.uncompressedSize else {
            throw SeqPortError.zip(.zipSizeMismatch, "data inflates to \(produced) bytes, not the declared \(entry.uncompressedSize)", entry: entry.name)
        }
        guard unread == 0, inputCount == 0 else {
            throw SeqPortError.zip(.zipSizeMismatch, "compressed data is longer than its deflate stream", entry: entry.name)
        }
        if cipher != nil { try checkMAC() }
        // AE-2 stores 0 for the CRC-32: the MAC protects the data instead.
        guard crc == entry.crc32 || entry.aes?.vendorVersion == 2 else {
            throw SeqPortError.zip(.zipCRCMismatch, "CRC-32 of the data differs from the declared one", entry: entry.name)
        }
    }

    /// Compares the MAC after the encrypted data with the MAC of every encrypted byte read.
    private func checkMAC() throws {
        guard let cipher else { return }
        let stored = try reader.file.read(at: dataStart + dataLength, count: WinZipAES.macLength, entry: entry.name, what: "AES MAC")
        guard WinZipAES.constantTimeEqual(cipher.mac(), stored) else {
            throw SeqPortError.zip(.zipAuthFailed, "encrypted data fails authentication (HMAC-SHA1): it was changed or damaged",
                                   entry: entry.name)
        }
    }

    /// Runs the rest of the encrypted data through the MAC and checks it; throws `zip.auth-failed` when it fails.
    private func authenticateRest() throws {
        guard var cipher else { return }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while unread > 0 {
            let want = Int(min(UInt64(buffer.count), unread))
            let n = try buffer.withUnsafeMutableBytes { buf in
                try reader.file.read(at: dataStart + (dataLength - unread), into: UnsafeMutableRawBufferPointer(rebasing: buf[0..<want]))
            }
            guard n == want else { return }
            buffer.withUnsafeBytes { cipher.authenticate(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            unread -= UInt64(n)
        }
        self.cipher = cipher
        try checkMAC()
    }
}
