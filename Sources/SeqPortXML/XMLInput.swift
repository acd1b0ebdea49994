import CLibXML2
import SeqPortModel

/// The bytes libxml2's reader pulls: read from a `ByteSource` 64 KiB at a time, each chunk shown to
/// the prolog scanner before libxml2 gets it.
///
/// libxml2 calls `readCallback` with an unretained pointer to this object; the reader core keeps it
/// alive as long as the `xmlTextReader` exists. A source error (or a refused DOCTYPE) is remembered,
/// the callback returns -1, and the reader throws the remembered error.
final class XMLInput {
    static let capacity = 64 * 1024

    private let source: any ByteSource
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: XMLInput.capacity, alignment: 1)
    private var position = 0
    private var end = 0
    private var scanner = XMLPrologScanner()
    /// The first error from the source or the scanner; once set, libxml2 gets no more bytes.
    private(set) var error: Error?
    /// Where the records lie, when validity errors must be put in their record (an XSD is attached).
    var records: XMLRecordStarts?

    init(source: any ByteSource) { self.source = source }

    deinit { buffer.deallocate() }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    private func read(into target: UnsafeMutableRawBufferPointer) -> Int32 {
        guard error == nil else { return -1 }
        if position == end {
            do {
                let n = try source.read(into: buffer)
                guard n > 0 else { return 0 }
                if !scanner.isDone { try scanner.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
                position = 0
                end = n
            } catch {
                self.error = error
                return -1
            }
        }
        let n = min(target.count, end - position)
        target.baseAddress!.copyMemory(from: buffer.baseAddress! + position, byteCount: n)
        records?.scan(UnsafeRawBufferPointer(rebasing: target[0..<n]))
        position += n
        return Int32(n)
    }

    static let readCallback: xmlInputReadCallback = { context, bytes, count in
        guard let context, let bytes else { return -1 }
        let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
        guard count > 0 else { return 0 }
        return input.read(into: UnsafeMutableRawBufferPointer(start: bytes, count: Int(count)))
    }

    static let closeCallback: xmlInputCloseCallback = { _ in 0 }
}
