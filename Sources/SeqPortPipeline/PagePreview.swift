import SeqPortModel

/// What the page shows of one category: the first rows, the count and the date range.
struct PagePreview {
    var category: String
    var layout: RecordLayout
    var rows: [Record]
    var total: Int
    var earliest: String?
    var latest: String?

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
        if earliest.map({ t < $0 }) ?? true { earliest = t }
        if latest.map({ t > $0 }) ?? true { latest = t }
    }
}
