import Foundation
import SeqPortModel

/// What the page shows of one category: the first rows, the count and the date range.
public struct PagePreview {
    public var category: String
    public var layout: RecordLayout
    public var rows: [Record]
    public var total: Int
    /// The date range's ends as bytes (canonical dates and timestamps are ASCII, so byte order is
    /// their order).
    private var earliestBytes: [UInt8]?
    private var latestBytes: [UInt8]?
    public var earliest: String? { earliestBytes.map { String(decoding: $0, as: UTF8.self) } }
    public var latest: String? { latestBytes.map { String(decoding: $0, as: UTF8.self) } }

    public init(category: String, layout: RecordLayout, rows: [Record], total: Int) {
        self.category = category
        self.layout = layout
        self.rows = rows
        self.total = total
        timeIndex = layout.fields.firstIndex { $0.type == .timestamp || $0.type == .date }
    }

    private let timeIndex: Int?

    /// Widens the date range with a record's first date or timestamp field.
    public mutating func observe(_ record: Record) {
        guard let i = timeIndex, case .text(let t) = record[i] else { return }
        Array(t.utf8).withUnsafeBufferPointer { observe($0) }
    }

    /// The same for a record given as borrowed bytes.
    public mutating func observe(_ view: RecordView) {
        guard let i = timeIndex, !view[i].isNull else { return }
        observe(view[i].bytes)
    }

    private mutating func observe(_ t: UnsafeBufferPointer<UInt8>) {
        if earliestBytes.map({ Self.compare(t, $0) < 0 }) ?? true { Self.replace(&earliestBytes, with: t) }
        if latestBytes.map({ Self.compare(t, $0) > 0 }) ?? true { Self.replace(&latestBytes, with: t) }
    }

    /// Byte order of `a` and `b` (memcmp, then length).
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
        b.withUnsafeBufferPointer { b in
            let n = min(a.count, b.count)
            if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
                let c = memcmp(pa, pb, n)
                if c != 0 { return Int(c) }
            }
            return a.count - b.count
        }
    }

    /// Overwrites `slot` in place (timestamps rise record after record: no allocation each time).
    private static func replace(_ slot: inout [UInt8]?, with t: UnsafeBufferPointer<UInt8>) {
        if slot == nil { slot = [] }
        slot!.removeAll(keepingCapacity: true)
        slot!.append(contentsOf: t)
    }
}
