#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// A `ByteSource` reading a file from start to end; closes the descriptor in `deinit`.
public final class FileSource: ByteSource {
    /// The path errors name.
    public let path: String
    private let fd: Int32

    /// Opens `path` for reading.
    /// - Throws: `io.failed` when the file cannot be opened.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SeqPortError.io("open", path) }
    }

    deinit { _ = close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = POSIX.read(fd, buffer.baseAddress!, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw SeqPortError.io("read", path) }
        }
    }
}
