import Foundation
import SeqPortModel
@testable import SeqPortVCard
import XCTest

/// Hostile inputs are refused within the limits, fast, with one positioned line.
final class VCardHostileInputTests: XCTestCase {
    func testA20MegabytePhotoIsRefusedByTheLimit() throws {
        let base64 = [UInt8](repeating: UInt8(ascii: "A"), count: 20 << 20 / 3 * 4)
        var bytes = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nPHOTO:data:image/jpeg;base64,".utf8)
        bytes += base64
        bytes += Array("\r\nEND:VCARD\r\n".utf8)
        let error = seqPortError { _ = try readCards(bytes) }
        XCTAssertEqual(error?.code, .vcardTooLong)
        XCTAssertEqual(error?.location.line, 3)
    }

    func testAPhotoOverASmallerLimitIsRefusedAndUnderItRead() throws {
        var limits = VCardLimits()
        limits.maxBinaryBytes = 1000
        let ok = "BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + VCardCoding.base64([UInt8](repeating: 7, count: 900)) + "\r\nEND:VCARD\r\n"
        XCTAssertEqual(try readCards(ok, limits: limits).first?.first("PHOTO")?.binary(limits: limits)?.bytes.count, 900)
        let big = "BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + VCardCoding.base64([UInt8](repeating: 7, count: 1200)) + "\r\nEND:VCARD\r\n"
        XCTAssertEqual(seqPortError { _ = try readCards(big, limits: limits) }?.code, .vcardTooLong)
    }

    func testEndlessFoldingIsBounded() throws {
        let limits = VCardLimits.default
        // Empty continuation lines add nothing to the value but are counted (14 MB of them here).
        var bytes = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:x\r\n".utf8)
        for _ in 0..<(limits.maxLineBytes / 3 + 10) { bytes += [0x20, 0x0D, 0x0A] }
        bytes += Array("END:VCARD\r\n".utf8)
        let start = Date()
        let error = seqPortError { _ = try readCards(bytes, limits: limits) }
        XCTAssertEqual(error?.code, .vcardTooLong)
        XCTAssertEqual(error?.location.line, 3)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testALineWithoutAnEndIsBounded() throws {
        var limits = VCardLimits()
        limits.maxBinaryBytes = 1 << 16
        limits.maxValueBytes = 1 << 16
        let bytes = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:".utf8) + [UInt8](repeating: 0x61, count: limits.maxLineBytes + 10)
        XCTAssertEqual(seqPortError { _ = try readCards(bytes, limits: limits) }?.code, .vcardTooLong)
    }

    func testACardWithoutEndIsTruncated() {
        let error = seqPortError { _ = try readCards("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n") }
        XCTAssertEqual(error?.code, .vcardTruncated)
        XCTAssertEqual(error?.location.line, 1)
    }

    func testInvalidUTF8IsRefused() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80]] {
            let bytes = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a".utf8) + bad + Array("\r\nEND:VCARD\r\n".utf8)
            let error = seqPortError { _ = try readCards(bytes) }
            XCTAssertEqual(error?.code, .vcardInvalidUTF8)
            XCTAssertEqual(error?.location.field, "FN")
        }
    }

    func testNULIsRefusedAnywhere() {
        let inValue = Array("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:a".utf8) + [0] + Array("b\r\nEND:VCARD\r\n".utf8)
        XCTAssertEqual(seqPortError { _ = try readCards(inValue) }?.code, .vcardControlCharacter)
        let inName = Array("BEGIN:VCARD\r\nVERSION:4.0\r\n".utf8) + [0] + Array("FN:a\r\nEND:VCARD\r\n".utf8)
        XCTAssertEqual(seqPortError { _ = try readCards(inName) }?.code, .vcardControlCharacter)
        let fromQuotedPrintable = "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=00b\r\nEND:VCARD\r\n"
        XCTAssertEqual(seqPortError { _ = try readCards(fromQuotedPrintable) }?.code, .vcardControlCharacter)
    }

    func testTooManyProperties() {
        var limits = VCardLimits()
        limits.maxProperties = 10
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\n" + String(repeating: "NOTE:x\r\n", count: 11) + "END:VCARD\r\n"
        XCTAssertEqual(seqPortError { _ = try readCards(text, limits: limits) }?.code, .vcardTooManyProperties)
    }

    func testAnOverlongNameIsRefused() {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nX-" + String(repeating: "A", count: 300) + ":x\r\nEND:VCARD\r\n"
        XCTAssertEqual(seqPortError { _ = try readCards(text) }?.code, .vcardTooLong)
    }

    func testMalformedDataURIs() throws {
        for uri in ["data:image/jpeg;base64", "data:jpeg;base64,AAAA", "data:image/png;base64,@@@@", "data:,%G0"] {
            let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nPHOTO:\(uri)\r\nEND:VCARD\r\n"
            let card = try XCTUnwrap(try readCards(text).first)
            XCTAssertEqual(seqPortError { _ = try card.first("PHOTO")?.binary() }?.code, .vcardDataURI, uri)
        }
    }

    func testEndlessFoldingWithLFAndTabsIsBoundedToo() {
        var limits = VCardLimits()
        limits.maxBinaryBytes = 1 << 16
        limits.maxValueBytes = 1 << 16
        var bytes = Array("BEGIN:VCARD\nVERSION:4.0\nNOTE:x\n".utf8)
        for k in 0..<(limits.maxLineBytes / 2 + 10) { bytes += k % 3 == 0 ? [0x09, 0x0A] : [0x20, 0x0A] }
        XCTAssertEqual(seqPortError { _ = try readCards(bytes, chunk: 7, limits: limits) }?.code, .vcardTooLong)
    }

    func testFoldsUnderTheLimitStillRead() throws {
        var text = "BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:a"
        for _ in 0..<10_000 { text += "\r\n \r\n\tb" }
        text += "\r\nEND:VCARD\r\n"
        XCTAssertEqual(try readCards(text).first?.first("NOTE")?.text, "a" + String(repeating: "b", count: 10_000))
        XCTAssertEqual(try readCards(text, chunk: 5).first?.first("NOTE")?.text, "a" + String(repeating: "b", count: 10_000))
    }
}
