import SeqPortModel

/// What the page shows of one category: the first rows, the count and the date range.
struct PagePreview {
    var category: String
    var layout: RecordLayout
    var rows: [Record]
    var total: Int
    /// The date range's ends as bytes (canonical dates and timestamps are ASCII, so byte order is
    /// their order).
    private var earliestBytes: [UInt8]?
    private var latestBytes: [UInt8]?
    var earliest: String? { earliestBytes.map { String(decoding: $0, as: UTF8.self) } }
    var latest: String? { latestBytes.map { String(decoding: $0, as: UTF8.self) } }

    init(category: String, layout: RecordLayout, rows: [Record], total: Int) {
        self.category = category
        self.layout = layout
        self.rows = rows
        self.total = total
        timeIndex = layout.fields.firstIndex { $0.type == .timestamp || $0.type == .date }
    }

    private let timeIndex: Int?

    /// Widens the date range with a record's first date or timestamp field.
    mutating func observe(_ record: Record) {
        guard let i = timeIndex, case .text(let t) = record[i] else { return }
        Array(t.utf8).withUnsafeBufferPointer { observe($0) }
    }

    /// The same for a record given as borrowed bytes.
    mutating func observe(_ view: RecordView) {
        guard let i = timeIndex, !view[i].isNull else { return }
        observe(view[i].bytes)
    }

    private mutating func observe(_ t: UnsafeBufferPointer<UInt8>) {
        if earliestBytes.map({ t.lexicographicallyPrecedes($0) }) ?? true { earliestBytes = Array(t) }
        if latestBytes.map({ $0.lexicographicallyPrecedes(t) }) ?? true { latestBytes = Array(t) }
    }
}
