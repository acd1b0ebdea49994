import SeqPortModel

/// An entry's content compressed once, to be added to many archives (`ZipWriter.addEntry(_:precompressed:)`)
/// — in a batch, the schema files every bundle holds. Its bytes are exactly those `addEntry(_:bytes:)`
/// would write with the same options (same chunking, same stored fallback), so a bundle is byte-identical
/// whether an entry was compressed for it or copied from here.
public struct PrecompressedEntry: Sendable {
    let compressed: [UInt8]
    let crc: UInt32
    let uncompressedSize: Int
    let method: UInt16
    let level: Int32
    let engine: DeflateEngine
    let chunkSize: Int

    /// The uncompressed size.
    public var size: Int { uncompressedSize }

    /// Compresses `content` as a `ZipWriter` with `options` would (its level, engine and chunk size).
    public init(_ content: [UInt8], options: ZipWriter.Options) throws {
        let writerOptions = ZipWriter.normalized(options)
        let (level, engine, chunkSize) = (writerOptions.level, writerOptions.engine, writerOptions.chunkSize)
        (self.level, self.engine, self.chunkSize) = (level, engine, chunkSize)
        uncompressedSize = content.count
        let deflater = try ChunkDeflater(level: level, engine: engine)
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        var crc: UInt32 = 0
        var method = ZipFormat.methodDeflate
        var out: [UInt8] = []
        try content.withUnsafeBytes { all in
            crc = CRC32.update(0, all)
            if all.count < chunkSize {
                // One piece, stored when deflate does not shrink it (`compressInline`).
                let deflated = try deflater.compress(all, dictionary: none, last: true)
                if deflated.count >= all.count {
                    method = ZipFormat.methodStored
                    out = content
                } else {
                    out = deflated
                }
                return
            }
            // Full chunks, then the rest (empty when the size is a multiple of the chunk size), as
            // `write` and `finishEntry` cut them.
            var start = 0
            while true {
                let end = min(start + chunkSize, all.count)
                let last = all.count - start < chunkSize
                let dictionary = engine == .zlib && start > 0
                    ? UnsafeRawBufferPointer(rebasing: all[max(0, start - ChunkDeflater.dictionarySize)..<start]) : none
                out += try deflater.compress(UnsafeRawBufferPointer(rebasing: all[start..<end]), dictionary: dictionary, last: last)
                if last { break }
                start = end
            }
        }
        compressed = out
        self.crc = crc
        self.method = method
    }
}
