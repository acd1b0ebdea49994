import SeqPortModel
@testable import SeqPortXML
import XCTest

final class XMLPrologScannerTests: XCTestCase {
    /// Scans `text` in pieces of `chunk` bytes; returns whether the scanner reached the root.
    @discardableResult
    private func scan(_ bytes: [UInt8], chunk: Int = 1) throws -> Bool {
        var scanner = XMLPrologScanner()
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            try bytes[i..<end].withUnsafeBytes { try scanner.scan($0) }
            i = end
        }
        return scanner.isDone
    }

    func testDoctypeInThePrologIsRefusedWithItsLine() {
        let error = assertThrows(.xmlDTD) { try scan(Array("<?xml version=\"1.0\"?>\n<!-- x -->\n<!DOCTYPE r>".utf8)) }
        XCTAssertEqual(error?.location.line, 3)
    }

    func testDoctypeTextInsideACommentOrProcessingInstructionIsNotADoctype() throws {
        XCTAssertTrue(try scan(Array("<!-- <!DOCTYPE r> --><?p <!DOCTYPE?><r/>".utf8)))
    }

    func testScanningStopsAtTheRootElement() throws {
        XCTAssertTrue(try scan(Array("<r><![CDATA[<!DOCTYPE r>]]></r>".utf8), chunk: 3))
    }

    func testByteOrderMarkIsSkippedButOtherEncodingsAreRefused() throws {
        XCTAssertTrue(try scan([0xEF, 0xBB, 0xBF] + Array("<r/>".utf8)))
        assertThrows(.xmlSyntax) { try scan([0xFE, 0xFF, 0x00, 0x3C]) }
        assertThrows(.xmlSyntax) { try scan([0x3C, 0x00, 0x3F, 0x00]) }
        assertThrows(.xmlSyntax) { try scan(Array("text first <r/>".utf8)) }
    }
}
