import SeqPortModel

/// A source over bytes in memory that returns them in reads of the sizes given, in turn (swift-nio's
/// `ByteToMessageDecoderVerifier` idea): `[1]` drip-feeds one byte at a time, `[7]` seven at a time,
/// `[1, 64, 3]` cycles. A reader must give the same records, and the same error at the same place,
/// whatever the sizes.
public final class ChunkingSource: ByteSource {
    private let bytes: [UInt8]
    private let sizes: [Int]
    private var offset = 0
    private var turn = 0
    /// How many reads returned bytes.
    public private(set) var reads = 0

    public init(_ bytes: [UInt8], sizes: [Int]) {
        precondition(!sizes.isEmpty && sizes.allSatisfy { $0 > 0 })
        self.bytes = bytes
        self.sizes = sizes
    }

    public convenience init(_ bytes: [UInt8], chunk: Int) {
        self.init(bytes, sizes: [chunk])
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, sizes[turn % sizes.count], bytes.count - offset)
        guard n > 0 else { return 0 }
        turn += 1
        reads += 1
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
