import SeqPortModel

/// Writes cards as one jCard stream: a JSON array of jCards (`[["vcard",…],…]`, RFC 7095 §3.3).
public struct JCardWriter {
    private let sink: any ByteSink
    private var buffer: [UInt8] = [UInt8(ascii: "[")]
    private var count = 0
    private var finished = false

    public init(sink: any ByteSink) { self.sink = sink }

    /// - Throws: `vcard.unrepresentable` as `VCardWriter` does, naming the card as the record.
    public mutating func write(_ card: VCard) throws {
        guard !finished else { throw SeqPortError(.internalError, "jcard written after finish") }
        count += 1
        if count > 1 { buffer.append(UInt8(ascii: ",")) }
        do {
            try JCard.append(card, to: &buffer)
        } catch var error as SeqPortError {
            if error.location.record == nil { error.location.record = count }
            throw error
        }
        if buffer.count >= 64 << 10 {
            try sink.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    public mutating func finish() throws {
        guard !finished else { throw SeqPortError(.internalError, "jcard writer finished twice") }
        finished = true
        buffer.append(UInt8(ascii: "]"))
        try sink.write(buffer)
    }
}
