#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// A `ByteSink` that writes to a file descriptor through a 1 MiB buffer.
///
/// Errors (disk full, permissions) are `io.failed` naming the path. Call `close()` to flush and see
/// the last error; `deinit` flushes on a best-effort basis and closes the descriptor.
public final class FileSink: ByteSink {
    /// The path errors name.
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20

    /// Creates (or truncates) the file at `path` with mode 0644.
    public convenience init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SeqPortError.io("create", path) }
        self.init(descriptor: fd, path: path)
    }

    /// Takes ownership of an open, writable descriptor.
    public init(descriptor: Int32, path: String) {
        self.fd = descriptor
        self.path = path
        // Grows to `capacity` only for large files: a batch writes thousands of 60 KB bundles, and
        // a 1 MiB buffer each was an mmap, page faults and a munmap per bundle.
        buffer.reserveCapacity(64 << 10)
    }

    deinit {
        if fd >= 0 {
            try? flush()
            _ = POSIX.close(fd)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw SeqPortError.io("write", path, errno: EBADF) }
        if buffer.count + bytes.count > capacity {
            try flush()
            if bytes.count >= capacity {
                try writeAll(bytes)
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    /// Writes the buffer to the file.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and `fsync`s the file.
    public func sync() throws {
        try flush()
        guard fd >= 0 else { return }
        if fsync(fd) != 0 { throw SeqPortError.io("sync", path) }
    }

    /// Flushes and closes the descriptor; later writes fail.
    public func close() throws {
        guard fd >= 0 else { return }
        defer { fd = -1 }
        do { try flush() } catch {
            _ = POSIX.close(fd)
            throw error
        }
        if POSIX.close(fd) != 0 { throw SeqPortError.io("close", path) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = POSIX.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SeqPortError.io("write", path)
            }
            done += n
        }
    }
}
