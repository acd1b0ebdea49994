import SeqPortModel

/// Refuses a JSON document in which any object holds the same member name twice.
///
/// RFC 8259 leaves duplicate names to the reader: Foundation's `JSONDecoder` keeps the first,
/// `jq` and Python keep the last. A document that two readers read differently (a manifest naming one
/// subject to seqport and another to `jq`) is refused instead (`json.duplicate-key`, with the JSON path
/// of the object and the line and column of the second name). Names are compared after unescaping, so
/// `"a"` and `"\u0061"` are the same name.
public enum JSONDuplicateKeyCheck {
    /// Scans the whole document; throws the first duplicate name, or any syntax error of the tokenizer.
    public static func check(_ source: any ByteSource, limits: ReaderLimits = .default) throws {
        var tokens = JSONTokenizer(source: source, limits: limits)
        /// One frame per open container: its path component, the names seen (objects), the next index (arrays).
        var frames: [(names: Set<String>?, index: Int, component: String)] = []
        var pendingKey: String?
        func enterValue() -> String {
            guard let top = frames.last else { return "" }
            if top.names != nil { return "." + (pendingKey ?? "") }
            let i = top.index
            frames[frames.count - 1].index += 1
            return "[\(i)]"
        }
        func path() -> String { "$" + frames.map(\.component).joined() }
        while let token = try tokens.next() {
            switch token {
            case .beginObject, .beginArray:
                let component = enterValue()
                frames.append((token == .beginObject ? [] : nil, 0, component))
                pendingKey = nil
            case .endObject, .endArray:
                frames.removeLast()
            case .key(let name):
                if frames[frames.count - 1].names!.insert(name).inserted == false {
                    throw SeqPortError(.jsonDuplicateKey, "the object at \(path()) has the member \"\(name.prefix(64))\" twice; remove one of them",
                                       at: tokens.location)
                }
                pendingKey = name
            default:
                _ = enterValue()
            }
        }
    }
}
