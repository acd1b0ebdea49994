import Foundation
import SeqPortArchive
import SeqPortModel

/// `seqport convert`: one file from one format to another, one record at a time.
public enum Converter {
    /// Converts `path`; writes `out` atomically, or standard output when `out` is nil.
    public static func convert(path: String, from: BundleFormat, to: BundleFormat, layout: RecordLayout?, out: String?,
                               limits: ReaderLimits = .default) throws {
        let entry = (path as NSString).lastPathComponent
        do {
            var reader = try from.makeReader(source: try FileSource(path: path), layout: layout, limits: limits)
            let atomic = try out.map { try AtomicFile(finalPath: $0) }
            let sink: any ByteSink = atomic?.sink ?? StandardOutputSink()
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
            if atomic == nil, let stdout = sink as? StandardOutputSink { try stdout.flush() }
        } catch let e as SeqPortError {
            throw e.within(entry: entry)
        }
    }
}

/// Buffered standard output.
final class StandardOutputSink: ByteSink {
    private var buffer: [UInt8] = []
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }
    func flush() throws {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
