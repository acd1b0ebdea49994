import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortStore

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
        // Each job may compress a large entry on `workers` threads (its own pool, started only for an
        // entry of more than one chunk): ordinary subjects never start one, and a large subject that
        // runs while the other jobs have nothing left gets the idle cores instead of finishing on one.
        exportOptions.workers = max(1, options.export.workers)
        exportOptions.passphrase = nil
        // One directory sync for the whole batch instead of one per bundle (each bundle's bytes are
        // still synced before its rename): a rename lost to a power cut only means a subject the
        // rerun does again. Two jobs no longer queue behind each other's directory syncs.
        exportOptions.syncDirectory = false
        defer { try? AtomicFile.syncDirectory(directory) }
        let state = BatchState(subjects: selected, total: total, failed: collisions,
                               streak: ConnectionFailureStreak(limit: options.maxConsecutiveConnectionFailures))
        let started = Date()
        let group = DispatchGroup()
        // One cache for every job: what all bundles hold alike is compressed once per run.
        let cache = CompressionCache()
        for store in stores {
            group.enter()
            let worker = Worker(exporter: Exporter(store: store, configuration: configuration, compressionCache: cache), directory: directory,
                                options: exportOptions, passphrases: options.passphrases, check: options.existing, report: report, state: state,
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

    /// Removes `AtomicFile` partial files (`.<bundle name>.partial-*`, and `.<bundle name>.passphrase.partial-*`)
    /// of the given bundles.
    /// Partial files of other bundles are left alone: another shard may be writing them right now.
    static func removePartialFiles(in directory: String, bundleNames: Set<String>) throws -> Int {
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix(".") {
            guard let marker = name.range(of: ".partial-") else { continue }
            var bundle = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            if bundle.hasSuffix(".passphrase") { bundle.removeLast(".passphrase".count) }
            guard bundleNames.contains(bundle) else { continue }
            if (try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))) != nil {
                removed += 1
            }
        }
        return removed
    }
}
