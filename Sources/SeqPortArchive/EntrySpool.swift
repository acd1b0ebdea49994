#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// Holds an entry's compressed bytes until the entry's turn in the archive: in memory up to a limit,
/// then in an unlinked temporary file (gone when the descriptor closes, even after a crash).
final class EntrySpool {
    private var memory: [UInt8] = []
    private var fd: Int32 = -1
    private var fileBytes = 0
    private let limit: Int
    private let directory: String

    init(memoryLimit: Int, directory: String) {
        limit = memoryLimit
        self.directory = directory
    }

    deinit { if fd >= 0 { _ = close(fd) } }

    /// Whether the bytes moved to a temporary file.
    var isSpilled: Bool { fd >= 0 }

    /// Bytes held so far.
    var count: Int { fd >= 0 ? fileBytes : memory.count }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if fd < 0 {
            if memory.count + bytes.count <= limit {
                memory.append(contentsOf: bytes)
                return
            }
            try spill()
        }
        try writeAll(bytes)
    }

    /// Writes everything held to `sink` (in 1 MiB pieces from the file) and releases it.
    func drain(into sink: any ByteSink) throws {
        if fd < 0 {
            try sink.write(memory)
            memory = []
            return
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while offset < fileBytes {
            let n = try buffer.withUnsafeMutableBytes { buf -> Int in
                let n = pread(fd, buf.baseAddress!, min(buf.count, fileBytes - offset), off_t(offset))
                if n <= 0 { throw SeqPortError.io("read spool file in", directory, errno: n == 0 ? EIO : errno) }
                return n
            }
            try buffer.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += n
        }
        _ = close(fd)
        fd = -1
        fileBytes = 0
    }

    private func spill() throws {
        var template = Array("\(directory)/.seqport-spool-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SeqPortError.io("create spool file in", directory) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        let held = memory
        memory = []
        try held.withUnsafeBytes { try writeAll($0) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SeqPortError.io("write spool file in", directory)
            }
            done += n
        }
        fileBytes += bytes.count
    }
}

/// A sink that holds what is written — in memory up to a limit, then in an unlinked temporary file that
/// no crash can leave behind — until `drain` copies it on (the bundle's workbook, a ZIP of its own).
public final class SpoolSink: ByteSink {
    private let spool: EntrySpool
    public init(memoryLimit: Int, directory: String) { spool = EntrySpool(memoryLimit: memoryLimit, directory: directory) }
    public var count: Int { spool.count }
    public func write(_ bytes: UnsafeRawBufferPointer) throws { try spool.append(bytes) }
    /// Writes everything held to `sink` and releases it.
    public func drain(into sink: any ByteSink) throws { try spool.drain(into: sink) }
}
