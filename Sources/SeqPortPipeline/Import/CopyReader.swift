import SeqPortModel

/// Reads one category from one or more copies in lockstep and hands out one record at a time;
/// when the copies disagree about a record it stops and names both files and the record.
///
/// Records come as borrowed views (`nextView()`, no `String` per value: the dry run's path) or as
/// owned `Record`s (`next()`); one reader uses one of the two throughout.
struct CopyReader {
    var readers: [(path: String, reader: any RecordReader)]
    private(set) var count = 0
    /// Per copy, its records as borrowed bytes.
    private var cursors: [RecordViewCursor]

    init(_ readers: [(path: String, reader: any RecordReader)]) {
        self.readers = readers
        cursors = readers.map { RecordViewCursor($0.reader) }
    }

    /// The next record as an owned `Record`.
    mutating func next() throws -> Record? { try nextView()?.record() }

    /// The next record, borrowed: valid until the next call. The copies' records are compared byte for
    /// byte; the first copy's is returned.
    mutating func nextView() throws -> RecordView? {
        var first: RecordView?
        for i in readers.indices {
            let record: RecordView?
            do {
                record = try cursors[i].next()
            } catch let e as SeqPortError {
                throw e.within(entry: readers[i].path)
            }
            if i == 0 {
                first = record
            } else if !Self.same(record, first) {
                throw SeqPortError(.importCopiesDisagree,
                                   "\(readers[0].path) and \(readers[i].path) were both edited and disagree about record \(count + 1)",
                                   at: SourceLocation(entry: readers[i].path, record: count + 1))
            }
        }
        if first != nil { count += 1 }
        return first
    }

    private static func same(_ a: RecordView?, _ b: RecordView?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return RecordView.same(a, b)
        default: return false
        }
    }
}

/// Orders keys as the stores do: integer keys numerically, text keys by their UTF-8 bytes.
func keyPrecedes(_ a: String, _ b: String, integer: Bool) -> Bool {
    if integer, let x = Int64(a), let y = Int64(b) { return x < y }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// `keyPrecedes` on a key's bytes, without a `String`: integers of up to 18 digits are read here,
/// anything else as `Int64(String)` reads it.
func keyPrecedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, integer: Bool) -> Bool {
    if integer, let x = integerKey(a), let y = integerKey(b) { return x < y }
    return a.lexicographicallyPrecedes(b)
}

/// What `Int64(String)` makes of these bytes.
func integerKey(_ u: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    var negative = false
    if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") {
        negative = u[i] == UInt8(ascii: "-")
        i += 1
    }
    let digits = u.count - i
    guard digits > 0, digits <= 18 else { return Int64(String(decoding: u, as: UTF8.self)) }
    var value: Int64 = 0
    while i < u.count {
        let d = u[i] &- 0x30
        guard d < 10 else { return nil }
        value = value &* 10 &+ Int64(d)
        i += 1
    }
    return negative ? -value : value
}

