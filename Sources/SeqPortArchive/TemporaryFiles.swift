#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The temporary files a process has created and not yet renamed or removed, so that a signal or an
/// error exit can remove them (`AtomicFile.removeAllPartialFiles()`).
// @unchecked Sendable: `paths` is read and written only under `lock`.
final class TemporaryFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var paths = Set<String>()

    func add(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.insert(path)
    }

    func remove(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.remove(path)
    }

    /// Unlinks every registered file and forgets them.
    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for path in paths { _ = unlink(path) }
        paths.removeAll()
    }
}
