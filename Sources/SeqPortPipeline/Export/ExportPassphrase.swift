import Foundation
import SeqPortModel

/// The passphrase `export --encrypt` uses for one bundle (`Specs/encryption.md`): the given one, or a
/// generated one (`ExportOptions.generatePassphrase()`) delivered in `<bundle>.passphrase` (mode 0600)
/// after the export.
public struct ExportPassphrase: Sendable {
    public let passphrase: String
    /// Whether seqport made it (and so must deliver it).
    public let generated: Bool

    /// The given passphrase, or a new one when `given` is nil.
    public init(given: String?) {
        if let given {
            passphrase = given
            generated = false
        } else {
            passphrase = ExportOptions.generatePassphrase()
            generated = true
        }
    }

    /// Writes a generated passphrase next to the bundle and returns that file's path (nil for a given
    /// passphrase: nothing to deliver). If it cannot be written, the bundle is removed: nobody could
    /// open it.
    public func deliver(bundle: String) throws -> String? {
        guard generated else { return nil }
        let path = bundle + ".passphrase"
        do {
            try writeFile(path, passphrase + "\n", mode: 0o600)
        } catch {
            unlink(bundle)
            throw error
        }
        return path
    }
}

/// Writes a small file with exactly this mode (created exclusively after removing an old one).
/// A file that cannot be written whole (a full disk) is removed: no empty or half key or passphrase
/// file is left behind.
public func writeFile(_ path: String, _ text: String, mode: mode_t) throws {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw SeqPortError(.ioFailed, "cannot create \(path): \(String(cString: strerror(errno)))") }
    let bytes = Array(text.utf8)
    var failure: Int32 = 0
    if fchmod(fd, mode) != 0 { failure = errno }
    var done = 0
    while failure == 0 && done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { failure = n < 0 ? errno : EIO } else { done += n }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure != 0 {
        unlink(path)
        throw SeqPortError(.ioFailed, "cannot write \(path): \(String(cString: strerror(failure)))")
    }
}
