#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortModel

/// Standard output and standard error for the CLI, written with `write(2)`.
///
/// A failed write on standard output (a full disk, a closed file) is `io.failed` (exit 8), never a
/// crash or a silent exit 0; `print` and `FileHandle.write(_:)` are not used in `Sources/seqport`
/// (the first loses the error, the second traps on it). A failed write on standard error is ignored:
/// there is nowhere left to say it.
enum StandardStreams {
    /// Writes `text` to standard output.
    /// - Throws: `io.failed` naming standard output and the reason.
    static func out(_ text: String) throws {
        let errorNumber = writeAll(STDOUT_FILENO, text)
        guard errorNumber == 0 else {
            throw SeqPortError(.ioFailed, "cannot write standard output: \(String(cString: strerror(errorNumber)))")
        }
    }

    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) throws { try out(text + "\n") }

    /// Writes `text` to standard error, best effort.
    static func err(_ text: String) { _ = writeAll(STDERR_FILENO, text) }

    /// Writes every byte; returns 0 or the `errno` of the failed write.
    private static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        let bytes = Array(text.utf8)
        var done = 0
        return bytes.withUnsafeBytes { buffer -> Int32 in
            while done < buffer.count {
                let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                done += n
            }
            return 0
        }
    }
}
