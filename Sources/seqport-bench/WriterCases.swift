import Foundation
import SeqPortCSV
import SeqPortJSON
import SeqPortModel
import SeqPortPipeline
import SeqPortStore

/// A sink that only counts (so writers are timed, not I/O).
final class CountingSink: ByteSink {
    var count = 0
    func write(_ bytes: UnsafeRawBufferPointer) throws { count += bytes.count }
}

struct Stop: Error {}

/// The first `limit` records of one category of one subject, read through the store's normal path.
func loadRecords(store: any Store, subject: String, category name: String, limit: Int) throws -> (RecordLayout, [Record]) {
    let category = store.schema.category(named: name)!
    let layout = category.layout(scope: .access)
    var records: [Record] = []
    records.reserveCapacity(limit)
    do {
        try store.withSnapshot { snap in
            try snap.forEachRecord(subject: subject, in: category, fields: layout.fields) { record in
                records.append(record)
                if records.count >= limit { throw Stop() }
            }
        }
    } catch where records.count >= limit {}   // the store wraps the Stop thrown above
    return (layout, records)
}

/// Best of `runs` timings of `body`, which returns the bytes it produced.
func bestOf(_ runs: Int, _ body: () throws -> Int) rethrows -> (seconds: Double, bytes: Int) {
    var best = Double.infinity, bytes = 0
    for _ in 0..<runs {
        var n = 0
        let t = try timed { n = try body() }
        if t < best { best = t; bytes = n }
    }
    return (best, bytes)
}

/// seqport's JSON writer against Foundation's `JSONEncoder` on the same records.
func jsonWriterCase(layout: RecordLayout, records: [Record]) throws -> (ours: (Double, Int), dict: (Double, Int), codable: (Double, Int)) {
    let ours = try bestOf(3) {
        let sink = CountingSink()
        var w = JSONRecordWriter(layout: layout, sink: sink)
        for r in records { try w.write(r) }
        try w.finish()
        return sink.count
    }
    // The generic reference: one [String: String?] per record (JSONEncoder cannot type the values).
    let names = layout.fields.map(\.name)
    let dicts: [[String: String?]] = records.map { r in
        Dictionary(uniqueKeysWithValues: zip(names, r.values.map(\.text)))
    }
    let dict = try bestOf(3) { try JSONEncoder().encode(dicts).count }
    // The typed reference: a Codable struct (only for usage_events, whose fields are known here).
    let events: [UsageEvent] = records.map { UsageEvent($0) }
    let codable = try bestOf(3) { try JSONEncoder().encode(events).count }
    return (ours, dict, codable)
}

/// The `usage_events` record as a Codable struct, fields in layout order.
struct UsageEvent: Codable {
    var id: Int64
    var occurred_at: String
    var event_type: String
    var page: String?
    var duration_ms: Int64?
    var referrer: String?

    init(_ r: Record) {
        id = Int64(r[0].text ?? "0") ?? 0
        occurred_at = r[1].text ?? ""
        event_type = r[2].text ?? ""
        page = r[3].text
        duration_ms = r[4].text.flatMap { Int64($0) }
        referrer = r[5].text
    }

    enum CodingKeys: String, CodingKey { case id, occurred_at, event_type, page, duration_ms, referrer }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(occurred_at, forKey: .occurred_at)
        try c.encode(event_type, forKey: .event_type)
        try c.encode(page, forKey: .page)           // null, like seqport
        try c.encode(duration_ms, forKey: .duration_ms)
        try c.encode(referrer, forKey: .referrer)
    }
}

/// seqport's CSV writer against a naive String-concatenation writer with the same quoting rules
/// (no formula guard, which only makes the reference cheaper).
func csvWriterCase(layout: RecordLayout, records: [Record]) throws -> (ours: (Double, Int), naive: (Double, Int)) {
    let ours = try bestOf(3) {
        let sink = CountingSink()
        var w = CSVWriter(layout: layout, sink: sink)
        for r in records { try w.write(r) }
        try w.finish()
        return sink.count
    }
    let naive = try bestOf(3) {
        let sink = CountingSink()
        func cell(_ s: String) -> String {
            if s.isEmpty { return "\"\"" }
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
                || s.first == " " || s.last == " " {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
        var out = "\u{FEFF}" + layout.fields.map { cell($0.name) }.joined(separator: ",") + "\r\n"
        for r in records {
            out += r.values.map { $0.text.map(cell) ?? "" }.joined(separator: ",") + "\r\n"
            if out.utf8.count >= 64 << 10 { try sink.write(out); out = "" }
        }
        try sink.write(out)
        return sink.count
    }
    return (ours, naive)
}
