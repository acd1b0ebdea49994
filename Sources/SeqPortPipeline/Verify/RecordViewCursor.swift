import SeqPortModel

/// One copy's records as borrowed bytes (`RecordView`), whatever reads it: a prefetching thread's
/// batches walked as they come, the reader's own batch path, or `next()` copied into a batch. What
/// verify and the import's `CopyReader` both read copies with; a `Record` is made only by the caller.
struct RecordViewCursor {
    private var reader: any RecordReader
    /// The copy's prefetching thread, if it has one.
    private let thread: PrefetchingReader?
    /// The reader's own batch path, if it has one (and no thread).
    private var batchReader: (any RecordBatchReader)?
    /// The batch the current record is in, and that record's position in it.
    private var batch = RecordBatch()
    private var position = 0

    init(_ reader: any RecordReader) {
        self.reader = reader
        thread = reader as? PrefetchingReader
        batchReader = thread == nil ? reader as? any RecordBatchReader : nil
    }

    /// The next record, valid until the next call; nil at the end.
    mutating func next() throws -> RecordView? {
        if let thread {
            if position >= batch.count {
                guard try thread.nextBatch(&batch) else { return nil }
                position = 0
            }
            position += 1
            return batch.view(position - 1)
        }
        batch.removeAll()
        if batchReader != nil {
            guard try batchReader!.read(into: &batch) else { return nil }
        } else {
            guard let record = try reader.next() else { return nil }
            batch.append(record)
        }
        return batch.view(0)
    }
}
