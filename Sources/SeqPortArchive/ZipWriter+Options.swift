import Foundation

extension ZipWriter {
    /// How a `ZipWriter` compresses and lays out an archive. Every default keeps output deterministic.
    public struct Options: Sendable {
        /// Compression level, 0–9 (clamped), as zlib counts it. Default 6 (zlib's default).
        public var level: Int32 = 6
        /// The deflate implementation. Default libdeflate (less CPU, smaller output than zlib at the same
        /// level); `.zlib` is kept for comparison (`seqport-bench`) and the reader's tests. Changing it
        /// changes the compressed bytes, never what they decompress to.
        public var engine: DeflateEngine = .libdeflate
        /// Input bytes per parallel deflate chunk. Default 512 KiB (with zlib, the 32 KiB dictionary each
        /// chunk re-reads costs 1/16 of a chunk; with libdeflate, a chunk starts with no history). Entries smaller than this are
        /// compressed inline on the calling thread. Changing it changes the compressed bytes.
        /// Values under 64 KiB are raised to 64 KiB.
        public var chunkSize: Int = 512 << 10
        /// Threads that compress, the calling thread included: `workers - 1` pool threads, and the
        /// caller compresses queued chunks whenever it would otherwise wait (so 2 cores run 2 threads,
        /// not 3). 1 compresses everything on the calling thread. Default: the active processor
        /// count. Does not change the output.
        public var workers: Int = Self.cores
        /// Chunks submitted and not yet spooled, across all open entries; `write` blocks beyond this.
        /// Default 8 (raised to `workers` if lower). Memory ≈ maxInFlightChunks × 2 × chunkSize.
        public var maxInFlightChunks: Int = 8
        /// Where entries waiting for their turn spill to unlinked temporary files. Default: the system
        /// temporary directory (`TMPDIR`, else `/tmp`).
        public var spoolDirectory: String = ZipWriter.Options.systemTemporaryDirectory
        /// Whole small entries compressed before, by their content, shared by the writers that get the same
        /// cache (a batch job's bundles and workbooks: schema files, the workbook's notes and styles).
        /// A hit copies the bytes compressing again would give. Default nil: no cache.
        public var cache: CompressionCache? = nil
        /// Compressed bytes an entry keeps in memory while it waits before spilling. Default 4 MiB.
        public var memorySpoolLimit: Int = 4 << 20
        /// MS-DOS modification time of every entry. Default 00:00:00.
        public var dosTime: UInt16 = 0
        /// MS-DOS modification date of every entry. Default 1980-01-01 (0x0021), the format's epoch.
        public var dosDate: UInt16 = 0x0021
        /// Write ZIP64 extra fields and the ZIP64 end records even for small archives (tests, interop).
        /// Default false: ZIP64 is used only where a size, offset or count needs it.
        public var forceZip64: Bool = false
        /// Encrypt every entry with WinZip AES-256 (AE-2) under this passphrase (`Specs/encryption.md`).
        /// Default `nil`: no encryption. Each entry gets a random salt, so encrypted archives are never
        /// byte-identical; entry names stay readable (the ZIP format does not hide them).
        public var encryption: ZipEncryption? = nil

        public init() {}

        /// Sets `dosDate`/`dosTime` from a date, in UTC, clamped to 1980–2107 (2-second resolution).
        public mutating func setModificationDate(_ date: Date) {
            var seconds = time_t(max(315_532_800, min(date.timeIntervalSince1970, 4_354_819_198)))
            var parts = tm()
            gmtime_r(&seconds, &parts)
            dosDate = UInt16((Int(parts.tm_year) + 1900 - 1980) << 9 | Int(parts.tm_mon + 1) << 5 | Int(parts.tm_mday))
            dosTime = UInt16(Int(parts.tm_hour) << 11 | Int(parts.tm_min) << 5 | Int(parts.tm_sec) / 2)
        }

        /// Read once: `Options()` is made for every bundle and workbook of a batch.
        static let cores = ProcessInfo.processInfo.activeProcessorCount
        static let systemTemporaryDirectory: String = {
            let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            return dir.count > 1 && dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        }()
    }
}
