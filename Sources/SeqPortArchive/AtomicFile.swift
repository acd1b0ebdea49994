#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// A file that appears at its final path only when complete: written to a hidden partial file
/// next to it, then `fsync`ed and renamed.
///
/// ```swift
/// let file = try AtomicFile(finalPath: "out/subject-42.zip")
/// let zip = ZipWriter(sink: file.sink)
/// ... ; try zip.finish()
/// try file.commit()   // without commit, deinit removes the partial file
/// ```
public final class AtomicFile {
    /// Where the file will be once committed.
    public let finalPath: String
    /// The hidden partial file being written: `<dir>/.<name>.partial-<pid>-<random>`.
    public let partialPath: String
    /// Where to write the content.
    public let sink: FileSink
    private var done = false

    /// Creates the partial file exclusively with mode 0644.
    /// - Throws: `io.failed` when the directory is missing or not writable.
    public init(finalPath: String) throws {
        self.finalPath = finalPath
        let (dir, name) = AtomicFile.split(finalPath)
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        partialPath = "\(dir)/.\(name).partial-\(getpid())-\(random)"
        let fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SeqPortError.io("create", partialPath) }
        _ = fchmod(fd, 0o644)
        sink = FileSink(descriptor: fd, path: partialPath)
    }

    deinit {
        if !done { abort() }
    }

    /// Flushes, `fsync`s and closes the file, renames it to `finalPath` and `fsync`s the directory.
    ///
    /// With `syncDirectory: false` the rename is not yet durable (after a power loss the file may be
    /// missing, never half-written); the caller syncs the directory later (`syncDirectory(_:)`), as a
    /// batch does once for all its bundles.
    public func commit(syncDirectory: Bool = true) throws {
        guard !done else { throw SeqPortError(.zipWriterState, "\(finalPath) was already committed or aborted") }
        do {
            try sink.sync()
            try sink.close()
            if rename(partialPath, finalPath) != 0 { throw SeqPortError.io("rename to", finalPath) }
        } catch {
            abort()
            throw error
        }
        done = true
        if syncDirectory { try AtomicFile.syncDirectory(AtomicFile.split(finalPath).dir) }
    }

    /// `fsync`s a directory, making the renames in it durable.
    public static func syncDirectory(_ dir: String) throws {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw SeqPortError.io("open directory", dir) }
        defer { _ = close(dfd) }
        if fsync(dfd) != 0 { throw SeqPortError.io("sync directory", dir) }
    }

    /// Discards the partial file (closing it first). Safe to call more than once.
    public func abort() {
        guard !done else { return }
        done = true
        try? sink.close()
        _ = unlink(partialPath)
    }

    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}
