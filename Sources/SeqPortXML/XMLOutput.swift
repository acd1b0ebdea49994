import CLibXML2
import SeqPortModel

/// The bytes libxml2's writer produces, gathered in a 64 KiB buffer and passed on to a `ByteSink`.
///
/// libxml2 calls `writeCallback` with an unretained pointer to this object; the writer core keeps it
/// alive for as long as the `xmlOutputBuffer` exists. A sink error is remembered, the callback
/// returns -1, and the writer rethrows the remembered error.
final class XMLOutput {
    static let capacity = 64 * 1024

    private let sink: any ByteSink
    private var buffer: [UInt8] = []
    /// The first error the sink threw; once set, nothing more is written.
    private(set) var error: Error?
    /// Set when the owner is gone: late flushes from libxml2 are dropped instead of written.
    var isDetached = false

    init(sink: any ByteSink) {
        self.sink = sink
        buffer.reserveCapacity(Self.capacity)
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    private func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard error == nil, !isDetached else { return false }
        do {
            if buffer.count + bytes.count > Self.capacity { try flush() }
            if bytes.count >= Self.capacity {
                try sink.write(bytes)
            } else {
                buffer.append(contentsOf: bytes)
            }
            return true
        } catch {
            self.error = error
            return false
        }
    }

    /// Passes the buffered bytes to the sink.
    func flush() throws {
        if let error { throw error }
        guard !buffer.isEmpty else { return }
        do {
            try buffer.withUnsafeBytes { try sink.write($0) }
            buffer.removeAll(keepingCapacity: true)
        } catch {
            self.error = error
            throw error
        }
    }

    static let writeCallback: xmlOutputWriteCallback = { context, bytes, count in
        guard let context else { return -1 }
        let output = Unmanaged<XMLOutput>.fromOpaque(context).takeUnretainedValue()
        guard count > 0, let bytes else { return 0 }
        return output.append(UnsafeRawBufferPointer(start: bytes, count: Int(count))) ? count : -1
    }

    static let closeCallback: xmlOutputCloseCallback = { _ in 0 }
}
