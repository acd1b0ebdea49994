import Foundation
import SeqPortModel
@testable import SeqPortXML
import XCTest

/// Documents built to hurt a parser: each is refused with its code, quickly, without loading anything.
final class XMLHostileInputTests: XCTestCase {
    /// Reads `doc` untyped and typed, whole and drip-fed, expecting `code` every time within seconds.
    private func assertRefused(_ code: SeqPortError.Code, _ doc: [UInt8], limits: ReaderLimits = .default,
                               layouts: [RecordLayout?] = [nil, XMLFixtures.contact], chunks: [Int] = [.max, 1],
                               file: StaticString = #filePath, line: UInt = #line) {
        for layout in layouts {
            for chunk in chunks {
                let start = Date()
                assertThrows(code, file: file, line: line) { try XMLFixtures.read(doc, layout: layout, chunk: chunk, limits: limits) }
                XCTAssertLessThan(Date().timeIntervalSince(start), 10, "chunk \(chunk)", file: file, line: line)
            }
        }
    }

    private func assertRefused(_ code: SeqPortError.Code, _ doc: String, limits: ReaderLimits = .default,
                               layouts: [RecordLayout?] = [nil, XMLFixtures.contact], chunks: [Int] = [.max, 1],
                               file: StaticString = #filePath, line: UInt = #line) {
        assertRefused(code, Array(doc.utf8), limits: limits, layouts: layouts, chunks: chunks, file: file, line: line)
    }

    func testBillionLaughsIsRefusedAsDTD() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE contact [\n  <!ENTITY lol \"lol\">\n"
        for i in 1...9 { doc += "  <!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">\n" }
        doc += "]>\n<contact xmlns=\"urn:seqport:bundle:1\"><record><id>&lol9;</id></record></contact>"
        assertRefused(.xmlDTD, doc)
    }

    func testQuadraticBlowUpIsRefusedAsDTD() {
        let big = String(repeating: "x", count: 100_000)
        let doc = "<!DOCTYPE r [<!ENTITY a \"\(big)\">]><r><x><a>" + String(repeating: "&a;", count: 100_000) + "</a></x></r>"
        assertRefused(.xmlDTD, doc, chunks: [.max, 4096])
    }

    func testExternalFileEntityIsRefusedAndNothingIsRead() {
        let before = LibXML.externalLoadAttempts
        let doc = """
        <?xml version="1.0"?>
        <!DOCTYPE contact [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <contact xmlns="urn:seqport:bundle:1"><record><id>&xxe;</id></record></contact>
        """
        let error = assertThrows(.xmlDTD) { try XMLFixtures.read(doc, layout: XMLFixtures.contact) }
        XCTAssertEqual(error?.location.line, 2)
        XCTAssertFalse(error?.description.contains("root:") ?? true)
        XCTAssertEqual(LibXML.externalLoadAttempts, before, "libxml2 never asked to load anything")
    }

    func testExternalHTTPEntityAndExternalDTDAreRefusedWithoutAConnection() throws {
        let server = try LocalListener()
        let before = LibXML.externalLoadAttempts
        let entity = """
        <!DOCTYPE r [<!ENTITY e SYSTEM "http://127.0.0.1:\(server.port)/e">]><r><x><a>&e;</a></x></r>
        """
        let dtd = "<!DOCTYPE r SYSTEM \"http://127.0.0.1:\(server.port)/r.dtd\"><r/>"
        assertRefused(.xmlDTD, entity)
        assertRefused(.xmlDTD, dtd)
        XCTAssertEqual(LibXML.externalLoadAttempts, before)
        XCTAssertFalse(server.wasContacted, "a connection reached the local listener")
    }

    func testParameterEntitiesAreRefused() {
        let doc = """
        <!DOCTYPE r [<!ENTITY % p "<!ENTITY e 'x'>"> %p; <!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]><r/>
        """
        assertRefused(.xmlDTD, doc)
    }

    func testDoctypeAfterCommentsAndBOMIsStillRefused() {
        let doc = [0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\"?><!-- <r> --><?x --?>\n\n<!DOCTYPE r><r/>".utf8)
        let error = assertThrows(.xmlDTD) { try XMLFixtures.read(doc, layout: nil, chunk: 1) }
        XCTAssertEqual(error?.location.line, 3)
    }

    func testUndeclaredEntityReferenceIsASyntaxError() {
        assertRefused(.xmlSyntax, "<r><x><a>&xxe;</a></x></r>", layouts: [nil])
    }

    func testXIncludeIsInertUnknownVocabulary() {
        let inRecord = XMLFixtures.document(XMLFixtures.contactRecord([
            "bio": "<bio/><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>",
        ]))
        assertThrows(.xmlUnknownField) { try XMLFixtures.read(inRecord, layout: XMLFixtures.contact) }
        let inRoot = XMLFixtures.document("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\"/>")
        assertThrows(.xmlVocabulary) { try XMLFixtures.read(inRoot, layout: XMLFixtures.contact) }
        let untyped = "<r><x><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/></x></r>"
        // The include is an empty field and its attributes plain text fields: nothing is followed or read.
        XCTAssertEqual(try XMLFixtures.read(untyped, layout: nil), [Record(["", "file:///etc/passwd", "text"])], "nothing is read")
    }

    func testHundredThousandLevelsOfNestingStopAtTheDepthLimit() {
        let doc = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        var limits = ReaderLimits()
        limits.maxDepth = 2
        assertRefused(.xmlDepth, doc, limits: limits, layouts: [nil])
        // With the default limit the vocabulary stops it first: a field holds no element.
        assertRefused(.xmlNotFlat, doc, layouts: [nil])
        assertRefused(.xmlVocabulary, doc, layouts: [XMLFixtures.contact])
    }

    func testFiveMegabyteTextOverAOneMegabyteLimitIsTooLong() {
        var limits = ReaderLimits()
        limits.maxValueBytes = 1 << 20
        let doc = XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio>" + String(repeating: "x", count: 5 << 20) + "</bio>"]))
        assertRefused(.valueTooLong, doc, limits: limits, chunks: [.max, 1000])
        let base64 = XMLFixtures.document(XMLFixtures.contactRecord([
            "bio": "<bio enc=\"base64\">" + String(repeating: "AAAA", count: (5 << 20) / 4) + "</bio>",
        ]))
        assertRefused(.valueTooLong, base64, limits: limits, layouts: [XMLFixtures.contact], chunks: [.max])
    }

    func testTruncatedDocumentIsASyntaxError() throws {
        let bytes = try XMLFixtures.write(XMLFixtures.contact, [Record(["c-1", nil, "", nil, "x"])])
        for cut in [10, bytes.count / 2, bytes.count - 3] {
            assertRefused(.xmlSyntax, Array(bytes[0..<cut]))
        }
        assertRefused(.xmlSyntax, [UInt8]())
    }

    func testInvalidUTF8IsASyntaxError() {
        let doc = Array("<r><x><a>ok ".utf8) + [0xC3, 0x28, 0xFF] + Array("</a></x></r>".utf8)
        assertRefused(.xmlSyntax, doc, layouts: [nil])
    }

    func testDocumentsInOtherEncodingsAreRefused() {
        let utf16 = Array("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r><r/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        assertRefused(.xmlSyntax, [0xFF, 0xFE] + utf16, layouts: [nil])
        assertRefused(.xmlSyntax, utf16, layouts: [nil])
        // EBCDIC "<?xml" sniffed by libxml2 never gets that far.
        assertRefused(.xmlSyntax, [0x4C, 0x6F, 0xA7, 0x94, 0x93], layouts: [nil])
    }

    func testEncodingDeclarationCannotSwitchAwayFromUTF8() {
        let doc = Array("<?xml version=\"1.0\" encoding=\"IBM037\"?><r><x><a>é</a></x></r>".utf8)
        XCTAssertEqual(try XMLFixtures.read(doc, layout: nil).1, [Record(["é"])])
    }

    func testErrorMessagesNeverContainTheValue() throws {
        let s = XMLFixtures.secret
        let docs: [(String, RecordLayout?)] = [
            (XMLFixtures.document(XMLFixtures.contactRecord(["email": "<email>\(s) x</email>"])), XMLFixtures.contact),
            (XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio>\(s)</bio><extra>\(s)</extra>"])), XMLFixtures.contact),
            (XMLFixtures.document(XMLFixtures.contactRecord(["bio": "<bio>\(s)<b/></bio>"])), XMLFixtures.contact),
            ("<r><x><a>\(s)</b></x></r>", nil),
            ("<r><x><a>\(s)&\(s);</a></x></r>", nil),
            ("<r><x><a>\(s)\u{1}</a></x></r>", nil),
            ("<r><x><a>\(s)</a></x>", nil),
            ("<r><x><a>\(s)</a></x></r>\(s)", nil),
            ("<r><x><a x=\"\(s)\" x=\"\(s)\"/></x></r>", nil),
        ]
        for (doc, layout) in docs {
            do {
                _ = try XMLFixtures.read(doc, layout: layout, chunk: 7)
                XCTFail("accepted: \(doc.prefix(40))")
            } catch let error as SeqPortError {
                XCTAssertFalse(error.description.contains(s), "\(error)")
                XCTAssertFalse(error.description.contains("SECRET"), "\(error)")
            }
        }
    }
}

/// A TCP listener on 127.0.0.1 that only records whether anyone connected.
final class LocalListener {
    let port: UInt16
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && listen(fd, 8) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else { close(fd); throw POSIXError(.EADDRNOTAVAIL) }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(fd) }

    /// Whether a connection is waiting to be accepted.
    var wasContacted: Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }
}
