import ArgumentParser
import SeqPortArchive
import SeqPortModel

/// The reader and archive limits, raisable for trusted batch input (`Specs/limits.md`).
///
/// Every option defaults to the safe value of `ZipLimits.default` / `ReaderLimits.default`; a flag
/// only changes the one limit it names.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-entries"), help: ArgumentHelp("Most entries an archive may list (default 10000).", valueName: "n"))
    var maxEntries: Int?

    @Option(name: .customLong("max-total-bytes"), help: ArgumentHelp("Most uncompressed bytes of all entries together (default 8 GiB).", valueName: "bytes"))
    var maxTotalBytes: UInt64?

    @Option(name: .customLong("max-ratio"), help: ArgumentHelp("Highest uncompressed ÷ compressed ratio past 16 MiB of output (default 200).", valueName: "n"))
    var maxRatio: UInt64?

    @OptionGroup var reader: ReaderLimitOptions

    func validate() throws {
        if let maxEntries, maxEntries < 1 { throw ValidationError("--max-entries must be at least 1") }
        if let maxTotalBytes, maxTotalBytes < 1 { throw ValidationError("--max-total-bytes must be at least 1") }
        if let maxRatio, maxRatio < 1 { throw ValidationError("--max-ratio must be at least 1") }
    }

    /// The archive limits: the defaults with the flags given applied.
    var zipLimits: ZipLimits {
        var l = ZipLimits.default
        if let maxEntries { l.maxEntries = maxEntries }
        if let maxTotalBytes {
            l.maxTotalUncompressedBytes = maxTotalBytes
            // One entry can never be larger than all of them together; raising the total raises it too.
            l.maxEntryUncompressedBytes = max(l.maxEntryUncompressedBytes, maxTotalBytes)
        }
        if let maxRatio { l.maxCompressionRatio = maxRatio }
        return l
    }

    /// The document reader limits: the defaults with the flags given applied.
    var readerLimits: ReaderLimits { reader.readerLimits }
}

/// The document reader limits alone, for `convert`, which reads no archive (`Specs/limits.md`).
struct ReaderLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-value-bytes"), help: ArgumentHelp("Largest single value in UTF-8 bytes (default 4 MiB).", valueName: "bytes"))
    var maxValueBytes: Int?

    @Option(name: .customLong("max-depth"), help: ArgumentHelp("Deepest JSON or XML nesting (default 32).", valueName: "n"))
    var maxDepth: Int?

    func validate() throws {
        if let maxValueBytes, maxValueBytes < 1 { throw ValidationError("--max-value-bytes must be at least 1") }
        if let maxDepth, maxDepth < 3 { throw ValidationError("--max-depth must be at least 3 (records need 3)") }
    }

    /// The defaults with the flags given applied.
    var readerLimits: ReaderLimits {
        var l = ReaderLimits.default
        if let maxValueBytes { l.maxValueBytes = maxValueBytes }
        if let maxDepth { l.maxDepth = maxDepth }
        return l
    }
}
