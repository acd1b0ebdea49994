import SeqPortJSON
import SeqPortModel

/// libFuzzer entry point for the JSON reader and tokenizer (`Fuzz/run.sh`).
@_cdecl("LLVMFuzzerTestOneInput")
public func jsonFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (typed, chunk, body) = FuzzSupport.mode(data, size)
    var reader = JSONRecordReader(source: MemorySource(body, chunk: chunk), layout: typed ? FuzzSupport.layout : nil, limits: FuzzSupport.limits)
    FuzzSupport.drain(&reader)
    return 0
}
