import Foundation
import SeqPortModel

/// Small whole entries compressed once and copied into the archives that hold them again — in a batch,
/// what every bundle has alike: the workbook's notes, drawings and styles, the copies of an empty
/// category. Shared by the `ZipWriter`s whose options name it, from any thread.
///
/// A hit gives exactly the bytes compressing the content again would (deflate here is deterministic for
/// an engine and level), so bundles are byte-identical with or without the cache. Content is admitted
/// the second time it is seen (a subject's own data, seen once, is never kept), up to `maxBytes`.
// @unchecked Sendable: the limits are constants; everything else is read and written only under `lock`.
public final class CompressionCache: @unchecked Sendable {
    /// Entries larger than this are never looked up (they are chunked, or rarely repeated).
    public let maxEntrySize: Int
    /// Content plus compressed bytes kept, at most.
    public let maxBytes: Int

    struct Key: Hashable {
        var level: Int32
        var engine: DeflateEngine
        var content: [UInt8]
        /// The content's hash, computed once by the thread that makes the key — never under the lock,
        /// which two jobs of a batch take for every small entry.
        let contentHash: Int

        init(level: Int32, engine: DeflateEngine, content: [UInt8]) {
            self.level = level
            self.engine = engine
            self.content = content
            var hasher = Hasher()
            content.withUnsafeBytes { hasher.combine(bytes: $0) }
            contentHash = hasher.finalize()
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(level)
            hasher.combine(engine)
            hasher.combine(contentHash)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.contentHash == b.contentHash && a.level == b.level && a.engine == b.engine && a.content == b.content
        }
    }

    struct Compressed {
        var bytes: [UInt8]
        var crc: UInt32
        var method: UInt16
    }

    private let lock = NSLock()   // guards everything below
    private var entries: [Key: Compressed] = [:]
    private var seenOnce = Set<Int>()
    private var kept = 0
    private var hitCount = 0

    /// Lookups that found their entry.
    var hits: Int {
        lock.lock()
        defer { lock.unlock() }
        return hitCount
    }

    public init(maxEntrySize: Int = 64 << 10, maxBytes: Int = 8 << 20) {
        self.maxEntrySize = maxEntrySize
        self.maxBytes = maxBytes
    }

    func lookup(_ key: Key) -> Compressed? {
        lock.lock()
        defer { lock.unlock() }
        let found = entries[key]
        if found != nil { hitCount += 1 }
        return found
    }

    /// Offers a freshly compressed entry: kept when its content was seen before and there is room.
    func offer(_ key: Key, _ compressed: Compressed) {
        let hash = key.hashValue   // cheap: the content was hashed when the key was made
        lock.lock()
        defer { lock.unlock() }
        guard kept + key.content.count + compressed.bytes.count <= maxBytes else { return }
        if seenOnce.remove(hash) != nil {
            // Compact copies: the writer's buffers have room for a whole chunk (512 KiB), which a kept
            // entry would otherwise hold on to.
            var compact = key
            compact.content = key.content.withUnsafeBufferPointer { Array($0) }
            entries[compact] = Compressed(bytes: compressed.bytes.withUnsafeBufferPointer { Array($0) }, crc: compressed.crc,
                                          method: compressed.method)
            kept += key.content.count + compressed.bytes.count
        } else {
            // Bounded: a long batch of unique contents must not grow this set without end.
            if seenOnce.count >= 100_000 { seenOnce.removeAll(keepingCapacity: true) }
            seenOnce.insert(hash)
        }
    }
}
