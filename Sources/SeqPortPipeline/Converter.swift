import Foundation
import SeqPortArchive
import SeqPortModel

/// `seqport convert`: one file from one format to another, one record at a time.
public enum Converter {
    /// Converts `path`; writes `out` atomically (private: 0600 less the umask, or exactly `mode`;
    /// a link, FIFO or device is written in place, see `AtomicFile`), or standard output when `out` is nil.
    public static func convert(path: String, from: BundleFormat, to: BundleFormat, layout: RecordLayout?, out: String?,
                               limits: ReaderLimits = .default, mode: mode_t? = nil) throws {
        let entry = (path as NSString).lastPathComponent
        do {
            var reader = try from.makeReader(source: try FileSource(path: path), layout: layout, limits: limits)
            let atomic = try out.map { try AtomicFile(finalPath: $0, mode: mode) }
            let standardOutput = atomic == nil ? try StandardOutput.sink() : nil
            let sink: any ByteSink = atomic?.sink ?? standardOutput!
            var writer: (any RecordWriter)?
            var name = layout?.name ?? (((entry as NSString).deletingPathExtension).isEmpty ? "records" : (entry as NSString).deletingPathExtension)
            if !Schema.isName(name) { name = "records" }
            while let record = try reader.next() {
                if writer == nil { writer = try to.makeWriter(layout: RecordLayout(name: name, fields: reader.layout.fields, isTyped: layout != nil), sink: sink) }
                try writer!.write(record)
            }
            if writer == nil { writer = try to.makeWriter(layout: RecordLayout(name: name, fields: reader.layout.fields, isTyped: layout != nil), sink: sink) }
            try writer!.finish()
            try atomic?.commit()
            try standardOutput?.close()
        } catch let e as SeqPortError {
            // An I/O error names its own path (the output, standard output); the others are about the input.
            throw e.code == .ioFailed ? e : e.within(entry: entry)
        }
    }
}

/// Standard output as a `FileSink` on a duplicate of descriptor 1: a write error (a full disk) is
/// `io.failed` naming standard output, not a trap or a lost write.
enum StandardOutput {
    static func sink() throws -> FileSink {
        let fd = dup(STDOUT_FILENO)
        guard fd >= 0 else { throw SeqPortError(.ioFailed, "cannot write standard output: \(String(cString: strerror(errno)))") }
        return FileSink(descriptor: fd, path: "standard output")
    }
}
