import SeqPortModel

/// The record errors of one run of `import FILE` or `pack` (`--max-errors`), shared by the readers of
/// every file the run reads; `Converter` keeps the same rules for `convert`.
final class ErrorCollector {
    /// The most errors listed; one allowed means the first is thrown as it is, as before `--max-errors`.
    let limit: Int
    private(set) var list = ErrorList()

    init(limit: Int) { self.limit = max(1, limit) }

    var isEmpty: Bool { list.total == 0 }

    /// Adds an error that stopped the run after others were collected, so that all are reported together.
    func add(stopping error: SeqPortError) {
        list.add(error, keeping: limit)
        list.stopped = true
    }

    /// Throws the errors collected, if any.
    func throwIfAny() throws {
        if !isEmpty { throw list.thrown }
    }

    /// Runs `body`; an error it throws after others were collected joins them.
    func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SeqPortError where !isEmpty {
            add(stopping: e)
            throw list
        }
    }

    /// Reads `base` on past the errors it can read past (`ResumableRecordReader`: an error in one record's
    /// values), collecting them; ends the records at the limit or at an error it cannot read past.
    func reading(_ base: any RecordReader, entry: String) -> CollectingReader { CollectingReader(base: base, collector: self, entry: entry) }

    fileprivate func collect(_ error: SeqPortError, resumable: Bool) -> Bool {
        list.add(error, keeping: limit)
        if !resumable || list.total >= limit { list.stopped = true }
        return !list.stopped
    }
}

/// A reader whose record errors go to an `ErrorCollector` (`ErrorCollector.reading`).
struct CollectingReader: RecordReader {
    /// The reader read, as it is after the records handed out so far.
    private(set) var base: any RecordReader
    let collector: ErrorCollector
    let entry: String
    private var ended = false

    init(base: any RecordReader, collector: ErrorCollector, entry: String) {
        self.base = base
        self.collector = collector
        self.entry = entry
    }

    var layout: RecordLayout { base.layout }

    mutating func next() throws -> Record? {
        guard !ended else { return nil }
        while true {
            do {
                return try base.next()
            } catch let e as SeqPortError {
                let resumable = (base as? any ResumableRecordReader)?.canContinueAfterError == true
                // The first error of a run that cannot go on, or with one error allowed, is thrown as it is.
                guard collector.limit > 1, resumable || !collector.isEmpty else { throw e }
                if !collector.collect(e.within(entry: entry), resumable: resumable) {
                    ended = true
                    return nil
                }
            }
        }
    }
}
