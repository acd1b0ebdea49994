import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortStore

/// Options for a batch export (`seqport export --all`); defaults as in `seqport export --help`.
public struct BatchOptions: Sendable {
    /// How each bundle is written. `workers` is ignored: inside a batch each subject is compressed on
    /// its own worker thread, and the parallelism is across subjects (`jobs`).
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

/// Exports many subjects (`Specs/batch.md`): `jobs` worker threads pull subject ids from a shared
/// queue, each with its own store connection and `Exporter`. A subject that fails goes into the
/// report and the batch goes on. A subject whose complete bundle is already in the folder is skipped,
/// so rerunning an interrupted batch resumes it; partial files an interrupted run left behind are
/// removed first.
///
/// ```swift
/// let batch = BatchExporter(storeLocation: "data.sqlite", configuration: config)
/// let summary = try batch.run(subjects: try batch.allSubjects(), to: "out", options: BatchOptions())
/// ```
public final class BatchExporter: @unchecked Sendable {
    public let configuration: Configuration
    private let openStore: () throws -> any Store
    private let lock = NSLock()
    private var cancelled = false

    /// - Parameter openStore: opens one store connection; called once per worker (and once by `allSubjects`).
    public init(configuration: Configuration, openStore: @escaping () throws -> any Store) {
        self.configuration = configuration
        self.openStore = openStore
    }

    /// A batch over the store at `storeLocation`, opened read-only once per worker.
    public convenience init(storeLocation: String, configuration: Configuration) {
        self.init(configuration: configuration) {
            try StoreLocator.open(storeLocation, schema: configuration.schema, readOnly: true)
        }
    }

    /// Stops the batch: no new subject is started; running ones finish. Safe from any thread or a signal handler's queue.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Every subject id in the store, in ascending order.
    public func allSubjects() throws -> [String] {
        try openStore().subjectIDs()
    }

    /// Subject ids from a file (`-` for standard input; pipes work), one per line; blank lines and
    /// lines starting with `#` are skipped, surrounding spaces and a CR before the newline are removed,
    /// and so is a UTF-8 byte order mark at the start (spreadsheet exports write one).
    public static func readSubjectList(path: String) throws -> [String] {
        let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
        guard let handle, let data = try? handle.readToEnd() ?? Data() else {
            throw SeqPortError(.ioFailed, "cannot read the subject list \(path)")
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = data.starts(with: bom) ? data.dropFirst(bom.count) : data[...]
        return String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap {
            let id = $0.trimmingCharacters(in: .whitespaces)
            return id.isEmpty || id.hasPrefix("#") ? nil : id
        }
    }

    /// Exports `subjects` (duplicates removed, filtered by the shard) into `directory`.
    ///
    /// - Parameter progress: called on the calling thread about ten times a second and once at the end.
    /// - Returns: the summary; failed subjects are in it and in the report, not thrown.
    /// - Throws: when the folder, the report or a store connection cannot be opened, or the report
    ///   cannot be written (then the batch stops early).
    public func run(subjects: [String], to directory: String, options: BatchOptions,
                    progress: ((BatchProgress) -> Void)? = nil) throws -> BatchSummary {
        let scope = options.export.scope
        var seen = Set<String>()
        var selected = subjects.filter { seen.insert($0).inserted && (options.shard?.contains($0) ?? true) }
        let total = selected.count

        try Directory.create(directory)
        let reportPath = options.reportPath ?? BatchOptions.defaultReportPath(directory: directory, shard: options.shard)
        let report = try BatchReport(path: reportPath, mode: options.export.fileMode)
        defer { report.close() }
        // Two ids that reduce to the same file name would overwrite each other's bundle: the first keeps it.
        var bundleNames = Set<String>()
        var collisions = 0
        selected = try selected.filter { subject in
            if bundleNames.insert(BundleLayout.bundleName(subject: subject, scope: scope)).inserted { return true }
            try report.append(BatchFailure(subject: subject, code: SeqPortError.Code.batchNameCollision.rawValue,
                                           message: "another subject of this batch has the same bundle file name"))
            collisions += 1
            return false
        }
        let removed = try Self.removePartialFiles(in: directory, bundleNames: bundleNames)

        let jobs = max(1, min(options.jobs, selected.count))
        let stores = try (0..<jobs).map { _ in try openStore() }
        var exportOptions = options.export
        exportOptions.workers = 1
        // One directory sync for the whole batch instead of one per bundle (each bundle's bytes are
        // still synced before its rename): a rename lost to a power cut only means a subject the
        // rerun does again. Two jobs no longer queue behind each other's directory syncs.
        exportOptions.syncDirectory = false
        defer { try? AtomicFile.syncDirectory(directory) }
        let state = BatchState(subjects: selected, total: total, failed: collisions,
                               streak: ConnectionFailureStreak(limit: options.maxConsecutiveConnectionFailures))
        let started = Date()
        let group = DispatchGroup()
        for store in stores {
            group.enter()
            let worker = Worker(exporter: Exporter(store: store, configuration: configuration), directory: directory,
                                options: exportOptions, check: options.existing, report: report, state: state,
                                isCancelled: { [unowned self] in self.isCancelled })
            let thread = Thread {
                worker.run()
                group.leave()
            }
            thread.name = "seqport-batch"
            thread.stackSize = 4 << 20
            thread.start()
        }
        while group.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            progress?(state.progress(elapsed: Date().timeIntervalSince(started)))
        }
        let seconds = Date().timeIntervalSince(started)
        let last = state.progress(elapsed: seconds)
        progress?(last)
        if let fatal = state.fatal { throw fatal }
        return BatchSummary(
            directory: directory, report: reportPath, shard: options.shard?.description, jobs: jobs, total: total,
            exported: last.exported, skipped: last.skipped, replaced: state.replaced, failed: last.failed,
            notStarted: total - last.done, interrupted: last.done < total, partialFilesRemoved: removed,
            bytes: state.bytes, seconds: seconds, subjectsPerSecond: seconds > 0 ? Double(last.done) / seconds : 0)
    }

    /// Removes `AtomicFile` partial files (`.<bundle name>.partial-*`) of the given bundles.
    /// Partial files of other bundles are left alone: another shard may be writing them right now.
    static func removePartialFiles(in directory: String, bundleNames: Set<String>) throws -> Int {
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix(".") {
            guard let marker = name.range(of: ".partial-") else { continue }
            let bundle = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            guard bundleNames.contains(bundle) else { continue }
            if (try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))) != nil {
                removed += 1
            }
        }
        return removed
    }
}

/// What the workers share, under one lock.
private final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private let subjects: [String]
    private var next = 0
    private var counts: BatchProgress
    private(set) var fatal: SeqPortError?
    private(set) var replaced = 0
    private(set) var bytes = 0

    private var streak: ConnectionFailureStreak

    init(subjects: [String], total: Int, failed: Int, streak: ConnectionFailureStreak) {
        self.streak = streak
        self.subjects = subjects
        counts = BatchProgress(total: total, failed: failed)
    }

    /// The next subject, or nil when there is none left or the batch must stop.
    func take(cancelled: Bool) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard !cancelled, fatal == nil, next < subjects.count else { return nil }
        next += 1
        return subjects[next - 1]
    }

    enum Outcome {
        case exported(bytes: Int, replaced: Bool)
        case skipped
        case failed
    }

    func record(_ outcome: Outcome) {
        lock.lock()
        defer { lock.unlock() }
        switch outcome {
        case .exported(let size, let wasReplaced):
            streak.reset()
            counts.exported += 1
            bytes += size
            if wasReplaced { replaced += 1 }
        case .skipped:
            counts.skipped += 1
            streak.reset()
        case .failed: counts.failed += 1
        }
    }

    /// Counts a failed subject's error; stops the batch when the store has been unreachable for
    /// `maxConsecutiveConnectionFailures` subjects in a row.
    func noteFailure(_ error: Error) {
        lock.lock()
        let stop = streak.note(error)
        lock.unlock()
        if let stop { self.stop(stop) }
    }

    func stop(_ error: SeqPortError) {
        lock.lock()
        defer { lock.unlock() }
        if fatal == nil { fatal = error }
    }

    func progress(elapsed: TimeInterval) -> BatchProgress {
        lock.lock()
        defer { lock.unlock() }
        var p = counts
        p.elapsed = elapsed
        return p
    }
}

/// One worker thread: its own exporter (and so its own store connection).
private struct Worker {
    let exporter: Exporter
    let directory: String
    let options: ExportOptions
    let check: ExistingBundleCheck
    let report: BatchReport
    let state: BatchState
    let isCancelled: () -> Bool

    func run() {
        // Bundles are synced and renamed on a second thread while this one reads the next subject:
        // a job no longer sits idle while the disk syncs.
        let committer = Committer(report: report, state: state)
        while let subject = state.take(cancelled: isCancelled()) {
            process(subject, committer)
        }
        committer.finish()
    }

    private func process(_ subject: String, _ committer: Committer) {
        let path = (directory as NSString).appendingPathComponent(BundleLayout.bundleName(subject: subject, scope: options.scope))
        let present = FileManager.default.fileExists(atPath: path)
        if present && check.isComplete(path: path, subject: subject, scope: options.scope) {
            state.record(.skipped)
            return
        }
        do {
            committer.add(try exporter.exportPending(subject: subject, to: directory, options: options), subject: subject, replaced: present)
        } catch {
            reportFailure(subject, error, report: report, state: state)
        }
    }
}

/// Writes a failed subject into the report (or stops the batch when the report cannot be written).
private func reportFailure(_ subject: String, _ error: Error, report: BatchReport, state: BatchState) {
    do {
        try report.append(BatchFailure(subject: subject, error: error))
        state.record(.failed)
        state.noteFailure(error)
    } catch let e as SeqPortError {
        state.stop(e)
    } catch {
        state.stop(SeqPortError(.ioFailed, "cannot write the report file \(report.path)"))
    }
}

/// One worker's commit thread: syncs and renames finished bundles in order, then counts them. At most
/// two wait, so a slow disk slows the worker down instead of piling up open files.
private final class Committer: @unchecked Sendable {
    private let report: BatchReport
    private let state: BatchState
    private let condition = NSCondition()
    private var queue: [(pending: Exporter.PendingExport, subject: String, replaced: Bool)] = []
    private var closing = false
    private let stopped = DispatchSemaphore(value: 0)

    init(report: BatchReport, state: BatchState) {
        self.report = report
        self.state = state
        let thread = Thread { [self] in
            run()
            stopped.signal()
        }
        thread.name = "seqport-commit"
        thread.start()
    }

    func add(_ pending: Exporter.PendingExport, subject: String, replaced: Bool) {
        condition.lock()
        while queue.count >= 2 { condition.wait() }
        queue.append((pending, subject, replaced))
        condition.broadcast()
        condition.unlock()
    }

    /// Commits what is queued, then stops the thread and waits for it.
    func finish() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
        stopped.wait()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let next = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                try next.pending.commit(syncDirectory: false)
                state.record(.exported(bytes: next.pending.result.bytes, replaced: next.replaced))
            } catch {
                reportFailure(next.subject, error, report: report, state: state)
            }
        }
    }
}

extension SeqPortError.Code {
    /// Two subjects of a batch would get the same bundle file name (`BundleLayout.safe` folds both ids).
    public static let batchNameCollision = Self("batch.name-collision", .input)
}

/// Consecutive `store.connection` failures of a batch: a server that went away fails every subject
/// the same way, so after `limit` in a row the batch stops with that error instead.
struct ConnectionFailureStreak {
    let limit: Int
    private(set) var count = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Notes a failed subject's error; returns the error to stop the batch with once the streak is long enough.
    mutating func note(_ error: Error) -> SeqPortError? {
        guard let e = error as? SeqPortError, e.code == .storeConnection else {
            count = 0
            return nil
        }
        count += 1
        guard count >= limit else { return nil }
        return SeqPortError(.storeConnection, "\(count) subjects in a row failed to reach the store, stopping the batch (rerun to resume): \(e.message)")
    }

    mutating func reset() { count = 0 }
}
