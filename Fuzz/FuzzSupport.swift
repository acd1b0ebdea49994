import SeqPortModel

/// Shared by every fuzz target: how the first input byte picks the reading mode, and a typed layout
/// with one field of each type, so value checking is fuzzed too.
enum FuzzSupport {
    /// The typed layout the seeds are written for: `name,count,price,ok,day,at,kind,mail,phone,site`.
    static let layout = RecordLayout(name: "fuzz", fields: [
        Field(name: "name", type: .string, maxLength: 64),
        Field(name: "count", type: .integer),
        Field(name: "price", type: .decimal),
        Field(name: "ok", type: .boolean),
        Field(name: "day", type: .date),
        Field(name: "at", type: .timestamp),
        Field(name: "kind", type: .enumeration(["a", "b"])),
        Field(name: "mail", type: .string, format: .email),
        Field(name: "phone", type: .string, format: .phone),
        Field(name: "site", type: .string, format: .url),
    ])

    /// Limits small enough that the fuzzer reaches them.
    static var limits: ReaderLimits {
        var l = ReaderLimits()
        l.maxValueBytes = 256
        l.maxFields = 16
        l.maxDepth = 8
        l.maxNameBytes = 32
        return l
    }

    /// Splits the input: byte 0 chooses typed (bit 0) and the read chunk size (bits 1–3: 1, 2, 3, 7, 64, 4096…).
    static func mode(_ data: UnsafePointer<UInt8>, _ size: Int) -> (typed: Bool, chunk: Int, body: [UInt8]) {
        guard size > 0 else { return (false, .max, []) }
        let chunks = [1, 2, 3, 7, 64, 4096, 65536, Int.max]
        let b = data[0]
        return (b & 1 == 1, chunks[Int((b >> 1) & 7)], Array(UnsafeBufferPointer(start: data + 1, count: size - 1)))
    }

    /// Reads every record; a `SeqPortError` is a clean refusal. Anything else is a finding.
    static func drain(_ reader: inout some RecordReader) {
        var n = 0
        do {
            while let r = try reader.next() {
                precondition(r.values.count == reader.layout.fields.count, "record width differs from the layout")
                n += 1
            }
        } catch let e as SeqPortError {
            precondition(!e.description.contains("\n") && !e.description.contains("\r"), "error message spans lines: \(String(reflecting: e.description))")
        } catch {
            preconditionFailure("a reader threw a non-seqport error: \(error)")
        }
    }
}
