#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortModel

extension SeqPortError {
    /// Any error as a `SeqPortError`: itself, or a Foundation or POSIX error as `io.failed` naming the
    /// path and the reason in one line (never `Error Domain=NSCocoaErrorDomain …`); anything else is
    /// `internal`, described by its type only.
    init(mapping error: Error) {
        if let error = error as? SeqPortError {
            self = error
            return
        }
        let ns = error as NSError
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        if let reason = Self.reason(ns) {
            self.init(.ioFailed, path.map { "cannot access \($0): \(reason)" } ?? "a file operation failed: \(reason)")
        } else {
            self.init(.internalError, "unexpected \(String(reflecting: type(of: error))) (\(ns.domain) \(ns.code))")
        }
    }

    /// The POSIX reason of a Foundation file error (`No space left on device`), if it is one.
    private static func reason(_ ns: NSError) -> String? {
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, let reason = reason(underlying) { return reason }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        case .fileReadNoPermission, .fileWriteNoPermission: return String(cString: strerror(EACCES))
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
        case .fileWriteFileExists: return String(cString: strerror(EEXIST))
        case .fileReadTooLarge: return String(cString: strerror(EFBIG))
        case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "not readable as text"
        default: return (0...1023).contains(ns.code) ? "file error \(ns.code)" : nil
        }
    }
}
