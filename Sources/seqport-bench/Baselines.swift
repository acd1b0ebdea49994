import SeqPortZlib
import Foundation
import SeqPortArchive
import SeqPortModel

/// The same-bytes baselines: what one thread of plain zlib does with exactly the bundle's entries.
struct ZlibBaseline {
    /// Uncompressed bytes of every entry.
    var bytes = 0
    /// Seconds spent inside `deflate` (level 6, raw, one stream per entry, one thread).
    var deflateSeconds = 0.0
    /// CPU seconds of that deflate (thread CPU time: what it costs whatever else the machine runs).
    var deflateCPUSeconds = 0.0
    /// Compressed size zlib produced.
    var deflatedBytes = 0
    /// Seconds to read every entry back through `ZipReader` (inflate and CRC-32, one thread).
    var inflateSeconds = 0.0

    var deflateMBps: Double { Double(bytes) / 1e6 / deflateSeconds }
    var inflateMBps: Double { Double(bytes) / 1e6 / inflateSeconds }

    /// Reads each entry of the bundle back (inflate timed separately) and times a single-threaded
    /// level-6 deflate of exactly those bytes.
    static func measure(bundle path: String) throws -> ZlibBaseline {
        var result = ZlibBaseline()
        let zip = try ZipReader(path: path)
        // Entries are streamed in 1 MiB pieces so this process stays small (its RSS must not leak into
        // the children's measurements); only the deflate calls are timed.
        var piece = [UInt8](repeating: 0, count: 1 << 20)
        var output = [UInt8](repeating: 0, count: 1 << 20)
        for entry in zip.entries {
            let source = try zip.open(entry)
            var stream = z_stream()
            guard deflateInit2_(&stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw BenchError("deflateInit2 failed") }
            defer { deflateEnd(&stream) }
            var finished = false
            while !finished {
                var n = 0
                result.inflateSeconds += try timed { n = try piece.withUnsafeMutableBytes { try source.read(into: $0) } }
                result.bytes += n
                let flush = n == 0 ? Z_FINISH : Z_NO_FLUSH
                var produced = 0
                var cpu = 0.0
                result.deflateSeconds += try timed { cpu = try threadCPU {
                    try piece.withUnsafeMutableBytes { input in
                        stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                        stream.avail_in = uInt(n)
                        try output.withUnsafeMutableBytes { out in
                            repeat {
                                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                                stream.avail_out = uInt(out.count)
                                let status = deflate(&stream, flush)
                                produced += out.count - Int(stream.avail_out)
                                if status == Z_STREAM_END { finished = true; break }
                                guard status == Z_OK || status == Z_BUF_ERROR else { throw BenchError("deflate failed: \(status)") }
                            } while stream.avail_out == 0 || (flush == Z_FINISH)
                        }
                    }
                } }
                result.deflateCPUSeconds += cpu
                result.deflatedBytes += produced
            }
        }
        return result
    }
}
