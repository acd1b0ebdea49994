import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortStore

/// Options for a batch export (`seqport export --all`); defaults as in `seqport export --help`.
public struct BatchOptions: Sendable {
    /// How each bundle is written. The parallelism is across subjects (`jobs`); `workers` (default: the
    /// cores) is how many threads one job may use for an entry larger than one chunk, so a large subject
    /// still uses the cores the other jobs leave idle. Ordinary subjects (entries under 512 KiB) are
    /// compressed on their job's thread alone.
    public var export = ExportOptions()
    /// Subjects exported at the same time, each on its own thread with its own store connection.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Only the subjects of this shard; nil for all of them.
    public var shard: Shard?
    /// How a bundle already in the folder is checked before its subject is skipped.
    public var existing = ExistingBundleCheck()
    /// The failure report; nil for `BatchOptions.defaultReportPath`.
    public var reportPath: String?
    /// After this many subjects in a row fail with `store.connection` (the server went away), the batch
    /// stops with that error (exit 7) instead of failing every remaining subject; a rerun resumes.
    public var maxConsecutiveConnectionFailures = 5
    /// Encrypts every bundle with its subject's own passphrase; nil for plain bundles.
    /// `export.passphrase` is ignored in a batch.
    public var passphrases: BatchPassphrases?

    public init() {}

    /// `<dir>/seqport-report.jsonl`, or `<dir>/seqport-report-<K>-of-<N>.jsonl` for a shard, so shards
    /// sharing one folder do not overwrite each other's report.
    public static func defaultReportPath(directory: String, shard: Shard?) -> String {
        let name = shard.map { "seqport-report-\($0.index)-of-\($0.count).jsonl" } ?? "seqport-report.jsonl"
        return (directory as NSString).appendingPathComponent(name)
    }
}

/// Where a running batch is, handed to the progress callback.
public struct BatchProgress: Sendable {
    /// Subjects this run has to do (after the shard filter).
    public var total: Int
    public var exported = 0
    public var skipped = 0
    public var failed = 0
    /// Seconds since the workers started.
    public var elapsed: TimeInterval = 0

    public var done: Int { exported + skipped + failed }

    public init(total: Int, exported: Int = 0, skipped: Int = 0, failed: Int = 0, elapsed: TimeInterval = 0) {
        self.total = total
        self.exported = exported
        self.skipped = skipped
        self.failed = failed
        self.elapsed = elapsed
    }
}

/// What a batch did (`seqport export --all --json`).
public struct BatchSummary: Codable, Sendable {
    public var directory: String
    public var report: String
    /// `K/N`, or nil for every subject.
    public var shard: String?
    public var jobs: Int
    /// Subjects in this run, after removing duplicates and applying the shard.
    public var total: Int
    /// Bundles written in this run.
    public var exported: Int
    /// Subjects skipped because their complete bundle was already in the folder.
    public var skipped: Int
    /// Of the exported: subjects whose file at the bundle's name failed the check and was rewritten.
    public var replaced: Int
    /// Subjects that failed (each is a line in the report).
    public var failed: Int
    /// Subjects not started because the batch was interrupted.
    public var notStarted: Int
    public var interrupted: Bool
    /// Partial files of an earlier, interrupted run that were removed at the start.
    public var partialFilesRemoved: Int
    /// Size of the bundles written in this run.
    public var bytes: Int
    public var seconds: Double
    /// Subjects done (exported, skipped or failed) per second.
    public var subjectsPerSecond: Double

    /// 0, or 9 (`partial`) when a subject failed. An interrupted batch exits with the signal's status.
    public var exitStatus: Int32 { failed > 0 ? SeqPortError.ExitClass.partial.rawValue : 0 }
}
