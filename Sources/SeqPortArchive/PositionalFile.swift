#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// A read-only file read with `pread` at explicit offsets (no shared position, no mapping).
final class PositionalFile {
    let path: String
    let fd: Int32
    let size: UInt64

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SeqPortError.io("open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SeqPortError.io("stat", path)
            _ = close(fd)
            throw error
        }
        size = UInt64(info.st_size)
    }

    deinit { _ = close(fd) }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw SeqPortError.io("read", path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`, or throws `truncated` (naming `entry`) when the file ends first.
    func read(at offset: UInt64, count: Int, entry: String? = nil, what: String) throws -> [UInt8] {
        guard offset <= size, UInt64(count) <= size - offset else {
            throw SeqPortError.zip(.zipTruncated, "\(what) runs past the end of the file", entry: entry)
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { try read(at: offset, into: $0) }
        guard n == count else {
            throw SeqPortError.zip(.zipTruncated, "\(what) runs past the end of the file", entry: entry)
        }
        return bytes
    }
}
