import Crypto
import SeqPortCSV
import SeqPortModel

/// Per-record fingerprints written beside editable categories (`fingerprints/<category>.csv`): the
/// key and a SHA-256 (first 128 bits, hex) of the record as exported. An import compares the
/// store's current record with it; a difference means the record changed since the export (a conflict).
public struct Fingerprints {
    public static let layout = RecordLayout(name: "fingerprints", fields: [Field(name: "key", type: .string, nullable: false),
                                                                    Field(name: "fingerprint", type: .string, nullable: false)])
    public var writer: CSVWriter
    public let keyIndex: Int

    public init(writer: CSVWriter, keyIndex: Int) {
        self.writer = writer
        self.keyIndex = keyIndex
    }

    public mutating func add(_ record: Record) throws {
        try writer.write(Record([record[keyIndex], .text(Self.of(record))]))
    }

    public mutating func finish() throws { try writer.finish() }

    /// The fingerprint of a record: NULL and every text are encoded unambiguously (tag, length, bytes).
    public static func of(_ record: Record) -> String {
        var hasher = SHA256()
        for value in record.values {
            switch value {
            case .null:
                hasher.update(data: [0])
            case .text(let s):
                var length = UInt64(s.utf8.count).littleEndian
                hasher.update(data: [1])
                withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
                hasher.update(data: Array(s.utf8))
            }
        }
        return hex(hasher.finalize().prefix(16))
    }
}
