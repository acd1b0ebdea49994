/// The one error type every seqport module throws.
///
/// Its `description` is one line — `csv/contact.csv line 4, field "email": not a valid e-mail address` —
/// lowercase, no trailing period, and it never contains a personal value: messages name the place and
/// the rule, not the data.
public struct SeqPortError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Code
    public var location: SourceLocation
    /// What is wrong, without personal values.
    public var message: String

    public init(_ code: Code, _ message: String, at location: SourceLocation = SourceLocation()) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        let place = location.description
        return place.isEmpty ? message : "\(place): \(message)"
    }

    /// The process exit status for this error (`Specs/errors.md`).
    public var exitStatus: Int32 { code.exitClass.rawValue }

    /// A copy whose location names `entry` when it did not name one.
    public func within(entry: String) -> SeqPortError {
        var copy = self
        copy.location = location.within(entry: entry)
        return copy
    }

    /// A stable, documented error code such as `csv.unterminated-quote`.
    ///
    /// Codes are values, not enum cases, so new codes do not break callers (swift-nio's
    /// `FileSystemError.Code`). Each module declares its codes in an extension.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public let exitClass: ExitClass

        public init(_ rawValue: String, _ exitClass: ExitClass) {
            self.rawValue = rawValue
            self.exitClass = exitClass
        }

        public var description: String { rawValue }
    }

    /// The classes of failure, each with its own exit status.
    public enum ExitClass: Int32, Sendable, CaseIterable {
        /// Something inside seqport went wrong (a bug): 1.
        case `internal` = 1
        /// Bad command-line use or configuration: 2.
        case usage = 2
        /// A bundle was read but is not sound (checksums, counts, copies disagree): 3.
        case verify = 3
        /// A document is malformed or a value breaks its field's rule: 4.
        case input = 4
        /// An archive is refused (unsafe, inconsistent or over a limit): 5.
        case archive = 5
        /// An import plan has refused or conflicting changes; nothing was applied: 6.
        case refused = 6
        /// The store failed (missing, locked, wrong schema version, connection lost): 7.
        case store = 7
        /// Reading or writing a file failed (disk full, permissions): 8.
        case io = 8
        /// A batch finished but some subjects failed (see the report): 9.
        case partial = 9
        /// The subject asked for is not in the store: 10.
        case notFound = 10
    }
}

extension SeqPortError.Code {
    // Values (checked for every field on every read).
    public static let valueType = Self("value.type", .input)
    public static let valueRange = Self("value.range", .input)
    public static let valueFormat = Self("value.format", .input)
    public static let valueEnum = Self("value.enum", .input)
    public static let valueNull = Self("value.null", .input)
    public static let valueTooLong = Self("value.too-long", .input)
    // Schema and configuration.
    public static let schemaInvalid = Self("schema.invalid", .usage)
    public static let configInvalid = Self("config.invalid", .usage)
    public static let usage = Self("usage", .usage)
    // Generic I/O.
    public static let ioFailed = Self("io.failed", .io)
    public static let internalError = Self("internal", .internal)
}
