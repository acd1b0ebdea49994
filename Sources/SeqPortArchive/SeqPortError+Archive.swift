#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// The archive module's error codes (`Specs/zip.md`). Refusals of an archive are class `.archive`.
extension SeqPortError.Code {
    /// No end-of-central-directory record: the file is not a ZIP archive.
    public static let zipNotAZip = Self("zip.not-a-zip", .archive)
    /// The archive ends early: a record or an entry's data runs past the end of the file.
    public static let zipTruncated = Self("zip.truncated", .archive)
    /// Bytes before the first local header (or before the central directory of an empty archive).
    public static let zipLeadingJunk = Self("zip.leading-junk", .archive)
    /// Bytes after the end record other than exactly the declared comment, or between the central directory and the end record.
    public static let zipTrailingJunk = Self("zip.trailing-junk", .archive)
    /// The archive says it spans several disks.
    public static let zipMultiDisk = Self("zip.multi-disk", .archive)
    /// More entries than `ZipLimits.maxEntries`.
    public static let zipTooManyEntries = Self("zip.too-many-entries", .archive)
    /// An entry larger than `ZipLimits.maxEntryUncompressedBytes` (or than a caller's `maxBytes`).
    public static let zipEntryTooLarge = Self("zip.entry-too-large", .archive)
    /// All entries together larger than `ZipLimits.maxTotalUncompressedBytes`.
    public static let zipTotalTooLarge = Self("zip.total-too-large", .archive)
    /// An entry expands more than `ZipLimits.maxCompressionRatio` times (declared, or while inflating).
    public static let zipRatioExceeded = Self("zip.ratio-exceeded", .archive)
    /// A compression method other than 0 (stored) or 8 (deflate).
    public static let zipUnsupportedMethod = Self("zip.unsupported-method", .archive)
    /// An encrypted entry that cannot be read: traditional PKWARE encryption, PKWARE strong encryption,
    /// an unknown AES variant, or WinZip AES when no passphrase was given.
    public static let zipEncrypted = Self("zip.encrypted", .archive)
    /// The passphrase does not match an encrypted entry's password verifier.
    public static let zipWrongPassphrase = Self("zip.wrong-passphrase", .archive)
    /// An encrypted entry's MAC (HMAC-SHA1-80) does not match its data: it was changed or damaged.
    public static let zipAuthFailed = Self("zip.auth-failed", .archive)
    /// A name that could escape the extraction directory or is otherwise unsafe (absolute, `..`, `\`, `C:`, control characters, empty segments).
    public static let zipUnsafeName = Self("zip.unsafe-name", .archive)
    /// A name longer than `ZipLimits.maxNameBytes`.
    public static let zipNameTooLong = Self("zip.name-too-long", .archive)
    /// A name that is not valid UTF-8.
    public static let zipNameEncoding = Self("zip.name-encoding", .archive)
    /// Two entries with the same name after NFC normalisation and case folding.
    public static let zipDuplicateName = Self("zip.duplicate-name", .archive)
    /// A symlink, device, FIFO or socket entry (UNIX file type other than regular file or directory).
    public static let zipSpecialFile = Self("zip.special-file", .archive)
    /// A directory entry that carries data.
    public static let zipDirectoryWithData = Self("zip.directory-with-data", .archive)
    /// A central directory record that is malformed (bad signature, lengths past its end).
    public static let zipBadCentralDirectory = Self("zip.bad-central-directory", .archive)
    /// A local header missing or disagreeing with the central directory (name, method, flags, CRC, sizes).
    public static let zipLocalHeaderMismatch = Self("zip.local-header-mismatch", .archive)
    /// Two entries whose local header and data ranges overlap.
    public static let zipOverlappingEntries = Self("zip.overlapping-entries", .archive)
    /// An entry whose local header or data reaches into the central directory.
    public static let zipOverlapsCentralDirectory = Self("zip.overlaps-central-directory", .archive)
    /// ZIP64 records or extra fields that are missing, too short or inconsistent.
    public static let zipBadZip64 = Self("zip.bad-zip64", .archive)
    /// The CRC-32 of the inflated data differs from the declared one.
    public static let zipCRCMismatch = Self("zip.crc-mismatch", .archive)
    /// The data inflates to more or fewer bytes than declared, or the compressed size is wrong.
    public static let zipSizeMismatch = Self("zip.size-mismatch", .archive)
    /// The deflate stream is corrupt.
    public static let zipCorruptData = Self("zip.corrupt-data", .archive)
    /// The writer was used out of order (write after finish, archive finished with open entries).
    public static let zipWriterState = Self("zip.writer-state", .internal)
}

extension SeqPortError {
    /// `cannot <verb> <path>: <strerror>` for the current `errno`.
    static func io(_ verb: String, _ path: String, errno code: Int32 = errno) -> SeqPortError {
        SeqPortError(.ioFailed, "cannot \(verb) \(path): \(String(cString: strerror(code)))")
    }

    /// An archive refusal that names the entry.
    static func zip(_ code: Code, _ message: String, entry: String? = nil) -> SeqPortError {
        SeqPortError(code, message, at: SourceLocation(entry: entry))
    }
}
