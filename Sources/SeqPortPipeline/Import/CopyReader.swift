import SeqPortModel

/// Reads one category from one or more copies in lockstep and hands out one record at a time;
/// when the copies disagree about a record it stops and names both files and the record.
struct CopyReader {
    var readers: [(path: String, reader: any RecordReader)]
    private(set) var count = 0

    init(_ readers: [(path: String, reader: any RecordReader)]) { self.readers = readers }

    mutating func next() throws -> Record? {
        var first: Record?
        for i in readers.indices {
            let record: Record?
            do {
                record = try readers[i].reader.next()
            } catch let e as SeqPortError {
                throw e.within(entry: readers[i].path)
            }
            if i == 0 {
                first = record
            } else if record != first {
                throw SeqPortError(.importCopiesDisagree,
                                   "\(readers[0].path) and \(readers[i].path) were both edited and disagree about record \(count + 1)",
                                   at: SourceLocation(entry: readers[i].path, record: count + 1))
            }
        }
        if first != nil { count += 1 }
        return first
    }
}

/// Orders keys as the stores do: integer keys numerically, text keys by their UTF-8 bytes.
func keyPrecedes(_ a: String, _ b: String, integer: Bool) -> Bool {
    if integer, let x = Int64(a), let y = Int64(b) { return x < y }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}
