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
final class PrefetchingReader: RecordReader {
    let layout: RecordLayout
    /// Touched only by the thread once it runs (and by no one after `close()` joined it).
    private var reader: any RecordReader
    private let prepareThread: () -> Void
    private let batchSize: Int
    private let maxBatches: Int

    private let condition = NSCondition()
    private var ready: [[Record]] = []
    private var ended = false
    private var failure: Error?
    private var cancelled = false

    private var current: [Record] = []
    private var position = 0
    private var thread: pthread_t?

    init(_ reader: any RecordReader, batchSize: Int = 256, maxBatches: Int = 4, prepareThread: @escaping () -> Void = {}) {
        layout = reader.layout
        self.reader = reader
        self.batchSize = max(1, batchSize)
        self.maxBatches = max(1, maxBatches)
        self.prepareThread = prepareThread
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { raw in
            let me = Unmanaged<PrefetchingReader>.fromOpaque(raw!).takeRetainedValue()
            me.run()
            return nil
        }, box) == 0 {
            self.thread = thread
        } else {
            Unmanaged<PrefetchingReader>.fromOpaque(box).release()
            condition.lock()
            ended = true
            failure = SeqPortError(.internalError, "cannot start a reading thread")
            condition.unlock()
        }
    }

    deinit { close() }

    func next() throws -> Record? {
        if position < current.count {
            position += 1
            return current[position - 1]
        }
        condition.lock()
        while ready.isEmpty && !ended { condition.wait() }
        if !ready.isEmpty {
            current = ready.removeFirst()
            condition.broadcast()
            condition.unlock()
            position = 1
            return current[0]
        }
        let error = failure
        condition.unlock()
        if let error { throw error }
        return nil
    }

    /// Stops the thread (it finishes the record it is reading) and waits for it. Idempotent.
    func close() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    private func run() {
        prepareThread()
        var batch: [Record] = []
        batch.reserveCapacity(batchSize)
        while true {
            var record: Record?
            var error: Error?
            do { record = try reader.next() } catch let e { error = e }
            if let record {
                batch.append(record)
                if batch.count < batchSize { continue }
            }
            condition.lock()
            while ready.count >= maxBatches && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                return
            }
            if !batch.isEmpty {
                ready.append(batch)
                batch = []
                batch.reserveCapacity(batchSize)
            }
            if record == nil {
                ended = true
                failure = error
            }
            condition.broadcast()
            condition.unlock()
            if record == nil { return }
        }
    }
}
