#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// Output folders, created with `mkdir(2)` so that a failure is one `io.failed` line naming the
/// folder and the reason (`cannot create folder out/bundles: Read-only file system`), never a
/// Foundation error.
public enum Directory {
    /// Creates `path` and any missing parents (`mkdir -p`, mode 0777 less the umask).
    /// - Throws: `io.failed` naming the first folder that cannot be created, or a parent that is not a folder.
    public static func create(_ path: String) throws {
        guard !path.isEmpty, !isDirectory(path) else { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o777) == 0 { continue }
            let code = errno
            if code == EEXIST {
                guard isDirectory(prefix) else { throw SeqPortError(.ioFailed, "cannot create folder \(path): \(prefix) is not a folder") }
                continue
            }
            // A parent that exists but may not be written to (a read-only root) is fine when the rest exists.
            if isDirectory(prefix) { continue }
            throw SeqPortError.io("create folder", prefix, errno: code)
        }
    }

    /// Whether `path` is a folder (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
