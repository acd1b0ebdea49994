import CZlib
import SeqPortModel

/// Streams one entry's uncompressed bytes: `pread` 64 KiB of compressed data at a time, inflate into the
/// caller's buffer, and check every limit on the way (`ZipReader.open`).
final class ZipEntrySource: ByteSource {
    private let reader: ZipReader
    private let entry: ZipEntry
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
        unread = entry.compressedSize
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
        let n = entry.method == ZipFormat.methodStored ? try readStored(into: buffer) : try inflate(into: buffer)
        if n > 0 { try account(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
        if done { try verifyEnd() }
        return n
    }

    private func readStored(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(UInt64(buffer.count), unread))
        if want == 0 {
            done = true
            return 0
        }
        let n = try reader.file.read(at: entry.dataOffset + (entry.compressedSize - unread),
                                     into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        guard n == want else { throw SeqPortError.zip(.zipTruncated, "entry data runs past the end of the file", entry: entry.name) }
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
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
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
            try reader.file.read(at: entry.dataOffset + (entry.compressedSize - unread),
                                 into: UnsafeMutableRawBufferPointer(rebasing: buf[0..<want]))
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
        reader.inflatedTotal += UInt64(bytes.count)
        if reader.inflatedTotal > reader.limits.maxTotalUncompressedBytes {
            throw SeqPortError.zip(.zipTotalTooLarge, "archive inflates to more than \(reader.limits.maxTotalUncompressedBytes) bytes in total",
                                   entry: entry.name)
        }
        let consumed = entry.compressedSize - unread - UInt64(inputCount)
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
        guard crc == entry.crc32 else {
            throw SeqPortError.zip(.zipCRCMismatch, "CRC-32 of the data differs from the declared one", entry: entry.name)
        }
    }
}
