import Foundation
import SeqPortModel

/// One chunk of one entry, compressed by a pool thread.
final class ChunkJob {
    let entry: EntryState
    let sequence: Int
    /// Released once compressed, so a finished job holds only its output.
    private(set) var input: [UInt8]
    /// Uncompressed bytes of this chunk (for combining CRC-32s after `input` is released).
    let inputCount: Int
    private(set) var dictionary: [UInt8]
    let last: Bool
    let level: Int32
    var output: [UInt8] = []
    var crc: UInt32 = 0
    var error: Error?

    init(entry: EntryState, sequence: Int, input: [UInt8], dictionary: [UInt8], last: Bool, level: Int32) {
        self.level = level
        self.entry = entry
        self.sequence = sequence
        self.input = input
        self.inputCount = input.count
        self.dictionary = dictionary
        self.last = last
    }

    func run(with deflater: ChunkDeflater) {
        input.withUnsafeBytes { inBytes in
            crc = CRC32.update(0, inBytes)
            dictionary.withUnsafeBytes { dict in
                do { output = try deflater.compress(inBytes, dictionary: dict, last: last, level: level) } catch { self.error = error }
            }
        }
        input = []
        dictionary = []
    }
}

/// A fixed pool of threads that compress `ChunkJob`s in submission order (any thread may take any job;
/// results are put back in sequence order by `collect`, so output never depends on timing).
final class DeflatePool {
    private let condition = NSCondition()
    private var queue: [ChunkJob] = []
    private var stopping = false
    private var threads: [pthread_t] = []
    /// Jobs submitted and not yet collected (guarded by `condition`).
    private var inFlight = 0
    private let level: Int32
    private let engine: DeflateEngine

    init(workers: Int, level: Int32, engine: DeflateEngine) {
        self.level = level
        self.engine = engine
        for _ in 0..<max(1, workers) {
            let box = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let pool = Unmanaged<DeflatePool>.fromOpaque(raw!).takeRetainedValue()
                pool.work()
                return nil
            }, box)
            if status == 0 {
                threads.append(thread)
            } else {
                Unmanaged<DeflatePool>.fromOpaque(box).release()
            }
        }
    }

    /// Jobs submitted and not yet collected.
    var pending: Int {
        condition.lock()
        defer { condition.unlock() }
        return inFlight
    }

    func submit(_ job: ChunkJob) {
        condition.lock()
        queue.append(job)
        inFlight += 1
        condition.signal()
        condition.unlock()
    }

    /// Takes the finished jobs that are next in sequence for each of `entries`. With `wait`, blocks until
    /// at least one such job is there (the caller makes sure one is coming).
    func collect(from entries: [EntryState], wait: Bool) -> [ChunkJob] {
        condition.lock()
        defer { condition.unlock() }
        var ready: [ChunkJob] = []
        while true {
            for entry in entries {
                var next = entry.collected
                while let job = entry.completed.removeValue(forKey: next) {
                    ready.append(job)
                    next += 1
                }
            }
            if !ready.isEmpty || !wait || threads.isEmpty { break }
            condition.wait()
        }
        inFlight -= ready.count
        return ready
    }

    /// Runs the oldest queued job on the calling thread (which helps instead of waiting);
    /// `false` when no job is queued. The result is the same whichever thread runs a job.
    func runQueuedJob(with deflater: ChunkDeflater) -> Bool {
        condition.lock()
        guard !queue.isEmpty, !stopping else {
            condition.unlock()
            return false
        }
        let job = queue.removeFirst()
        condition.unlock()
        job.run(with: deflater)
        finish(job)
        return true
    }

    /// Stops and joins the threads; queued jobs are dropped. Idempotent.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        let joining = threads
        threads = []
        condition.unlock()
        for thread in joining { pthread_join(thread, nil) }
    }

    private func work() {
        let deflater: ChunkDeflater
        do { deflater = try ChunkDeflater(level: level, engine: engine) } catch {
            drainWithError(error)
            return
        }
        while let job = nextJob() {
            job.run(with: deflater)
            finish(job)
        }
    }

    private func nextJob() -> ChunkJob? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        if stopping { return nil }
        // The queue holds at most maxInFlightChunks jobs, so removing the first is cheap; taken jobs
        // must not stay referenced here (each holds a chunk of input and output).
        return queue.removeFirst()
    }

    private func finish(_ job: ChunkJob) {
        condition.lock()
        job.entry.completed[job.sequence] = job
        condition.broadcast()
        condition.unlock()
    }

    private func drainWithError(_ error: Error) {
        while let job = nextJob() {
            job.error = error
            finish(job)
        }
    }
}
