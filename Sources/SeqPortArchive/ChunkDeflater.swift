import CLibDeflate
import SeqPortZlib
import SeqPortModel

/// The deflate implementation a `ZipWriter` compresses with. Both write standard deflate (method 8) that
/// every ZIP reader opens; for a given engine, level and chunk size the bytes depend only on the input.
public enum DeflateEngine: String, Sendable, CaseIterable {
    /// libdeflate (Debian libdeflate0): at level 6 about 1.6× less CPU than zlib and 5–15% smaller
    /// output on bundle data (Specs/benchmarks.md). Each chunk is compressed on its own (libdeflate has
    /// no preset dictionary); chunks are joined into one stream as described in `ChunkDeflater`.
    case libdeflate
    /// zlib, each chunk primed with the previous 32 KiB of input (pigz's construction).
    case zlib
}

/// Compresses independent chunks of one deflate stream (pigz style) with a reusable compressor.
///
/// Concatenated in order, the chunks form one valid raw deflate stream, and a chunk's bytes depend only
/// on (engine, level, dictionary, input, last) — never on which thread ran it.
///
/// - zlib: raw deflate primed with the previous 32 KiB of input as a preset dictionary, ended by
///   `Z_SYNC_FLUSH` (byte-aligned, not final) unless it is the entry's last, which ends with `Z_FINISH`.
/// - libdeflate: compresses whole buffers only, and always marks its last block final. A chunk that is
///   not the entry's last is therefore rewritten to end as a sync flush would: zlib's inflate walks the
///   chunk's blocks with `Z_BLOCK` (which also proves the chunk decodes) to find where the final block
///   starts and how many padding bits follow its end; the final bit is cleared and an empty stored block
///   (3 zero header bits, padding, `00 00 FF FF`) is appended, so the next chunk starts on a byte. The
///   walk costs about an eighth of the compression (it decodes symbols, it never copies matches out).
final class ChunkDeflater {
    /// The preset dictionary size: deflate's window.
    static let dictionarySize = 32 << 10

    let engine: DeflateEngine
    /// The level `compress` uses when it is given none.
    let level: Int32
    private var stream = z_stream()
    private var streamLevel: Int32?
    /// libdeflate compressors by level, made when first needed (an entry may ask for its own level).
    private var compressors: [Int32: OpaquePointer] = [:]
    private var walker: BlockWalker?

    init(level: Int32, engine: DeflateEngine = .libdeflate) throws {
        self.level = level
        self.engine = engine
        switch engine {
        case .zlib: try zlibStream(level: level)
        case .libdeflate: _ = try compressor(level: level)
        }
    }

    deinit {
        if streamLevel != nil { deflateEnd(&stream) }
        for compressor in compressors.values { libdeflate_free_compressor(compressor) }
    }

    private func compressor(level: Int32) throws -> OpaquePointer {
        if let made = compressors[level] { return made }
        // libdeflate's levels run 0–12; 1–9 mean what zlib's do, 0 stores.
        guard let made = libdeflate_alloc_compressor(level) else {
            throw SeqPortError(.internalError, "libdeflate could not allocate a level \(level) compressor")
        }
        compressors[level] = made
        return made
    }

    private func zlibStream(level: Int32) throws {
        if streamLevel == level { return }
        if streamLevel != nil { deflateEnd(&stream) }
        streamLevel = nil
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw SeqPortError(.internalError, "zlib deflateInit2 failed with status \(status)")
        }
        streamLevel = level
    }

    /// Compresses `input` (with `dictionary` as preset history where the engine uses one) at `level`
    /// (default: the deflater's) and returns the compressed bytes.
    func compress(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, last: Bool, level: Int32? = nil) throws -> [UInt8] {
        switch engine {
        case .zlib:
            try zlibStream(level: level ?? self.level)
            return try compressWithZlib(input, dictionary: dictionary, last: last)
        case .libdeflate: return try compressWithLibdeflate(input, last: last, compressor: try compressor(level: level ?? self.level))
        }
    }

    private func compressWithLibdeflate(_ input: UnsafeRawBufferPointer, last: Bool, compressor: OpaquePointer) throws -> [UInt8] {
        let bound = libdeflate_deflate_compress_bound(compressor, input.count)
        // Room for the empty stored block a chunk that is not the last gets (at most 5 bytes).
        let capacity = bound + 8
        var produced = 0
        var output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            produced = libdeflate_deflate_compress(compressor, input.baseAddress, input.count, buffer.baseAddress, bound)
            count = produced
        }
        guard produced > 0 else { throw SeqPortError(.internalError, "libdeflate produced no output within its own bound") }
        if last { return output }
        let walker = try self.walker ?? BlockWalker()
        self.walker = walker
        let shape = try output.withUnsafeBytes { try walker.walk($0) }
        // Not final: clear the final block's BFINAL bit (the first of its header).
        output[shape.finalBlockStart >> 3] &= ~UInt8(1 << (shape.finalBlockStart & 7))
        // Padding after the end-of-block code is zero; make sure, then an empty stored block: its 3
        // header bits (all zero) go where the stream ended, then padding to the byte, then LEN/NLEN.
        let unused = shape.unusedBitsInLastByte
        if unused > 0 { output[output.count - 1] &= UInt8((1 << (8 - unused)) - 1) }
        if unused < 3 { output.append(0) }
        output.append(contentsOf: [0x00, 0x00, 0xFF, 0xFF] as [UInt8])
        return output
    }

    private func compressWithZlib(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, last: Bool) throws -> [UInt8] {
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

/// Walks a complete raw deflate stream block by block with zlib's `inflate(Z_BLOCK)`, as zlib's own
/// `examples/zran.c` finds block boundaries: after each end-of-block code `data_type` has bit 7 set,
/// bit 6 when that block was the final one, and the count of unused bits of the last input byte.
final class BlockWalker {
    struct Shape {
        /// Bit offset of the final block's header (its BFINAL bit).
        var finalBlockStart: Int
        /// Padding bits after the final block's end-of-block code, in the stream's last byte (0–7).
        var unusedBitsInLastByte: Int
    }

    private var stream = z_stream()
    /// Decoded bytes land here and are thrown away; inflate keeps its own window for back-references.
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)

    init() throws {
        let status = inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw SeqPortError(.internalError, "zlib inflateInit2 failed with status \(status)") }
    }

    deinit { inflateEnd(&stream) }

    func walk(_ deflated: UnsafeRawBufferPointer) throws -> Shape {
        guard inflateReset(&stream) == Z_OK, let base = deflated.baseAddress else {
            throw SeqPortError(.internalError, "zlib inflateReset failed")
        }
        let start = base.assumingMemoryBound(to: Bytef.self)
        stream.next_in = UnsafeMutablePointer(mutating: start)
        stream.avail_in = uInt(deflated.count)
        defer { stream.next_in = nil; stream.next_out = nil }
        var blockStart = 0
        var end: Shape?
        while true {
            let status: Int32 = scratch.withUnsafeMutableBytes { out in
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_BLOCK)
            }
            let bits = Int(stream.data_type)
            if bits & 128 != 0 {
                let position = (UnsafePointer(stream.next_in) - start) * 8 - (bits & 7)
                if bits & 64 == 0 {
                    blockStart = position
                } else if end == nil {
                    end = Shape(finalBlockStart: blockStart, unusedBitsInLastByte: bits & 7)
                }
            }
            if status == Z_STREAM_END { break }
            guard status == Z_OK else {
                throw SeqPortError(.internalError, "a compressed chunk does not decode (zlib inflate status \(status))")
            }
        }
        guard let end, stream.avail_in == 0 else {
            throw SeqPortError(.internalError, "a compressed chunk does not end where its final block does")
        }
        return end
    }
}

/// CRC-32 helpers: libdeflate's (carry-less multiply where the CPU has it) and zlib's combine.
enum CRC32 {
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return libdeflate_crc32(crc, base, bytes.count)
    }

    static func combine(_ a: UInt32, _ b: UInt32, lengthOfB: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_combine(uLong(a), uLong(b), off_t(lengthOfB)))
    }
}
