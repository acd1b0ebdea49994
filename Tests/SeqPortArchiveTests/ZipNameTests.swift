import XCTest
@testable import SeqPortArchive
import SeqPortModel

final class ZipNameTests: XCTestCase {
    private func rule(_ name: String) -> String? { ZipName.brokenRule(Array(name.utf8)) }

    func testBundleNamesAndDotsInsideSegmentsAreAllowed() {
        for name in ["manifest.json", "json/contact.json", "files/", "a..b/..c/d..", "files/naïve ✓.pdf", ".hidden"] {
            XCTAssertNil(rule(name), name)
        }
    }

    func testEachUnsafeShapeNamesItsRule() {
        XCTAssertEqual(rule("../x"), "it has a '..' segment")
        XCTAssertEqual(rule("a/./b"), "it has a '.' segment")
        XCTAssertEqual(rule("/etc/x"), "it is absolute")
        XCTAssertEqual(rule("a\\b"), "it contains a backslash")
        XCTAssertEqual(rule("C:x"), "it starts with a drive letter")
        XCTAssertEqual(rule("a\u{0}b"), "it contains a NUL or control character")
        XCTAssertEqual(rule("a//b"), "it has an empty segment")
        XCTAssertEqual(rule("a//"), "it has an empty segment")
        XCTAssertEqual(rule(""), "the name is empty")
    }

    func testCollisionKeyFoldsCaseNormalisationAndTrailingSlash() {
        XCTAssertEqual(ZipName.collisionKey("Caf\u{E9}/"), ZipName.collisionKey("cafe\u{301}"))
        XCTAssertNotEqual(ZipName.collisionKey("a.txt"), ZipName.collisionKey("a.txt.bak"))
    }

    func testMessagesNeverCarryControlCharacters() {
        let error = XCTAssertThrowsCode(.zipUnsafeName, try ZipName.validate(Array("x\u{1B}[31m".utf8), maxBytes: 100))
        XCTAssertEqual(error?.location.entry, "x?[31m")
    }
}
