import GRDB

/// Runs SQL on a test store directly, to put there what seqport itself would never write
/// (invalid UTF-8 in a text column). Kept apart: GRDB's `Record` and `Configuration` would shadow seqport's.
func executeRawSQL(_ path: String, _ sql: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in try db.execute(sql: sql) }
}
