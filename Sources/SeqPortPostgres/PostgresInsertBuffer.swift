import PostgresNIO
import SeqPortStore

/// Rows waiting to be inserted, sent as multi-row `INSERT … VALUES (…), (…)` statements.
///
/// Rows of one table keep their order, and tables are sent in the order they were first used in
/// this batch (so a parent table used first is filled first). A full buffer is flushed by its owner.
struct PostgresInsertBuffer {
    /// Send when this many parameters are waiting (PostgreSQL allows 65,535 per statement).
    static let maxParameters = 30_000
    /// Send when this many rows are waiting.
    static let maxRows = 2_000

    private var order: [String] = []
    private var groups: [String: (table: String, columns: [String], rows: [[StoreValue]])] = [:]
    private var parameters = 0
    private var rows = 0

    var isEmpty: Bool { rows == 0 }
    var isFull: Bool { parameters >= Self.maxParameters || rows >= Self.maxRows }

    mutating func add(table: String, columns: [String], values: [StoreValue]) {
        let id = table + "\u{0}" + columns.joined(separator: "\u{0}")
        if groups[id] == nil {
            order.append(id)
            groups[id] = (table, columns, [])
        }
        groups[id]!.rows.append(values)
        parameters += values.count
        rows += 1
    }

    /// The statements for everything waiting, in order, and an empty buffer.
    mutating func take() -> [(sql: String, binds: PostgresBindings, table: String)] {
        var out: [(String, PostgresBindings, String)] = []
        for id in order {
            let g = groups[id]!
            let head = "INSERT INTO \(quoted(g.table)) (\(g.columns.map(quoted).joined(separator: ", "))) VALUES "
            let perStatement = max(1, 65_535 / max(1, g.columns.count))
            var start = 0
            while start < g.rows.count {
                let chunk = g.rows[start..<min(g.rows.count, start + perStatement)]
                var sql = head
                var binds = PostgresBindings(capacity: chunk.count * g.columns.count)
                var n = 0
                for (r, row) in chunk.enumerated() {
                    sql += r == 0 ? "(" : ", ("
                    for (c, value) in row.enumerated() {
                        n += 1
                        sql += c == 0 ? "$\(n)" : ", $\(n)"
                        binds.append(store: value)
                    }
                    sql += ")"
                }
                out.append((sql, binds, g.table))
                start += perStatement
            }
        }
        order = []
        groups = [:]
        parameters = 0
        rows = 0
        return out
    }
}
