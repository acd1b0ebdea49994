import SeqPortModel
import SeqPortXML

/// libFuzzer entry point for the XML reader (`Fuzz/run.sh`).
@_cdecl("LLVMFuzzerTestOneInput")
public func xmlFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (typed, chunk, body) = FuzzSupport.mode(data, size)
    var reader = XMLRecordReader(source: MemorySource(body, chunk: chunk), layout: typed ? FuzzSupport.layout : nil, limits: FuzzSupport.limits)
    FuzzSupport.drain(&reader)
    return 0
}
