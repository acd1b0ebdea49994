import SeqPortFormatConformance
import SeqPortModel
@testable import SeqPortXML
import XCTest

/// Layouts, documents and helpers the XML tests share.
enum XMLFixtures {
    /// A typed layout like the schema's `contact` category.
    static let contact = RecordLayout(name: "contact", fields: [
        Field(name: "id", type: .string, nullable: false, description: "The contact's id"),
        Field(name: "email", type: .string, format: .email),
        Field(name: "phone", type: .string),
        Field(name: "note", type: .string),
        Field(name: "bio", type: .string),
    ])

    /// A typed layout with one field of every type.
    static let everyType = RecordLayout(name: "profile", fields: [
        Field(name: "id", type: .string, nullable: false),
        Field(name: "age", type: .integer),
        Field(name: "balance", type: .decimal),
        Field(name: "active", type: .boolean, nullable: false),
        Field(name: "born", type: .date),
        Field(name: "seen", type: .timestamp),
        Field(name: "tier", type: .enumeration(["free", "gold & <silver>"])),
        Field(name: "avatar", type: .file),
    ])

    /// Values no format should lose: the one list every format's tests share.
    static var awkward: [String] { AwkwardValues.texts() }

    /// A personal-looking value that must never appear in an error message.
    static let secret = "SECRET-Ünïcode-4711@example.com"

    static func write(_ layout: RecordLayout, _ records: [Record], options: XMLRecordWriter.Options = .init()) throws -> [UInt8] {
        let sink = MemorySink()
        var writer = XMLRecordWriter(layout: layout, sink: sink, options: options)
        for record in records { try writer.write(record) }
        try writer.finish()
        return sink.bytes
    }

    static func read(
        _ bytes: [UInt8], layout: RecordLayout?, chunk: Int = .max, limits: ReaderLimits = .default, schema: XMLSchema? = nil
    ) throws -> (RecordLayout, [Record]) {
        var reader = XMLRecordReader(source: MemorySource(bytes, chunk: chunk), layout: layout, limits: limits, schema: schema)
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return (reader.layout, records)
    }

    static func read(_ text: String, layout: RecordLayout?, chunk: Int = .max, limits: ReaderLimits = .default) throws -> [Record] {
        try read(Array(text.utf8), layout: layout, chunk: chunk, limits: limits).1
    }

    /// A bundle document around `body` (records), for the typed contact-like layout `name`.
    static func document(_ body: String, root: String = "contact") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <\(root) xmlns="urn:seqport:bundle:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        \(body)
        </\(root)>
        """
    }

    /// A record of the contact layout with the given overrides (field name → raw XML element).
    static func contactRecord(_ overrides: [String: String] = [:], dropping: Set<String> = []) -> String {
        let defaults = [
            "id": "<id>c-1</id>", "email": "<email>a@example.com</email>", "phone": "<phone xsi:nil=\"true\"/>",
            "note": "<note></note>", "bio": "<bio>hi</bio>",
        ]
        let fields = contact.fields.map(\.name).filter { !dropping.contains($0) }.map { overrides[$0] ?? defaults[$0]! }
        return "<record>\n" + fields.map { "    " + $0 }.joined(separator: "\n") + "\n  </record>"
    }
}

extension XCTestCase {
    /// Asserts `body` throws a `SeqPortError` with `code`, and returns it.
    @discardableResult
    func assertThrows<T>(
        _ code: SeqPortError.Code, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
    ) -> SeqPortError? {
        do {
            _ = try body()
            XCTFail("expected \(code), nothing was thrown", file: file, line: line)
        } catch let error as SeqPortError {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains(XMLFixtures.secret), "message leaks a value: \(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected \(code), got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// A sink that fails after some bytes, to prove writers rethrow the sink's error.
final class FailingSink: ByteSink {
    struct Failure: Error, Equatable {}
    private var left: Int
    init(after bytes: Int) { left = bytes }
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        left -= bytes.count
        if left < 0 { throw Failure() }
    }
}

/// A source that fails after some bytes.
final class FailingSource: ByteSource {
    struct Failure: Error, Equatable {}
    private let inner: MemorySource
    private var left: Int
    init(_ bytes: [UInt8], failAfter: Int) { inner = MemorySource(bytes, chunk: 512); left = failAfter }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if left <= 0 { throw Failure() }
        let n = try inner.read(into: buffer)
        left -= n
        return n
    }
}
