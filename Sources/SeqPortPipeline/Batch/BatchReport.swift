#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortArchive
import SeqPortModel

/// One line of a batch's failure report: the subject, the error code and the message
/// (`Specs/batch.md`). Messages name places and rules, never personal values.
public struct BatchFailure: Codable, Hashable, Sendable {
    public var subject: String
    public var code: String
    public var message: String

    public init(subject: String, code: String, message: String) {
        self.subject = subject
        self.code = code
        self.message = message
    }

    /// The failure for an error thrown while exporting `subject`.
    public init(subject: String, error: any Error) {
        if let e = error as? SeqPortError {
            self.init(subject: subject, code: e.code.rawValue, message: e.description)
        } else {
            self.init(subject: subject, code: SeqPortError.Code.internalError.rawValue, message: "unexpected error: \(type(of: error))")
        }
    }
}

/// The failure report of a batch: JSON Lines, one `BatchFailure` per line, appended under a lock and
/// written to the file with one `write(2)` per line, so a crash loses at most the line being written.
///
/// The file is truncated when the batch starts: it describes the subjects that failed in this run
/// (a rerun retries them, since they have no bundle).
// @unchecked Sendable: `fd` only under `lock`; `encoder` is configured in `init` only (JSONEncoder.encode is thread-safe).
public final class BatchReport: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var fd: Int32
    private let encoder: JSONEncoder

    /// Creates or truncates the report file: private (0600 less the umask) like the bundles, or
    /// exactly `mode` when given.
    /// - Throws: `io.failed` when it cannot be created.
    public init(path: String, mode: mode_t? = nil) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try Directory.create(dir) }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, mode ?? AtomicFile.privateMode)
        guard fd >= 0 else { throw SeqPortError(.ioFailed, "cannot create the report file \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        // An existing report keeps its mode through O_TRUNC: narrow it to the owner's too.
        if let mode { _ = fchmod(fd, mode) } else if fstat(fd, &info) == 0 { _ = fchmod(fd, info.st_mode & AtomicFile.privateMode) }
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { close() }

    /// Appends one line. Thread-safe.
    /// - Throws: `io.failed` when the line cannot be written (disk full).
    public func append(_ failure: BatchFailure) throws {
        var line = Array(try encoder.encode(failure))
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw SeqPortError(.ioFailed, "the report file \(path) is closed") }
        var offset = 0
        while offset < line.count {
            let n = line.withUnsafeBytes { write(fd, $0.baseAddress! + offset, line.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SeqPortError(.ioFailed, "cannot write the report file \(path)") }
            offset += n
        }
    }

    /// Closes the file. Safe to call more than once.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 {
            _ = fsync(fd)
            closeDescriptor(fd)
            fd = -1
        }
    }

    /// Reads a report back (for tests and tools).
    public static func read(path: String) throws -> [BatchFailure] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeqPortError(.ioFailed, "cannot read the report file \(path)")
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(BatchFailure.self, from: Data($0.utf8))
        }
    }
}

private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
