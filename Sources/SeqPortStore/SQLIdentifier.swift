/// A name for SQL, in double quotes: identifiers from the schema are `[a-z][a-z0-9_]*`, quoted anyway,
/// and a double quote inside one is doubled. Both stores build every statement with it.
public func quoted(_ identifier: String) -> String {
    // Every insert builds its SQL (Foundation's replacingOccurrences here was 44% of `seqport sample`'s
    // instructions): identifiers almost never hold a quote, so check the bytes first; a quote is doubled
    // byte by byte, as both servers read it, and without Foundation.
    guard identifier.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + identifier + "\"" }
    var bytes: [UInt8] = [UInt8(ascii: "\"")]
    for b in identifier.utf8 {
        bytes.append(b)
        if b == UInt8(ascii: "\"") { bytes.append(b) }
    }
    bytes.append(UInt8(ascii: "\""))
    return String(decoding: bytes, as: UTF8.self)
}
