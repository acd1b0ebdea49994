import Foundation
import SeqPortModel

/// Runs a `RecordReader` on a thread of its own and hands its records over in batches through a
/// small bounded queue, so a second core parses one copy while the caller reads the others (verify
/// reads the XML copy, its dearest, this way).
///
/// What the caller sees is what the wrapped reader returns, in order: the records, then `nil` or the
/// error it threw, after the records read before it. The thread reads at most `maxBatches` batches
/// ahead. `close()` stops the thread and waits for it (also on `deinit`); after it the wrapped
/// reader's source is the caller's again.
final class PrefetchingReader: RecordReader, ThreadRunning {
    let layout: RecordLayout
    /// Touched only by the thread once it runs (and by no one after `close()` joined it).
    private let reader: any RecordReader
    /// The same reader when it can fill a `RecordBatch` itself (no `Record` per record).
    private let batchReader: (any RecordBatchReader)?
    private let prepareThread: () -> Void
    private let batchSize: Int
    private let maxBatches: Int

    private let condition = NSCondition()
    private var ready: [RecordBatch] = []
    /// Batches the caller is done with, for the thread to fill again.
    private var spare: [RecordBatch] = []
    private var ended = false
    private var failure: Error?
    private var cancelled = false

    private var current = RecordBatch()
    private var position = 0
    private var thread: pthread_t?

    init(_ reader: any RecordReader, batchSize: Int = 256, maxBatches: Int = 4, prepareThread: @escaping () -> Void = {}) {
        layout = reader.layout
        self.reader = reader
        batchReader = reader as? any RecordBatchReader
        self.batchSize = max(1, batchSize)
        self.maxBatches = max(1, maxBatches)
        self.prepareThread = prepareThread
        if let thread = ReadingThread.start(self) {
            self.thread = thread
        } else {
            condition.lock()
            ended = true
            failure = SeqPortError(.internalError, "cannot start a reading thread")
            condition.unlock()
        }
    }

    deinit { close() }

    func next() throws -> Record? {
        guard try advance() else { return nil }
        return current.record(position - 1)
    }

    /// The next record as borrowed bytes, valid until the next call of `next()` or `nextView()`; nil at
    /// the end. The same records and errors as `next()`, without a `Record` per record.
    func nextView() throws -> RecordView? {
        guard try advance() else { return nil }
        return current.view(position - 1)
    }

    /// Moves to the next record (taking the next batch when this one is used up); false at the end.
    private func advance() throws -> Bool {
        if position < current.count {
            position += 1
            return true
        }
        guard try nextBatch(&current) else { return false }
        position = 1
        return true
    }

    /// Replaces `batch`, whose records the caller is done with, with the next batch of records (never
    /// empty); false at the end. For a caller that walks the batches itself (`CopyReader`): no lock and
    /// no access to this object per record. Do not mix with `next()`/`nextView()`.
    func nextBatch(_ batch: inout RecordBatch) throws -> Bool {
        condition.lock()
        while ready.isEmpty && !ended { condition.wait() }
        if !ready.isEmpty {
            let used = batch
            batch = ready.removeFirst()
            if used.count > 0 && spare.count < 2 { spare.append(used) }
            condition.broadcast()
            condition.unlock()
            return true
        }
        let error = failure
        condition.unlock()
        if let error { throw error }
        return false
    }

    /// Stops the thread (it finishes the record it is reading) and waits for it. Idempotent.
    func close() {
        ReadingThread.stop(&thread, under: condition) { cancelled = true }
    }

    func run() {
        prepareThread()
        // The reader is this thread's alone from here: read through a local copy, so no record pays for
        // an access to this object.
        var plain = reader
        var batching = batchReader
        var batch = RecordBatch()
        while true {
            var more = false
            var error: Error?
            do {
                if batching != nil {
                    more = try batching!.read(into: &batch)
                } else if let record = try plain.next() {
                    batch.append(record)
                    more = true
                }
            } catch let e { error = e }
            if more && batch.count < batchSize { continue }
            condition.lock()
            while ready.count >= maxBatches && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                return
            }
            if !batch.isEmpty {
                ready.append(batch)
                batch = spare.popLast() ?? RecordBatch()
            }
            if !more {
                ended = true
                failure = error
            }
            condition.broadcast()
            condition.unlock()
            batch.removeAll()
            if !more { return }
        }
    }
}
