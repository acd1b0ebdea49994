/// The writer's bookkeeping for one entry from `beginEntry` until its bytes are in the archive.
final class EntryState {
    let name: String
    let nameBytes: [UInt8]
    let compress: Bool
    let spool: EntrySpool

    /// Input not yet handed to the pool (less than one chunk).
    var input: [UInt8] = []
    /// The last 32 KiB of the previous chunk's input: the next chunk's preset dictionary.
    var dictionary: [UInt8] = []
    /// Chunks submitted, and chunks collected back in order.
    var submitted = 0
    var collected = 0
    /// Finished chunks waiting for their turn (guarded by the pool's lock).
    var completed: [Int: ChunkJob] = [:]

    var crc: UInt32 = 0
    var uncompressedSize: UInt64 = 0
    var compressedSize: UInt64 = 0
    var method: UInt16 = ZipFormat.methodDeflate
    var finished = false
    /// The deflate level of this entry (the writer's unless `beginEntry` named one).
    var level: Int32 = 6

    init(name: String, compress: Bool, spool: EntrySpool) {
        self.name = name
        self.nameBytes = Array(name.utf8)
        self.compress = compress
        self.spool = spool
        method = compress ? ZipFormat.methodDeflate : ZipFormat.methodStored
    }

    var info: ZipEntryInfo {
        ZipEntryInfo(name: name, crc32: crc, uncompressedSize: uncompressedSize, compressedSize: compressedSize, method: method)
    }
}
