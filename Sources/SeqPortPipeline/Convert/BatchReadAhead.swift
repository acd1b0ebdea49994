import Foundation
import SeqPortModel

/// Runs `convert`'s batch reader on a thread of its own, so one core parses the input while the other
/// writes the output: the reader fills batches of `batchSize` records and hands them over through a
/// queue of at most `maxBatches`, so memory stays bounded whatever the input's size.
///
/// What the caller gets is what reading on its own thread would give, in order: each `Step` holds the
/// records read since the last one, then, when reading stopped there, the error the reader threw (and
/// whether it can read on past it, `ResumableRecordReader`) or the end. After an error it can read past,
/// the thread reads on; after any other error, or the end, it stops. Unlike verify's
/// `PrefetchingReader`, it keeps going after a record's error (`--max-errors`) and hands over the
/// layout as the reader knows it at each step (an untyped reader takes its fields from the input).
/// `close()` stops the thread and waits for it (also on `deinit`).
final class BatchReadAhead: ThreadRunning {
    /// What follows a step's records: the layout, and why reading paused after them, if it did.
    struct Step {
        /// The reader's layout after these records.
        var layout: RecordLayout
        /// The error reading stopped at, after the records.
        var error: Error?
        /// Whether the reader can go on past `error` (it does, on this thread).
        var canContinue = false
        /// Whether the input is read to its end (no error).
        var ended = false
    }

    /// Touched only by the thread once it runs (and by no one after `close()` joined it).
    private let reader: any RecordBatchReader
    private let batchSize: Int
    private let maxBatches: Int
    private let prepareThread: () -> Void

    private let condition = NSCondition()
    private var ready: [(batch: RecordBatch, step: Step)] = []
    /// Batches the caller is done with, for the thread to fill again.
    private var spare: [RecordBatch] = []
    private var finished = false
    private var cancelled = false
    private var thread: pthread_t?

    /// Starts reading `reader` on a new thread, which first calls `prepareThread` (libxml2's per-thread
    /// state: `FormatRegistry.prepareReaderThread`); nil when no thread can be started (read in place then).
    init?(_ reader: any RecordBatchReader, batchSize: Int = 1024, maxBatches: Int = 4, prepareThread: @escaping () -> Void = {}) {
        self.reader = reader
        self.prepareThread = prepareThread
        self.batchSize = max(1, batchSize)
        self.maxBatches = max(1, maxBatches)
        guard let thread = ReadingThread.start(self) else { return nil }
        self.thread = thread
    }

    deinit { close() }

    /// The next step, waiting for it: `batch`, whose records the caller is done with, is replaced by the
    /// records read since the last step. Nil after the step that ended the reading.
    func next(_ batch: inout RecordBatch) -> Step? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let (records, step) = ready.removeFirst()
        // The caller's old batch goes back to the thread, to be filled again.
        if spare.count < 2 { spare.append(batch) }
        batch = records
        condition.broadcast()
        return step
    }

    /// Stops the thread (it finishes the record it is reading) and waits for it. Idempotent.
    func close() {
        ReadingThread.stop(&thread, under: condition) { cancelled = true }
    }

    func run() {
        prepareThread()
        // The reader is this thread's alone from here: read through a local copy.
        var reader = self.reader
        var batch = RecordBatch()
        while true {
            var more = false
            var error: Error?
            var canContinue = false
            do {
                more = try reader.read(into: &batch)
            } catch let e {
                error = e
                canContinue = (reader as? any ResumableRecordReader)?.canContinueAfterError == true
            }
            if more && batch.count < batchSize { continue }
            let stops = error == nil ? !more : !canContinue
            condition.lock()
            while ready.count >= maxBatches && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                return
            }
            ready.append((batch, Step(layout: reader.layout, error: error, canContinue: canContinue, ended: error == nil && !more)))
            batch = spare.popLast() ?? RecordBatch()
            if stops { finished = true }
            condition.broadcast()
            condition.unlock()
            batch.removeAll()
            if stops { return }
        }
    }
}
