import Crypto
import SeqPortModel

/// A source that counts and hashes every byte read through it, so one pass over an entry both
/// parses it and checks its checksum.
public final class DigestingSource: ByteSource {
    public let base: any ByteSource
    public private(set) var count = 0
    private var hasher = SHA256()

    public init(_ base: any ByteSource) { self.base = base }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        if n > 0 {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            count += n
        }
        return n
    }

    /// Reads whatever the parser left (trailing whitespace) and returns the hex digest.
    public func drainAndFinalize() throws -> String {
        var scratch = [UInt8](repeating: 0, count: 64 << 10)
        while try scratch.withUnsafeMutableBytes({ try read(into: $0) }) > 0 {}
        return hex(hasher.finalize())
    }
}
