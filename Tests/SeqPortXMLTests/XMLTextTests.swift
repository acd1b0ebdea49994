@testable import SeqPortXML
import XCTest

final class XMLTextTests: XCTestCase {
    private func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer { XMLText.appendBase64($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private func needsBase64(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { XMLText.needsBase64($0) }
    }

    func testBase64MatchesRFC4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(base64(Array(plain.utf8)), encoded)
            XCTAssertEqual(XMLText.decodeBase64(Array(encoded.utf8)), Array(plain.utf8))
        }
    }

    func testBase64RoundTripsEveryByteAndLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            XCTAssertEqual(XMLText.decodeBase64(Array(base64(bytes).utf8)), bytes, "length \(length)")
        }
    }

    func testBase64DecodingIgnoresXMLWhitespaceAndRefusesAnythingElse() {
        XCTAssertEqual(XMLText.decodeBase64(Array(" Zm9v\n\tYmFy\r\n".utf8)), Array("foobar".utf8))
        for bad in ["Z", "Zm9", "Zm9vY", "Z===", "Zg=a", "Zg==Zg==", "=Zg=", "Zm9*", "Zm-v", "Zm_v"] {
            XCTAssertNil(XMLText.decodeBase64(Array(bad.utf8)), bad)
        }
    }

    func testOnlyCharactersXMLCannotCarryNeedBase64() {
        XCTAssertFalse(needsBase64("tab\t lf\n cr\r é 👩‍👩‍👧 \u{FFFD} \u{FFFC} \u{10FFFF} \u{7F} \u{85}"))
        for c in 0..<0x20 where c != 0x09 && c != 0x0A && c != 0x0D {
            XCTAssertTrue(needsBase64("x\(Character(Unicode.Scalar(UInt8(c))))y"), "control \(c)")
        }
        XCTAssertTrue(needsBase64("\u{FFFE}"))
        XCTAssertTrue(needsBase64("end \u{FFFF}"))
    }

    func testEscapingTouchesOnlyMarkupAndCarriageReturn() {
        var out: [UInt8] = []
        var s = "a&b<c>d\re\"f'g\th\n"
        s.withUTF8 { XMLText.appendEscaped($0, to: &out) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "a&amp;b&lt;c&gt;d&#13;e\"f'g\th\n")
    }

    /// The one escaper for names and texts of the XSD and the workbook's parts: markup characters as
    /// entities, tab/LF/CR as references, what XML 1.0 cannot carry as a space, everything else as it is.
    func testNamesAndTextsEscapeOnceForEveryXMLDocument() throws {
        XCTAssertEqual(XMLText.escaped("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e'f")
        XCTAssertEqual(XMLText.escaped("1\t2\n3\r4"), "1&#9;2&#10;3&#13;4")
        XCTAssertEqual(XMLText.escaped("x\u{0}y\u{1B}z\u{FFFE}\u{FFFF}"), "x y z  ")
        XCTAssertEqual(XMLText.escaped("Åsa 😀 \u{202E}\u{7F}\u{85}"), "Åsa 😀 \u{202E}\u{7F}\u{85}", "the rest as it is")
        XCTAssertEqual(XSDGenerator.escape("a\"b"), XMLText.escaped("a\"b"))
    }
}
