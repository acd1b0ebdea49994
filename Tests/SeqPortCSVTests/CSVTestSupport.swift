import SeqPortModel
import XCTest

@testable import SeqPortCSV

/// Helpers shared by the CSV tests: write records, read them back, catch a reader's error.
enum CSVTest {
    static func write(_ layout: RecordLayout, _ records: [Record], options: CSVWriter.Options = .init()) throws -> [UInt8] {
        let sink = MemorySink()
        var writer = CSVWriter(layout: layout, sink: sink, options: options)
        for record in records { try writer.write(record) }
        try writer.finish()
        return sink.bytes
    }

    /// Reads every record from `source`; returns the reader's layout and the records.
    static func read(
        _ source: any ByteSource, layout: RecordLayout? = nil, options: CSVReader.Options = .init(),
        limits: ReaderLimits = .default
    ) throws -> (RecordLayout, [Record]) {
        var reader = try CSVReader(source: source, layout: layout, options: options, limits: limits)
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return (reader.layout, records)
    }

    static func read(
        _ text: String, chunk: Int = .max, layout: RecordLayout? = nil, limits: ReaderLimits = .default
    ) throws -> (RecordLayout, [Record]) {
        try read(MemorySource(text, chunk: chunk), layout: layout, limits: limits)
    }

    /// The `SeqPortError` reading `bytes` to the end throws; fails the test when it throws none.
    static func failure(
        _ bytes: [UInt8], chunk: Int = .max, layout: RecordLayout? = nil, limits: ReaderLimits = .default,
        file: StaticString = #filePath, line: UInt = #line
    ) -> SeqPortError? {
        do {
            _ = try read(MemorySource(bytes, chunk: chunk), layout: layout, limits: limits)
            XCTFail("expected a SeqPortError", file: file, line: line)
        } catch let error as SeqPortError {
            return error
        } catch {
            XCTFail("expected a SeqPortError, got \(error)", file: file, line: line)
        }
        return nil
    }

    static func failure(
        _ text: String, chunk: Int = .max, layout: RecordLayout? = nil, limits: ReaderLimits = .default,
        file: StaticString = #filePath, line: UInt = #line
    ) -> SeqPortError? {
        failure(Array(text.utf8), chunk: chunk, layout: layout, limits: limits, file: file, line: line)
    }
}

/// A source that returns its bytes in two reads split at `split`, then in reads of `chunk` bytes.
final class SplitSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let split: Int

    init(_ bytes: [UInt8], split: Int) {
        self.bytes = bytes
        self.split = split
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let limit = offset < split ? split : bytes.count
        let n = min(buffer.count, limit - offset)
        guard n > 0 else { return 0 }
        for k in 0..<n { buffer[k] = bytes[offset + k] }
        offset += n
        return n
    }
}

/// A source that never ends: a header line, then `x` forever.
final class EndlessSource: ByteSource {
    private var header: [UInt8]
    private(set) var served = 0

    init(header: String) { self.header = Array(header.utf8) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !header.isEmpty {
            let n = min(buffer.count, header.count)
            for k in 0..<n { buffer[k] = header[k] }
            header.removeFirst(n)
            served += n
            return n
        }
        for k in 0..<buffer.count { buffer[k] = UInt8(ascii: "x") }
        served += buffer.count
        return buffer.count
    }
}

extension Record: ExpressibleByArrayLiteral {
    public init(arrayLiteral values: Value...) { self.init(values) }
}
