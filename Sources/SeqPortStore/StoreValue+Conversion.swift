import SeqPortModel

extension StoreValue {
    /// The store form of a canonical value of `field`: integers as integers, booleans as booleans,
    /// everything else as text (decimals, dates and timestamps keep their canonical text).
    public init(_ value: Value, for field: Field) {
        guard case .text(let text) = value else { self = .null; return }
        switch field.type {
        case .integer: self = Int64(text).map(StoreValue.integer) ?? .text(text)
        case .boolean: self = .boolean(text == "true")
        default: self = .text(text)
        }
    }
}

/// Names for SQL: identifiers from the schema are `[a-z][a-z0-9_]*`, quoted anyway.
func quoted(_ identifier: String) -> String {
    // Foundation's replacingOccurrences was 44% of `seqport sample`'s instructions (every insert
    // builds its SQL); identifiers almost never hold a quote, so check the bytes first.
    guard identifier.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + identifier + "\"" }
    return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
