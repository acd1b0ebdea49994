import CLibXML2
import SeqPortModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Validates a document against an XSD on a thread of its own, a chunk at a time, alongside an
/// `XMLRecordReader` that parses the same chunks without the schema.
///
/// XSD validation is most of what reading a bundle's XML copy costs (for the 1M-event copy, libxml2's
/// validator takes about three times as long as its parser), and it needs no result of the reader's:
/// so on a machine with a second core the reader queues each 64 KiB chunk here as soon as it has read it
/// (up to eight ahead of its own parsing, so this thread, the slower one, is never left waiting), and
/// before it hands out the records it completed in a chunk it waits for this chunk's errors (`finish`).
/// Both parsers have then seen exactly the same bytes, so every validity error about a record the reader
/// completed in the chunk is known before the reader hands that record out — the same errors, in the
/// same records, as validating in the reader's own parser (`XMLRecordReader` does that on one core).
///
/// The validator's own parser has no handlers but the plug's and the two that count records: each
/// validity error is put in the record (a child of the root) whose start tag, text or end tag was being
/// validated, or in none. Its well-formedness errors are ignored: the reader's parser meets the same ones.
// @unchecked Sendable: `queue`, `results` and `closing` are read and written under `lock`; the parser,
// its counters and `found` belong to the validating thread; `setupError` is written by it before the
// `done` signal that `finish` waits for.
final class XMLSchemaValidator: @unchecked Sendable {
    /// A validity error and the record (from 1) it is about; nil outside every record.
    struct Found {
        var record: Int?
        var diagnostic: LibXMLDiagnostic
    }

    private let schema: XMLSchema
    /// Counts the chunks queued, and the chunks validated.
    private let go = Semaphore()
    private let done = Semaphore()
    private var thread: pthread_t?
    /// Guards `queue`, `results` and `closing`.
    private let lock = Lock()
    private var queue: [(bytes: [UInt8], terminate: Bool)] = []
    private var results: [[Found]] = []
    private var closing = false

    // The validating thread's state.
    private var parser: PushParser?
    private var depth = 0
    private var records = 0
    /// The record the event being validated belongs to.
    private var eventRecord: Int?
    private var found: [Found] = []
    private var setupError: Error?

    /// Starts the validating thread; nil when none can be started (the caller validates itself).
    init?(schema: XMLSchema) {
        self.schema = schema
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { raw in
            let me = Unmanaged<XMLSchemaValidator>.fromOpaque(raw!).takeRetainedValue()
            me.run()
            return nil
        }, box) == 0 else {
            Unmanaged<XMLSchemaValidator>.fromOpaque(box).release()
            return nil
        }
        self.thread = thread
    }

    /// Queues the next chunk (`terminate`: the document ends after it) for validation; chunks are
    /// validated in the order they are queued, as far ahead of `finish` as the caller queues them.
    func start(_ bytes: [UInt8], terminate: Bool) {
        lock.withLock { queue.append((bytes, terminate)) }
        go.signal()
    }

    /// Waits until the oldest chunk not yet finished is validated; returns the validity errors found in it.
    func finish() throws -> [Found] {
        done.wait()
        if let setupError { throw setupError }
        return lock.withLock { results.removeFirst() }
    }

    /// Stops the thread (chunks still queued are dropped) and waits for it.
    func close() {
        guard let thread else { return }
        self.thread = nil
        lock.withLock { closing = true }
        go.signal()
        pthread_join(thread, nil)
    }

    private func run() {
        LibXML.prepare()
        while true {
            go.wait()
            guard let item: (bytes: [UInt8], terminate: Bool) = lock.withLock({ closing ? nil : queue.removeFirst() }) else { break }
            if setupError == nil && parser == nil {
                do { try open() } catch { setupError = error }
            }
            if let parser, setupError == nil {
                item.bytes.withUnsafeBytes { parser.parse($0) }
                if item.terminate { parser.end() }
            }
            let chunkFound = found
            found.removeAll(keepingCapacity: true)
            lock.withLock { results.append(chunkFound) }
            done.signal()
        }
        parser = nil
    }

    private func open() throws {
        parser = try PushParser(handlers: { sax in
            sax.pointee.startElementNs = { context, _, _, _, _, _, _, _, _ in
                guard let me = XMLSchemaValidator.validator(context) else { return }
                me.depth += 1
                if me.depth == 2 { me.records += 1 }
                me.eventRecord = me.depth >= 2 ? me.records : nil
            }
            sax.pointee.endElementNs = { context, _, _, _ in
                guard let me = XMLSchemaValidator.validator(context) else { return }
                me.eventRecord = me.depth >= 2 ? me.records : nil
                me.depth -= 1
            }
            let text: charactersSAXFunc = { context, _, _ in
                guard let me = XMLSchemaValidator.validator(context) else { return }
                me.eventRecord = me.depth >= 2 ? me.records : nil
            }
            sax.pointee.characters = text
            sax.pointee.ignorableWhitespace = text
            sax.pointee.cdataBlock = text
        }, context: Unmanaged.passUnretained(self).toOpaque(), schema: schema, validityError: { context, error in
            guard let me = XMLSchemaValidator.validator(context), let error, !LibXMLDiagnostic.isWarning(error) else { return }
            let diagnostic = LibXMLDiagnostic(error)
            guard diagnostic.isValidity else { return }
            if let last = me.found.last, last.record != nil, last.record == me.eventRecord { return }
            me.found.append(Found(record: me.eventRecord, diagnostic: diagnostic))
        }, locator: { context, file, line in
            guard let me = XMLSchemaValidator.validator(context) else { return -1 }
            file?.pointee = nil
            line?.pointee = UInt(me.parser?.line ?? 0)
            return 0
        })
    }

    private static func validator(_ context: UnsafeMutableRawPointer?) -> XMLSchemaValidator? {
        context.map { Unmanaged<XMLSchemaValidator>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// A counting semaphore on a pthread mutex and condition (no Foundation in this module).
// @unchecked Sendable: `count` is read and written only under `mutex`.
final class Semaphore: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var count = 0

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func signal() {
        pthread_mutex_lock(mutex)
        count += 1
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while count == 0 { pthread_cond_wait(condition, mutex) }
        count -= 1
        pthread_mutex_unlock(mutex)
    }
}
