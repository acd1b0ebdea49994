import Foundation
import SeqPortModel
import XCTest

/// `Specs/errors.md` lists every error code declared in `Sources/` with its exit status.
final class ErrorsDocumentationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `Self("code", .class)` in the sources: code → exit status.
    func declaredCodes() throws -> [String: Int32] {
        let classes = Dictionary(uniqueKeysWithValues: SeqPortError.ExitClass.allCases.map { ("\($0)", $0.rawValue) })
        let pattern = try NSRegularExpression(pattern: #"Self\(\s*"([^"]+)"\s*,\s*\.`?([A-Za-z]+)`?\s*\)"#)
        var out: [String: Int32] = [:]
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let code = String(text[Range(m.range(at: 1), in: text)!])
                let cls = String(text[Range(m.range(at: 2), in: text)!])
                let status = try XCTUnwrap(classes[cls], "\(url.lastPathComponent): \(code) has unknown exit class .\(cls)")
                out[code] = status
            }
        }
        return out
    }

    /// Every table row `| \`code\` | N | …` in Specs/errors.md: code → exit status.
    func documentedCodes() throws -> [String: Int32] {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Specs/errors.md"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"^\|\s*`([^`]+)`\s*\|\s*([0-9]+)\s*\|"#, options: .anchorsMatchLines)
        var out: [String: Int32] = [:]
        for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            out[String(text[Range(m.range(at: 1), in: text)!])] = Int32(text[Range(m.range(at: 2), in: text)!])!
        }
        return out
    }

    func testTheSourcesDeclareCodes() throws {
        let declared = try declaredCodes()
        XCTAssertGreaterThan(declared.count, 50, "the scan found too few codes; is the pattern still right?")
        XCTAssertEqual(declared["value.type"], SeqPortError.ExitClass.input.rawValue)
        XCTAssertEqual(declared["zip.unsafe-name"], SeqPortError.ExitClass.archive.rawValue)
    }

    func testEveryDeclaredCodeIsInErrorsMdWithItsExitStatus() throws {
        let declared = try declaredCodes()
        let documented = try documentedCodes()
        for (code, status) in declared.sorted(by: { $0.key < $1.key }) {
            guard let listed = documented[code] else {
                XCTFail("\(code) (exit \(status)) is declared in Sources/ but missing from Specs/errors.md")
                continue
            }
            XCTAssertEqual(listed, status, "\(code): Specs/errors.md says exit \(listed), the code says \(status)")
        }
    }

    func testErrorsMdListsNoCodeTheSourcesDoNotDeclare() throws {
        let declared = try declaredCodes()
        for code in try documentedCodes().keys.sorted() where declared[code] == nil {
            XCTFail("Specs/errors.md lists \(code), which no source declares")
        }
    }

    func testErrorsMdListsEveryExitClass() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Specs/errors.md"), encoding: .utf8)
        for c in SeqPortError.ExitClass.allCases {
            XCTAssertTrue(text.contains("| \(c.rawValue) | `\(c)` |"), "exit status \(c.rawValue) (\(c)) is not in the table")
        }
    }
}
