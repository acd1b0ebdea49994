#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// A file that appears at its final path only when complete: written to a hidden partial file
/// next to it, then `fsync`ed and renamed.
///
/// Files are private by default: created with mode 0600, less what the umask takes away. A `mode`
/// given explicitly (`--mode 0640`) is set exactly, to share a file on purpose.
///
/// A final path that is not a regular file is never replaced by a rename: a symbolic link
/// (`/dev/stdout`), a FIFO, a character device or a socket is opened and written directly (`isDirect`;
/// nothing is removed on abort). Only a regular file, or a path where nothing is yet, gets the
/// partial-file-and-rename treatment.
///
/// ```swift
/// let file = try AtomicFile(finalPath: "out/subject-42.zip")
/// let zip = ZipWriter(sink: file.sink)
/// ... ; try zip.finish()
/// try file.commit()   // without commit, deinit removes the partial file
/// ```
public final class AtomicFile {
    /// The mode of new files when none is given: read and write for the owner only.
    public static let privateMode: mode_t = 0o600

    /// Where the file will be once committed.
    public let finalPath: String
    /// The hidden partial file being written: `<dir>/.<name>.partial-<pid>-<random>`; `finalPath`
    /// itself when `isDirect`.
    public let partialPath: String
    /// Whether the final path is written directly (it is a link, FIFO, device or socket).
    public let isDirect: Bool
    /// Where to write the content.
    public let sink: FileSink
    private var done = false

    /// Creates the partial file exclusively (or opens a non-regular final path for writing).
    /// - Parameter mode: the exact mode to give the file; `nil` for 0600 less the umask.
    /// - Throws: `io.failed` when the directory is missing or not writable, or the path is a folder.
    public init(finalPath: String, mode: mode_t? = nil) throws {
        self.finalPath = finalPath
        var info = stat()
        if lstat(finalPath, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw SeqPortError(.ioFailed, "cannot write \(finalPath): it is a folder") }
            // A link is followed, never replaced; whatever it names (or a FIFO or device) is written in place.
            var target = stat()
            let isRegularTarget = stat(finalPath, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG
            let fd = open(finalPath, O_WRONLY | O_CLOEXEC | (isRegularTarget ? O_TRUNC : 0))
            guard fd >= 0 else { throw SeqPortError.io("open", finalPath) }
            partialPath = finalPath
            isDirect = true
            sink = FileSink(descriptor: fd, path: finalPath)
            return
        }
        let (dir, name) = AtomicFile.split(finalPath)
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        partialPath = "\(dir)/.\(name).partial-\(getpid())-\(random)"
        isDirect = false
        let fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? Self.privateMode)
        guard fd >= 0 else { throw SeqPortError.io("create", partialPath) }
        if let mode, fchmod(fd, mode) != 0 {
            let code = errno
            _ = close(fd)
            _ = unlink(partialPath)
            throw SeqPortError.io("set the mode of", partialPath, errno: code)
        }
        sink = FileSink(descriptor: fd, path: partialPath)
        AtomicFile.registry.add(partialPath)
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
        if isDirect {
            // A pipe or a device cannot be synced (EINVAL) and there is nothing to rename.
            done = true
            try sink.close()
            return
        }
        do {
            try sink.sync()
            try sink.close()
            if rename(partialPath, finalPath) != 0 { throw SeqPortError.io("rename to", finalPath) }
        } catch {
            abort()
            throw error
        }
        done = true
        AtomicFile.registry.remove(partialPath)
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
        guard !isDirect else { return }
        _ = unlink(partialPath)
        AtomicFile.registry.remove(partialPath)
    }

    /// The partial files of this process not yet committed or aborted.
    static let registry = TemporaryFiles()

    /// Removes every partial file this process still has open, for a signal handler or an exit on
    /// an error (`Specs/errors.md`); uses only `unlink`, so it is safe to call at any time.
    public static func removeAllPartialFiles() {
        registry.removeAll()
    }

    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}
