import Foundation
import SeqPortArchive
import SeqPortModel

/// libFuzzer entry point for the ZIP reader (`Fuzz/run.sh`): the input is written to a file (the
/// reader reads files), opened with small limits, and every entry is inflated.
let zipFuzzPath = "/tmp/seqport-zipfuzz-\(getpid()).zip"

@_cdecl("LLVMFuzzerTestOneInput")
public func zipFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fd = open(zipFuzzPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        if n <= 0 { break }
        written += n
    }
    close(fd)
    var limits = ZipLimits()
    limits.maxEntries = 64
    limits.maxTotalUncompressedBytes = 8 << 20
    limits.maxEntryUncompressedBytes = 4 << 20
    limits.ratioCheckAfterBytes = 1 << 20
    do {
        let zip = try ZipReader(path: zipFuzzPath, limits: limits)
        for entry in zip.entries {
            do { _ = try zip.readAll(entry, maxBytes: 4 << 20) } catch is SeqPortError {}
        }
    } catch is SeqPortError {
    } catch {
        preconditionFailure("non-seqport error: \(error)")
    }
    return 0
}
