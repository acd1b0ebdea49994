import Crypto
import SeqPortModel

/// Passes bytes on to another sink while counting them and computing their SHA-256.
final class HashingSink: ByteSink {
    let next: any ByteSink
    private(set) var count = 0
    private var hasher = SHA256()

    init(_ next: any ByteSink) { self.next = next }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        count += bytes.count
        try next.write(bytes)
    }

    /// The hex digest; call once, at the end.
    func finalize() -> String { hex(hasher.finalize()) }
}

/// Lowercase hex of any bytes.
func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// SHA-256 of bytes in memory, as hex.
func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

/// A sink that only counts and hashes (for verifying an entry without keeping it).
final class DigestSink: ByteSink {
    private(set) var count = 0
    private var hasher = SHA256()
    func write(_ bytes: UnsafeRawBufferPointer) throws { hasher.update(bufferPointer: bytes); count += bytes.count }
    func finalize() -> String { hex(hasher.finalize()) }
}
