// Design note: how the parallel writer schedules chunks, and what must not change.
//
// An entry's bytes are cut into `chunkSize` pieces (512 KiB) as they are written. Every piece but the
// entry's last becomes a `ChunkJob`. `ChunkDeflater` compresses a job so that concatenating the outputs
// in sequence order is one valid deflate stream — pigz's construction: with libdeflate (the default) each
// piece on its own, its final block turned into a non-final one followed by an empty stored block (a sync
// flush); with zlib, primed with the 32 KiB of input before it as a preset dictionary and ended by
// Z_SYNC_FLUSH (the last: Z_FINISH). The job's CRC-32 is computed beside it and combined in order
// (`CRC32.combine`).
//
// Threads: `DeflatePool` has `workers - 1` threads; the calling thread is the other worker. When it must
// wait (too many chunks in flight, or an entry is finishing) it first collects finished jobs, then runs the
// oldest queued job itself (`makeProgress`), and only blocks when every queued job is already running. Two
// busy threads on two cores, never three taking turns, and the in-flight bound caps memory.
//
// Sharing: a `ChunkJob` belongs to one thread at a time — the queue, the thread that took it, then (put there
// by `finish`, under the pool's lock) its entry's `completed`, from which only the writer's thread collects it.
// `EntryState.completed` is touched only under that lock; everything else of an entry only by the writer's
// thread. The pool runs on pthreads, which Swift 6's checks do not see: `.ci/run` runs the writer's tests under TSan.
//
// Order: jobs finish in any order; `collect` hands each entry's jobs back strictly by sequence number, and
// an entry reaches the sink only when every earlier entry has (`waiting`, `writeReadyEntries`), with its
// real CRC-32 and sizes in the local header (no data descriptors). Compressed bytes wait in the entry's
// spool (memory, then an unlinked temporary file) until then.
//
// What must not change, or bundles stop being byte-identical across runs and thread counts (tested):
// - the bytes of a job depend only on (engine, level, dictionary, input, last): chunk boundaries are fixed by
//   `chunkSize` alone, never by timing, `workers` or how writes were split by the caller;
// - a one-chunk entry is compressed inline with no dictionary, and stored when deflate does not shrink it;
// - outputs are appended in sequence order, entries in `beginEntry` order;
// - a job releases its input as soon as it is compressed, and the pool never keeps a taken job (memory).

import SeqPortModel

/// Writes a ZIP archive to a `ByteSink` with parallel, deterministic deflate (`Specs/zip.md`).
///
/// Entries appear in `beginEntry` order. Each entry's compressed bytes wait in a spool (memory, then an
/// unlinked temporary file) until every earlier entry is in the archive; then the entry is written with
/// a local header that carries its real CRC-32 and sizes, so no data descriptors are used. Large
/// entries are cut into `chunkSize` chunks compressed by `workers` threads (pigz style); the bytes
/// depend only on the input and the options, never on thread timing or the number of workers.
///
/// ```swift
/// let zip = ZipWriter(sink: file.sink)
/// let json = try zip.beginEntry("json/contact.json")
/// try json.write(bytes)
/// try json.finish()
/// try zip.addEntry("manifest.json", bytes: manifest)
/// try zip.finish()
/// ```
///
/// Call it from one thread. The writer never closes the sink.
public final class ZipWriter {
    public let options: Options
    private let sink: any ByteSink
    private var pool: DeflatePool?
    private var inlineDeflater: ChunkDeflater?
    /// Entries begun and not yet in the archive, in order.
    private var waiting: [EntryState] = []
    private var central: [CentralRecord] = []
    private var names: Set<String> = []
    private var offset: UInt64 = 0
    private var failure: Error?
    private var closed = false

    /// Creates a writer; nothing is written until the first entry is complete.
    public init(sink: any ByteSink, options: Options = .init()) {
        self.sink = sink
        self.options = Self.normalized(options)
    }

    /// The options as a writer uses them: chunk size at least 64 KiB, level 0–9, at least one worker.
    static func normalized(_ options: Options) -> Options {
        var options = options
        options.chunkSize = max(64 << 10, options.chunkSize)
        options.workers = max(1, options.workers)
        options.maxInFlightChunks = max(options.maxInFlightChunks, options.workers, 1)
        options.level = max(0, min(9, options.level))
        return options
    }

    deinit { pool?.shutdown() }

    /// Bytes written to the sink so far (the archive's size once `finish()` returned).
    public var bytesWritten: UInt64 { offset }

    /// Starts an entry.
    /// - Parameters:
    ///   - name: a relative `/`-separated UTF-8 name (`ZipName` rules); unique within the archive.
    ///   - compress: deflate (default) or store. Small entries that deflate would not shrink are stored.
    ///   - level: this entry's deflate level, 0–9 (clamped); nil for `Options.level`.
    /// - Throws: `zip.unsafe-name`, `zip.duplicate-name`, `zip.writer-state` after `finish()`.
    public func beginEntry(_ name: String, compress: Bool = true, level: Int32? = nil) throws -> ZipEntryWriter {
        let state = try makeEntry(name, compress: compress)
        if let level { state.level = max(0, min(9, level)) }
        if compress { state.input.reserveCapacity(options.chunkSize) }
        return ZipEntryWriter(writer: self, state: state)
    }

    private func makeEntry(_ name: String, compress: Bool) throws -> EntryState {
        try checkUsable()
        _ = try ZipName.validate(Array(name.utf8), maxBytes: 0xFFFF)
        guard names.insert(ZipName.collisionKey(name)).inserted else {
            throw SeqPortError.zip(.zipDuplicateName, "an entry with this name was already added", entry: name)
        }
        let state = EntryState(name: name, compress: compress,
                               spool: EntrySpool(memoryLimit: options.memorySpoolLimit, directory: options.spoolDirectory))
        state.level = options.level
        waiting.append(state)
        return state
    }

    /// Adds a whole entry from memory.
    public func addEntry(_ name: String, bytes: [UInt8], compress: Bool = true) throws {
        let entry = try beginEntry(name, compress: compress)
        try entry.write(bytes)
        try entry.finish()
    }

    /// Adds a whole entry compressed beforehand (`PrecompressedEntry`); the archive gets the same bytes as
    /// `addEntry(_:bytes:)` with these options would write. An entry made with another level, engine or
    /// chunk size is refused (`zip.writer-state`): its bytes would differ from this writer's.
    public func addEntry(_ name: String, precompressed: PrecompressedEntry) throws {
        guard precompressed.level == options.level, precompressed.engine == options.engine,
              precompressed.chunkSize == options.chunkSize else {
            throw SeqPortError.zip(.zipWriterState, "compressed with other options than this archive's", entry: name)
        }
        let state = try makeEntry(name, compress: true)
        try guarded {
            state.crc = precompressed.crc
            state.uncompressedSize = UInt64(precompressed.uncompressedSize)
            state.compressedSize = UInt64(precompressed.compressed.count)
            state.method = precompressed.method
            try state.spool.append(precompressed.compressed)
            state.finished = true
            try writeReadyEntries()
        }
    }

    /// Writes the central directory and end records (ZIP64 ones when needed) and stops the threads.
    /// - Throws: `zip.writer-state` when an entry is still open; sink errors.
    public func finish() throws {
        try checkUsable()
        if let open = waiting.first(where: { !$0.finished }) {
            throw SeqPortError.zip(.zipWriterState, "entry was begun but not finished", entry: open.name)
        }
        try guarded {
            try writeReadyEntries()
            try writeCentralDirectory()
        }
        closed = true
        pool?.shutdown()
        pool = nil
    }

    // MARK: - Entry data

    func write(_ bytes: UnsafeRawBufferPointer, to state: EntryState) throws {
        try checkUsable()
        guard !state.finished else {
            throw SeqPortError.zip(.zipWriterState, "write after the entry was finished", entry: state.name)
        }
        try guarded {
            if !state.compress {
                state.crc = CRC32.update(state.crc, bytes)
                state.uncompressedSize += UInt64(bytes.count)
                try state.spool.append(bytes)
                return
            }
            var rest = bytes
            while !rest.isEmpty {
                let n = min(options.chunkSize - state.input.count, rest.count)
                state.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<n]))
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
                if state.input.count == options.chunkSize { try submitChunk(of: state, last: false) }
            }
        }
    }

    func finishEntry(_ state: EntryState) throws -> ZipEntryInfo {
        try checkUsable()
        guard !state.finished else { return state.info }
        try guarded {
            if state.compress {
                if state.submitted == 0 {
                    try compressInline(state)
                } else {
                    try submitChunk(of: state, last: true)
                    while state.collected < state.submitted { try makeProgress() }
                }
            } else {
                state.compressedSize = state.uncompressedSize
            }
            state.finished = true
            try writeReadyEntries()
        }
        return state.info
    }

    /// A small entry in one piece on this thread: deflated, or stored when deflate does not shrink it.
    private func compressInline(_ state: EntryState) throws {
        let input = state.input
        state.input = []
        state.uncompressedSize = UInt64(input.count)
        let key = options.cache.flatMap { input.count <= $0.maxEntrySize ? CompressionCache.Key(level: state.level, engine: options.engine, content: input) : nil }
        if let key, let hit = options.cache?.lookup(key) {
            state.crc = hit.crc
            state.method = hit.method
            state.compressedSize = UInt64(hit.bytes.count)
            try state.spool.append(hit.bytes)
            return
        }
        let deflater = try callerDeflater()
        let output = try input.withUnsafeBytes { try deflater.compress($0, dictionary: UnsafeRawBufferPointer(start: nil, count: 0), last: true, level: state.level) }
        state.crc = input.withUnsafeBytes { CRC32.update(0, $0) }
        let kept: [UInt8]
        if output.count >= input.count {
            state.method = ZipFormat.methodStored
            kept = input
        } else {
            kept = output
        }
        state.compressedSize = UInt64(kept.count)
        try state.spool.append(kept)
        if let key { options.cache?.offer(key, .init(bytes: kept, crc: state.crc, method: state.method)) }
    }

    private func submitChunk(of state: EntryState, last: Bool) throws {
        let job = ChunkJob(entry: state, sequence: state.submitted, input: state.input,
                           dictionary: state.dictionary, last: last, level: state.level)
        state.uncompressedSize += UInt64(state.input.count)
        state.submitted += 1
        if !last {
            // libdeflate takes no preset dictionary: nothing to keep.
            state.dictionary = options.engine == .zlib ? Array(state.input.suffix(ChunkDeflater.dictionarySize)) : []
            state.input = []
            state.input.reserveCapacity(options.chunkSize)
        } else {
            state.input = []
        }
        guard options.workers > 1 else {
            // One worker: this thread compresses every chunk itself, in order.
            job.run(with: try callerDeflater())
            try absorb(job)
            return
        }
        // `workers - 1` pool threads; this thread is the other worker (`makeProgress`), so the
        // cores are never oversubscribed and never idle while chunks wait.
        let pool = self.pool ?? DeflatePool(workers: options.workers - 1, level: options.level, engine: options.engine)
        self.pool = pool
        while pool.pending >= options.maxInFlightChunks { try makeProgress() }
        pool.submit(job)
        try collectChunks(wait: false)
    }

    /// The deflater of the calling thread: small entries and the chunks it compresses itself.
    private func callerDeflater() throws -> ChunkDeflater {
        if let inlineDeflater { return inlineDeflater }
        let made = try ChunkDeflater(level: options.level, engine: options.engine)
        inlineDeflater = made
        return made
    }

    /// Spools finished chunks; when none is ready, compresses the oldest queued chunk on this thread;
    /// waits only when every chunk is already being compressed by a pool thread.
    private func makeProgress() throws {
        guard let pool else { return }
        if try collectChunks(wait: false) > 0 { return }
        if pool.runQueuedJob(with: try callerDeflater()) { return }
        try collectChunks(wait: true)
    }

    /// Moves finished chunks, in order, from the pool into their entries' spools; returns how many.
    @discardableResult
    private func collectChunks(wait: Bool) throws -> Int {
        guard let pool else { return 0 }
        let active = waiting.filter { $0.collected < $0.submitted }
        guard !active.isEmpty else { return 0 }
        let jobs = pool.collect(from: active, wait: wait)
        if wait && jobs.isEmpty { throw SeqPortError(.internalError, "no compression thread is running") }
        for job in jobs { try absorb(job) }
        return jobs.count
    }

    /// Adds a compressed chunk to its entry: CRC-32, sizes, spooled bytes.
    private func absorb(_ job: ChunkJob) throws {
        if let error = job.error { throw error }
        let state = job.entry
        state.crc = job.sequence == 0 ? job.crc : CRC32.combine(state.crc, job.crc, lengthOfB: job.inputCount)
        state.compressedSize += UInt64(job.output.count)
        try state.spool.append(job.output)
        state.collected += 1
    }

    // MARK: - Archive order

    /// Writes every finished entry at the front of the queue: local header, then its spooled data.
    private func writeReadyEntries() throws {
        var written = 0
        for state in waiting {
            guard state.finished else { break }
            let aes = options.encryption.map { AESExtra(vendorVersion: 2, strength: $0.strength, method: state.method) }
            let record = CentralRecord(state: state, offset: offset, aes: aes)
            let header = record.localHeader(forceZip64: options.forceZip64, dosTime: options.dosTime, dosDate: options.dosDate)
            try sink.write(header)
            if let encryption = options.encryption, let aes {
                try writeEncrypted(state, encryption, aes)
            } else {
                try state.spool.drain(into: sink)
            }
            offset += UInt64(header.count) + record.compressedSize
            central.append(record)
            written += 1
        }
        waiting.removeFirst(written)
    }

    /// Salt, password verifier, the spooled bytes encrypted as they stream out, then the MAC.
    private func writeEncrypted(_ state: EntryState, _ encryption: ZipEncryption, _ aes: AESExtra) throws {
        let salt = WinZipAES.randomSalt(aes.strength)
        let encrypting = EncryptingSink(sink: sink,
                                        cipher: try WinZipAES(passphrase: encryption.passphrase, salt: salt, strength: aes.strength))
        try sink.write(salt)
        try sink.write(encrypting.cipher.verifier)
        try state.spool.drain(into: encrypting)
        try sink.write(encrypting.cipher.mac())
    }

    private func writeCentralDirectory() throws {
        let start = offset
        var size: UInt64 = 0
        for record in central {
            let bytes = record.centralHeader(forceZip64: options.forceZip64, dosTime: options.dosTime, dosDate: options.dosDate)
            try sink.write(bytes)
            size += UInt64(bytes.count)
        }
        offset += size
        let end = CentralRecord.endRecords(count: UInt64(central.count), directoryOffset: start, directorySize: size,
                                           endOffset: offset, forceZip64: options.forceZip64)
        try sink.write(end)
        offset += UInt64(end.count)
    }

    // MARK: - State

    private func checkUsable() throws {
        if let failure { throw failure }
        if closed { throw SeqPortError(.zipWriterState, "the archive was already finished") }
    }

    /// Runs `body`; on error the writer is broken for good and its threads stop.
    private func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch {
            failure = error
            pool?.shutdown()
            pool = nil
            throw error
        }
    }
}
