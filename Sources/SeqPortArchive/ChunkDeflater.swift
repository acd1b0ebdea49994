import SeqPortZlib
import SeqPortModel

/// Compresses independent chunks of one deflate stream (pigz style) with a reusable zlib stream.
///
/// Each chunk is raw deflate (windowBits -15) primed with the previous 32 KiB of input as a preset
/// dictionary. A chunk ends with `Z_SYNC_FLUSH` (byte-aligned, not final) unless it is the entry's last,
/// which ends with `Z_FINISH`. Concatenated in order, the chunks form one valid deflate stream, and the
/// bytes depend only on (level, dictionary, input, last) — never on which thread ran them.
final class ChunkDeflater {
    /// The preset dictionary size: deflate's window.
    static let dictionarySize = 32 << 10

    private var stream = z_stream()
    private let level: Int32

    init(level: Int32) throws {
        self.level = level
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw SeqPortError(.internalError, "zlib deflateInit2 failed with status \(status)")
        }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input` (with `dictionary` as preset history) and returns the compressed bytes.
    func compress(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, last: Bool) throws -> [UInt8] {
        guard deflateReset(&stream) == Z_OK else { throw SeqPortError(.internalError, "zlib deflateReset failed") }
        if dictionary.count > 0 {
            let status = deflateSetDictionary(&stream, dictionary.baseAddress!.assumingMemoryBound(to: Bytef.self),
                                              uInt(dictionary.count))
            guard status == Z_OK else { throw SeqPortError(.internalError, "zlib deflateSetDictionary failed") }
        }
        // deflateBound covers Z_FINISH; a sync flush adds at most a few bytes per block.
        var capacity = Int(deflateBound(&stream, uLong(input.count))) + 64
        // Uninitialised: deflate writes every byte that is kept (no memset of a chunk-sized buffer).
        var output = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        var produced = 0
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        let flush = last ? Z_FINISH : Z_SYNC_FLUSH
        while true {
            if produced == capacity {
                capacity *= 2
                output.append(contentsOf: repeatElement(0, count: capacity - output.count))
            }
            let status: Int32 = output.withUnsafeMutableBytes { out in
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                stream.avail_out = uInt(capacity - produced)
                let status = deflate(&stream, flush)
                produced = capacity - Int(stream.avail_out)
                return status
            }
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw SeqPortError(.internalError, "zlib deflate failed with status \(status)")
            }
            if !last && stream.avail_in == 0 && stream.avail_out > 0 { break }
        }
        stream.next_in = nil
        stream.next_out = nil
        output.removeLast(output.count - produced)
        return output
    }
}

/// CRC-32 helpers on zlib.
enum CRC32 {
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        var c = uLong(crc)
        var p = base.assumingMemoryBound(to: Bytef.self)
        var left = bytes.count
        while left > 0 {
            let n = min(left, 1 << 30)
            c = crc32(c, p, uInt(n))
            p += n
            left -= n
        }
        return UInt32(truncatingIfNeeded: c)
    }

    static func combine(_ a: UInt32, _ b: UInt32, lengthOfB: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_combine(uLong(a), uLong(b), off_t(lengthOfB)))
    }
}
