import SeqPortCSV
import SeqPortModel

/// libFuzzer entry point for the CSV reader (`Fuzz/run.sh`).
@_cdecl("LLVMFuzzerTestOneInput")
public func csvFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (typed, chunk, body) = FuzzSupport.mode(data, size)
    do {
        var reader = try CSVReader(source: MemorySource(body, chunk: chunk), layout: typed ? FuzzSupport.layout : nil, limits: FuzzSupport.limits)
        FuzzSupport.drain(&reader)
    } catch is SeqPortError {
    } catch {
        preconditionFailure("non-seqport error: \(error)")
    }
    return 0
}
