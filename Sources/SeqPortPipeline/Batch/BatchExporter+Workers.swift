import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortStore

/// What the workers share, under one lock.
final class BatchState: @unchecked Sendable {
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
struct Worker {
    let exporter: Exporter
    let directory: String
    let options: ExportOptions
    let passphrases: BatchPassphrases?
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

    /// Whether the bundle at `path` can be skipped. In an encrypted batch it must be encrypted and open
    /// with the passphrase it was written with (given, or in its passphrase file): a resumed batch then
    /// skips it and leaves its passphrase file as it is.
    private func isComplete(_ path: String, _ subject: String) -> Bool {
        guard let passphrases else { return check.isComplete(path: path, subject: subject, scope: options.scope) }
        guard let passphrase = passphrases.existing(subject: subject, bundle: path) else { return false }
        return check.isComplete(path: path, subject: subject, scope: options.scope, passphrase: passphrase)
    }

    private func process(_ subject: String, _ committer: Committer) {
        let path = (directory as NSString).appendingPathComponent(BundleLayout.bundleName(subject: subject, scope: options.scope))
        let present = FileManager.default.fileExists(atPath: path)
        if present && isComplete(path, subject) {
            state.record(.skipped)
            return
        }
        do {
            var options = options
            options.passphrase = try passphrases?.passphrase(subject: subject)
            let pending = try exporter.exportPending(subject: subject, to: directory, options: options)
            // A generated passphrase reaches its file before the bundle gets its name, so a bundle at its
            // name always has one; if the bundle then fails, the file is removed again (`Committer`).
            var delivered: String?
            if case .generated = passphrases, let passphrase = options.passphrase {
                try BatchPassphrases.deliver(passphrase, bundle: path)
                delivered = BatchPassphrases.file(bundle: path)
            }
            committer.add(pending, subject: subject, replaced: present, passphraseFile: delivered)
        } catch {
            reportFailure(subject, error, report: report, state: state)
        }
    }
}

/// Writes a failed subject into the report (or stops the batch when the report cannot be written).
func reportFailure(_ subject: String, _ error: Error, report: BatchReport, state: BatchState) {
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
final class Committer: @unchecked Sendable {
    private let report: BatchReport
    private let state: BatchState
    private let condition = NSCondition()
    private var queue: [(pending: Exporter.PendingExport, subject: String, replaced: Bool, passphraseFile: String?)] = []
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

    /// - Parameter passphraseFile: a passphrase file written for this bundle, removed if the bundle fails.
    func add(_ pending: Exporter.PendingExport, subject: String, replaced: Bool, passphraseFile: String? = nil) {
        condition.lock()
        while queue.count >= 2 { condition.wait() }
        queue.append((pending, subject, replaced, passphraseFile))
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
                if let file = next.passphraseFile { unlink(file) }
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
