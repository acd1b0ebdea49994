import SeqPortArchive
import SeqPortModel

/// What `seqport-bench` needs to time the workbook writer beside Python openpyxl's write-only mode on
/// the same records (issue 12, item 8): a synthetic usage-event layout, its records, a timed write, and
/// a Python script that writes exactly the same rows with openpyxl.
///
/// ```swift
/// let seconds = try XLSXBenchmark.write(records: 1_000_000, to: "/tmp/bench.xlsx")
/// // python3 -c XLSXBenchmark.openpyxlScript 1000000 /tmp/openpyxl.xlsx
/// ```
public enum XLSXBenchmark {
    /// Seven fields of every kind of cell: text, enum, timestamp, integer, decimal, boolean, text.
    public static let layout = RecordLayout(name: "usage_events", fields: [
        Field(name: "id", type: .string, nullable: false, description: "The event's key"),
        Field(name: "kind", type: .enumeration(["view", "click", "login", "logout"]), description: "What happened"),
        Field(name: "at", type: .timestamp, description: "When it happened (UTC)"),
        Field(name: "count", type: .integer, description: "How many times"),
        Field(name: "amount", type: .decimal, description: "An amount"),
        Field(name: "ok", type: .boolean, description: "Whether it succeeded"),
        Field(name: "page", type: .string, description: "The page"),
    ])

    /// Record `i` (from 0); the Python script makes the same values.
    public static func record(_ i: Int) -> Record {
        let kinds = ["view", "click", "login", "logout"]
        let seconds = Int64(1_704_067_200 + i)   // 2024-01-01T00:00:00Z + i s
        let cents = (i * 37) % 100_000
        return Record([
            .text("e-\(pad(i, 7))"), .text(kinds[i % 4]), .text(ValueSyntax.timestamp(epochSeconds: seconds)),
            .text(String((i * 7) % 1000)), .text("\(cents / 100).\(pad(cents % 100, 2))"),
            .text(i % 3 == 0 ? "false" : "true"), i % 5 == 0 ? .null : .text("/p/\(i % 977)/item?ref=\(i)"),
        ])
    }

    /// Writes `records` records of `layout` to a workbook at `path`; returns the file's size in bytes.
    @discardableResult
    public static func write(records: Int, to path: String, options: XLSXWorkbookWriter.Options = .init()) throws -> UInt64 {
        let sink = try FileSink(path: path)
        let workbook = XLSXWorkbookWriter(sink: sink, options: options)
        var sheet = try workbook.beginSheet(layout: layout, title: layout.name)
        for i in 0..<records { try sheet.write(record(i)) }
        try sheet.finish()
        try workbook.finish()
        try sink.close()
        return workbook.bytesWritten
    }

    /// `python3 -c openpyxlScript N PATH`: the same N records with openpyxl's write-only mode (text
    /// cells as text, numbers as numbers, booleans as booleans, NULL as an empty cell).
    public static let openpyxlScript = """
        import sys
        from openpyxl import Workbook
        n, path = int(sys.argv[1]), sys.argv[2]
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("usage_events")
        ws.append(["id", "kind", "at", "count", "amount", "ok", "page"])
        kinds = ["view", "click", "login", "logout"]
        import datetime
        base = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        for i in range(n):
            cents = (i * 37) % 100000
            at = (base + datetime.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            amount = "%d.%02d" % (cents // 100, cents % 100)
            ws.append(["e-%07d" % i, kinds[i % 4], at, (i * 7) % 1000,
                       float(amount) if not amount.endswith("0") else amount, i % 3 != 0,
                       None if i % 5 == 0 else "/p/%d/item?ref=%d" % (i % 977, i)])
        wb.save(path)
        """

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
