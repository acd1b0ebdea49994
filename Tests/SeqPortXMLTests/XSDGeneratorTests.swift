import Foundation
import SeqPortModel
@testable import SeqPortXML
import SeqPortTestSupport
import XCTest

final class XSDGeneratorTests: XCTestCase {
    private let layouts = [XMLFixtures.contact, XMLFixtures.everyType]

    private var everyTypeRecords: [Record] {
        [
            Record(["p-1", "42", "-0.50", "true", "2024-02-29", "2024-05-01T10:00:00.5Z", "gold & <silver>", "files/a.png"]),
            Record(["p-\u{1}", nil, nil, "false", nil, nil, nil, .text("files/\u{7}.bin")]),
        ]
    }

    func testDocumentIsDeterministicAndDeclaresOneElementPerLayout() {
        let xsd = XSDGenerator.document(for: layouts)
        XCTAssertEqual(xsd, XSDGenerator.document(for: layouts))
        XCTAssertTrue(xsd.contains("targetNamespace=\"urn:seqport:bundle:1\" elementFormDefault=\"qualified\""))
        XCTAssertTrue(xsd.contains("<xs:element name=\"contact\">"))
        XCTAssertTrue(xsd.contains("<xs:element name=\"profile\">"))
        XCTAssertTrue(xsd.contains("<xs:element name=\"record\" minOccurs=\"0\" maxOccurs=\"unbounded\">"))
        XCTAssertTrue(xsd.contains("<xs:element name=\"id\" type=\"sp:text\">"), "non-nullable id is not nillable")
        XCTAssertTrue(xsd.contains("<xs:element name=\"age\" type=\"xs:long\" nillable=\"true\"/>"))
        XCTAssertTrue(xsd.contains("<xs:documentation>The contact&apos;s id</xs:documentation>")
            || xsd.contains("<xs:documentation>The contact's id</xs:documentation>"))
        XCTAssertTrue(xsd.contains("<xs:enumeration value=\"gold &amp; &lt;silver&gt;\"/>"))
    }

    func testGeneratedSchemaCompiles() throws {
        XCTAssertNoThrow(try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8)))
    }

    func testWrittenDocumentsValidateAgainstTheGeneratedSchemaWhileStreaming() throws {
        let schema = try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8))
        let contacts = XMLFixtures.awkward.map { Record([.text($0), nil, "", .text($0), nil]) }
        let contactBytes = try XMLFixtures.write(XMLFixtures.contact, contacts)
        XCTAssertEqual(try XMLFixtures.read(contactBytes, layout: XMLFixtures.contact, chunk: 1, schema: schema).1, contacts)
        let profileBytes = try XMLFixtures.write(XMLFixtures.everyType, everyTypeRecords)
        XCTAssertEqual(try XMLFixtures.read(profileBytes, layout: XMLFixtures.everyType, schema: schema).1, everyTypeRecords)
    }

    func testDocumentBreakingTheSchemaIsInvalidWithItsLine() throws {
        let schema = try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8))
        let doc = XMLFixtures.document("""
        <record><id>p</id><age>\(XMLFixtures.secret)</age><balance/><active>true</active><born/><seen/><tier/><avatar/></record>
        """, root: "profile")
        let error = assertThrows(.xmlInvalid) { try XMLFixtures.read(Array(doc.utf8), layout: nil, schema: schema) }
        XCTAssertEqual(error?.location.line, 3)
        XCTAssertEqual(error?.description, "line 3, record 1: does not match the schema (libxml2 error 1824)")
        XCTAssertEqual(error?.location.record, 1, "libxml2 validates ahead; the error is put in its record")
    }

    /// libxml2 goes on validating after a validity error: each is reported in its record (the one whose
    /// event it came in) in place of that record, and the reading goes on. A record with an error of its
    /// own reports that one instead (it names the field). The same whether the XSD validates in the
    /// reader's parser or on its own thread, and wherever libxml2's chunks cut the records.
    func testSchemaErrorsAreReportedInTheirRecordsAndTheReadingGoesOn() throws {
        let schema = try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8))
        let records = (1...9).map { Record([.text("p-\($0)"), .text("\($0)007"), nil, "true", nil, nil, nil, nil]) }
        var doc = String(decoding: try XMLFixtures.write(XMLFixtures.everyType, records), as: UTF8.self)
        doc = doc.replacingOccurrences(of: "<age>2007</age>", with: "<age>\(XMLFixtures.secret)</age>")
        doc = doc.replacingOccurrences(of: "<id>p-4</id>", with: "<id>p-4</id><zz/>")
        doc = doc.replacingOccurrences(of: "<age>5007</age>", with: "<age>5007</age><zz/>")
        doc = doc.replacingOccurrences(of: "<age>6007</age>", with: "<age>6.5</age>")
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of text: String) -> Int? { lines.firstIndex { $0.contains(text) }.map { $0 + 1 } }
        // The byte positions count a byte order mark and carriage returns like any byte.
        let windows = "\u{FEFF}" + doc.replacingOccurrences(of: "\n", with: "\r\n")
        let cases = [(1, doc), (3, doc), (100, doc), (Int.max, doc), (1, windows), (Int.max, windows)]
        for placement in [XMLRecordReader.ValidationPlacement.inline, .ownThread] {
        for (chunk, doc) in cases {
            // Untyped: only the schema checks the values.
            let size = min(chunk, 1 << 16)
            var reader = XMLRecordReader(source: MemorySource(Array(doc.utf8), chunk: chunk), layout: nil, schema: schema,
                                         validation: placement, chunkSize: size)
            var got: [String] = []
            var errors: [SeqPortError] = []
            while true {
                do {
                    guard let r = try reader.next() else { break }
                    got.append(r[0].text ?? "")
                } catch let e as SeqPortError {
                    errors.append(e)
                    XCTAssertTrue(reader.canContinueAfterError, "\(e)")
                    if !reader.canContinueAfterError { break }
                }
            }
            XCTAssertEqual(got, ["p-1", "p-3", "p-7", "p-8", "p-9"], "\(placement), chunk \(chunk)")
            XCTAssertEqual(errors.map(\.code), [.xmlInvalid, .xmlUnknownField, .xmlUnknownField, .xmlInvalid], "\(placement), chunk \(chunk)")
            XCTAssertEqual(errors.map(\.location.record), [2, 4, 5, 6], "\(placement), chunk \(chunk)")
            XCTAssertEqual(errors.map(\.location.line), [line(of: "SECRET"), line(of: "<id>p-4</id>"), line(of: "<age>5007</age>"), line(of: "<age>6.5</age>")],
                           "\(placement), chunk \(chunk)")
            XCTAssertFalse(errors.contains { $0.description.contains(XMLFixtures.secret) })
            // Typed: the reader's own check names the field; the schema's error for the same record is not repeated.
            var typed = XMLRecordReader(source: MemorySource(Array(doc.utf8), chunk: chunk), layout: XMLFixtures.everyType, schema: schema,
                                        validation: placement, chunkSize: size)
            var typedErrors: [SeqPortError] = []
            var typedGot = 0
            while true {
                do {
                    guard try typed.next() != nil else { break }
                    typedGot += 1
                } catch let e as SeqPortError {
                    typedErrors.append(e)
                    if !typed.canContinueAfterError { break }
                }
            }
            XCTAssertEqual(typedGot, 5, "\(placement), chunk \(chunk)")
            XCTAssertEqual(typedErrors.map(\.code), [.valueType, .xmlUnknownField, .xmlUnknownField, .valueType], "\(placement), chunk \(chunk)")
            XCTAssertEqual(typedErrors.map(\.location.record), [2, 4, 5, 6], "\(placement), chunk \(chunk)")
            XCTAssertEqual(typedErrors.map(\.location.field), ["age", "zz", "zz", "age"], "\(placement), chunk \(chunk)")
        }
        }
    }

    func testUnknownRootIsInvalidAgainstTheSchema() throws {
        let schema = try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8))
        let doc = XMLFixtures.document("<record><a>1</a></record>", root: "other")
        assertThrows(.xmlInvalid) { try XMLFixtures.read(Array(doc.utf8), layout: nil, schema: schema) }
    }

    func testOneSchemaServesWritersAndValidatingReadersOnSeveralThreads() throws {
        let schema = try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8))
        let records = everyTypeRecords
        // nonisolated(unsafe): each iteration writes only its own index; read after concurrentPerform returns.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 6)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            let many = Array(repeating: records, count: 200).flatMap { $0 }
            guard let bytes = try? XMLFixtures.write(XMLFixtures.everyType, many) else { results[i] = false; return }
            results[i] = (try? XMLFixtures.read(bytes, layout: XMLFixtures.everyType, chunk: 1000 + i, schema: schema).1) == many
        }
        XCTAssertEqual(Array(results), Array(repeating: true, count: 6))
    }

    func testBrokenXSDIsSchemaInvalid() {
        assertThrows(.schemaInvalid) { try XMLSchema(xsd: Array("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>".utf8)) }
        assertThrows(.schemaInvalid) { try XMLSchema(xsd: Array("not xml".utf8)) }
    }

    func testXSDImportIsNotFetched() throws {
        let before = LibXML.externalLoadAttempts
        let xsd = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">
          <xs:import namespace="urn:b" schemaLocation="http://127.0.0.1:9/b.xsd"/>
          <xs:include schemaLocation="file:///etc/passwd"/>
        </xs:schema>
        """
        _ = try? XMLSchema(xsd: Array(xsd.utf8))
        XCTAssertGreaterThan(LibXML.externalLoadAttempts, before, "the deny-all loader was asked and refused")
    }

    func testWrittenDocumentValidatesWithXmllint() throws {
        guard let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw TestTools.missing("xmllint is not installed (Debian package libxml2-utils)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seqport-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let xsd = dir.appendingPathComponent("bundle.xsd"), xml = dir.appendingPathComponent("profile.xml")
        try Data(XSDGenerator.document(for: layouts).utf8).write(to: xsd)
        try Data(XMLFixtures.write(XMLFixtures.everyType, everyTypeRecords)).write(to: xml)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--nonet", "--schema", xsd.path, xml.path]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("validates"), output)
    }
}
