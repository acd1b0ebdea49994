/// Where a writer puts bytes. Implementations buffer or compress; they decide nothing about formats.
public protocol ByteSink: AnyObject {
    /// Takes these bytes; they may be reused by the caller after the call returns.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink {
    /// Writes an array of bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes the UTF-8 bytes of a string.
    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}

/// Where a reader gets bytes: a file, an inflating archive entry, memory.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end of input, never blocks forever.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Writes records of one layout to a sink, one at a time (the format decides the bytes).
///
/// Call `write(_:)` for each record in order, then `finish()` exactly once. A writer holds at most a
/// small buffer, never a whole category.
public protocol RecordWriter {
    /// The layout of the records this writer accepts.
    var layout: RecordLayout { get }
    /// Writes one record; `record.values.count == layout.fields.count`.
    mutating func write(_ record: Record) throws
    /// Writes one record given as borrowed bytes (`RecordView`): the export's path, with no `String`
    /// per value. The default copies the view into a `Record`; the format writers write it directly.
    mutating func write(_ view: RecordView) throws
    /// Writes whatever closes the document and flushes the buffer into the sink.
    mutating func finish() throws
}

extension RecordWriter {
    public mutating func write(_ view: RecordView) throws { try write(view.record()) }
}

/// Reads records one at a time (GRDB's `Cursor`): `next()` returns `nil` at the end.
///
/// Errors are `SeqPortError`s whose location names the line, record and field (the caller adds the
/// entry with `within(entry:)`).
public protocol RecordReader {
    /// The layout records come in. For an untyped reader it is known after the header (CSV) or the
    /// first record (JSON, XML) has been read; before that it may be empty.
    var layout: RecordLayout { get }
    mutating func next() throws -> Record?
}

/// A reader that can say whether reading may go on after the error it just threw: the error was in one
/// record's values, and the input is at the start of the next record (`convert --max-errors`).
public protocol ResumableRecordReader: RecordReader {
    /// True when the last `next()` threw an error about one record's values and left the input at the
    /// next record's start; false after any other error.
    var canContinueAfterError: Bool { get }
}

/// A reader that can say on which line of its input the record it last returned began, for errors found
/// in that record after it was read (a partner's values checked through a column mapping).
public protocol LineTrackingRecordReader: RecordReader {
    /// The line (from 1) where the last record returned began; nil when there is none yet.
    var recordLine: Int? { get }
}

/// A sink that keeps everything in memory, for tests and small entries.
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ buffer: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: buffer) }
    /// The bytes as UTF-8 text (lossy where they are not UTF-8).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// A source over bytes in memory. `chunk` limits how many bytes one `read` returns, so tests can
/// drip-feed a reader one byte at a time (swift-nio's `ByteToMessageDecoderVerifier` idea).
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunk: Int

    public init(_ bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = max(1, chunk)
    }

    public convenience init(_ string: String, chunk: Int = .max) {
        self.init(Array(string.utf8), chunk: chunk)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
