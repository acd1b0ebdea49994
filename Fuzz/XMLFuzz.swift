import SeqPortModel
import SeqPortXML

/// The XSD for the fuzz layout, compiled once (bit 4 of the first byte validates against it).
nonisolated(unsafe) let fuzzSchema = try? XMLSchema(xsd: Array(XSDGenerator.document(for: [FuzzSupport.layout]).utf8))

/// libFuzzer entry point for the XML reader (`Fuzz/run.sh`). Bit 4 of the first byte adds the XSD
/// (validated on a thread of its own where there are two cores); bit 5 reads on past every error
/// that leaves the document readable, as `--max-errors` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func xmlFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (typed, chunk, body) = FuzzSupport.mode(data, size)
    let validate = size > 0 && data[0] & 0x10 != 0
    let readOn = size > 0 && data[0] & 0x20 != 0
    var reader = XMLRecordReader(source: MemorySource(body, chunk: chunk), layout: typed ? FuzzSupport.layout : nil,
                                 limits: FuzzSupport.limits, schema: validate ? fuzzSchema : nil)
    guard readOn else {
        FuzzSupport.drain(&reader)
        return 0
    }
    var errors = 0
    while errors < 10_000 {
        do {
            guard let r = try reader.next() else { break }
            precondition(r.values.count == reader.layout.fields.count, "record width differs from the layout")
        } catch let e as SeqPortError {
            precondition(!e.description.contains("\n"), "error message spans lines")
            errors += 1
            if !reader.canContinueAfterError {
                // A reader that stopped says so again, with the same error.
                do { _ = try reader.next(); preconditionFailure("a stopped reader read on") } catch {}
                break
            }
        } catch {
            preconditionFailure("the reader threw a non-seqport error: \(error)")
        }
    }
    return 0
}
