import Crypto
import SeqPortArchive
import SeqPortModel

/// Passes bytes on to another sink while counting them and computing their SHA-256.
public final class HashingSink: ByteSink {
    public let next: any ByteSink
    public private(set) var count = 0
    private var hasher = SHA256()

    public init(_ next: any ByteSink) { self.next = next }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        count += bytes.count
        try next.write(bytes)
    }

    /// The hex digest; call once, at the end.
    public func finalize() -> String { hex(hasher.finalize()) }
}

/// Lowercase hex of any bytes.
public func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// SHA-256 of bytes in memory, as hex.
public func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

/// A sink that only counts and hashes (for verifying an entry without keeping it).
public final class DigestSink: ByteSink {
    public private(set) var count = 0
    private var hasher = SHA256()
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { hasher.update(bufferPointer: bytes); count += bytes.count }
    public func finalize() -> String { hex(hasher.finalize()) }
}

/// Bundle entries being streamed, each through a `HashingSink`, so that their manifest entries (size and
/// SHA-256 of the uncompressed bytes) come out of `finish` in the order they were begun.
public final class HashedEntries {
    private let zip: ZipWriter
    private var open: [(path: String, entry: ZipEntryWriter, hash: HashingSink, mediaType: String?)] = []

    public init(_ zip: ZipWriter) { self.zip = zip }

    /// Begins an entry; what is written to the returned sink is counted, hashed and compressed.
    public func begin(_ path: String, compress: Bool = true, mediaType: String? = nil, level: Int32? = nil) throws -> HashingSink {
        let entry = try zip.beginEntry(path, compress: compress, level: level)
        let hash = HashingSink(entry)
        open.append((path, entry, hash, mediaType))
        return hash
    }

    /// The copies of a category in every bundle format, each a writer of `layout` on its own entry.
    public func copies(of category: String, layout: RecordLayout, levels: [BundleFormat: Int32] = [:]) throws -> [any RecordWriter] {
        try BundleFormat.allCases.map { try $0.makeWriter(layout: layout, sink: try begin(BundleLayout.data(category, $0), level: levels[$0])) }
    }

    /// Finishes every entry begun (their writers finished first) and returns their manifest entries.
    public func finish() throws -> [Manifest.FileEntry] {
        defer { open = [] }
        return try open.map { o in
            _ = try o.entry.finish()
            return .init(path: o.path, bytes: o.hash.count, sha256: o.hash.finalize(), mediaType: o.mediaType)
        }
    }
}

/// Copies a source into a sink.
public func copy(_ source: any ByteSource, to sink: any ByteSink) throws {
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return }
        try buffer.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
}
