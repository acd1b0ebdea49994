import SeqPortModel
@testable import SeqPortJSON
import XCTest

final class JSONTokenizerTests: XCTestCase {
    private func tokens(_ text: String, chunk: Int = .max, limits: ReaderLimits = .default) throws -> [JSONToken] {
        try tokens(Array(text.utf8), chunk: chunk, limits: limits)
    }

    private func tokens(_ bytes: [UInt8], chunk: Int = .max, limits: ReaderLimits = .default) throws -> [JSONToken] {
        var t = JSONTokenizer(source: MemorySource(bytes, chunk: chunk), limits: limits)
        var out: [JSONToken] = []
        while let token = try t.next() { out.append(token) }
        return out
    }

    /// The error `text` raises; fails the test when it parses.
    private func refusal(_ text: String, limits: ReaderLimits = .default, file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
        refusal(Array(text.utf8), limits: limits, file: file, line: line)
    }

    private func refusal(_ bytes: [UInt8], limits: ReaderLimits = .default, file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
        do {
            try JSONTokenizer.validate(MemorySource(bytes), limits: limits)
            XCTFail("accepted", file: file, line: line)
            return nil
        } catch let e as SeqPortError {
            return e
        } catch {
            XCTFail("not a SeqPortError: \(error)", file: file, line: line)
            return nil
        }
    }

    private func assertRefused(_ text: String, _ code: SeqPortError.Code, line: Int, column: Int,
                               limits: ReaderLimits = .default, file: StaticString = #filePath, testLine: UInt = #line) {
        let e = refusal(text, limits: limits, file: file, line: testLine)
        XCTAssertEqual(e?.code, code, file: file, line: testLine)
        XCTAssertEqual(e?.location.line, line, "line", file: file, line: testLine)
        XCTAssertEqual(e?.location.column, column, "column", file: file, line: testLine)
    }

    func testDocumentBecomesItsTokensInOrder() throws {
        XCTAssertEqual(try tokens(#" {"a": [1, -2.5e+3, "x\ny", true, false, null], "b": {}} "#), [
            .beginObject, .key("a"), .beginArray, .number("1"), .number("-2.5e+3"), .string("x\ny"),
            .true, .false, .null, .endArray, .key("b"), .beginObject, .endObject, .endObject,
        ])
    }

    func testTopLevelScalarsAreValidDocuments() throws {
        XCTAssertEqual(try tokens(" 12 "), [.number("12")])
        XCTAssertEqual(try tokens("\"s\""), [.string("s")])
        XCTAssertEqual(try tokens("null"), [.null])
    }

    func testDripFedInputGivesTheSameTokens() throws {
        let text = #"[{"k\u00e9y": "a\"b\\c\u0041\ud83d\ude00 é 😀", "n": -0.5E-7}, [], {}, "\u2028"]"#
        let whole = try tokens(text)
        for chunk in [1, 2, 3, 5, 7] {
            XCTAssertEqual(try tokens(text, chunk: chunk), whole, "chunk \(chunk)")
        }
        XCTAssertEqual(whole[2], .key("kéy"))
        XCTAssertEqual(whole[3], .string("a\"b\\cA😀 é 😀"))
    }

    func testTokensReportTheirLineAndColumn() throws {
        var t = JSONTokenizer(source: MemorySource("[\n  1,\n\t\"two\"\n]"))
        XCTAssertEqual(try t.next(), .beginArray)
        XCTAssertEqual(t.location, SourceLocation(line: 1, column: 1))
        XCTAssertEqual(try t.next(), .number("1"))
        XCTAssertEqual(t.location, SourceLocation(line: 2, column: 3))
        XCTAssertEqual(try t.next(), .string("two"))
        XCTAssertEqual(t.location, SourceLocation(line: 3, column: 2))
        XCTAssertEqual(try t.next(), .endArray)
        XCTAssertEqual(t.location, SourceLocation(line: 4, column: 1))
        XCTAssertNil(try t.next())
        XCTAssertNil(try t.next())
    }

    func testByteOrderMarkAtTheStartIsSkipped() throws {
        XCTAssertEqual(try tokens([0xEF, 0xBB, 0xBF] + Array("[1]".utf8), chunk: 1), [.beginArray, .number("1"), .endArray])
    }

    func testByteOrderMarkAnywhereElseIsRefused() {
        XCTAssertEqual(refusal(Array(" ".utf8) + [0xEF, 0xBB, 0xBF] + Array("[1]".utf8))?.code, .jsonSyntax)
        XCTAssertEqual(refusal([0xEF, 0xBB])?.code, .jsonTruncated)
    }

    func testTrailingCommaInArrayReportsItsColumn() {
        assertRefused("[1,]", .jsonSyntax, line: 1, column: 4)
    }

    func testTrailingCommaInObjectReportsItsColumn() {
        assertRefused("{\"a\":1,\n}", .jsonSyntax, line: 2, column: 1)
    }

    func testLeadingZeroIsRefused() {
        assertRefused("[01]", .jsonSyntax, line: 1, column: 3)
        assertRefused("-012", .jsonSyntax, line: 1, column: 3)
    }

    func testMalformedNumbersAreRefused() {
        for text in ["[1.]", "[.5]", "[1e]", "[+1]", "[1.5.2]", "[0x10]", "[-]", "[1e+]", "[NaN]", "[Infinity]"] {
            XCTAssertEqual(refusal(text)?.code, .jsonSyntax, text)
        }
    }

    func testUnescapedControlCharacterInAStringIsRefused() {
        assertRefused("[\"a\tb\"]", .jsonSyntax, line: 1, column: 4)
        assertRefused("[\"a\nb\"]", .jsonSyntax, line: 1, column: 4)
    }

    func testMissingValueIsRefused() {
        assertRefused("{\"a\":}", .jsonSyntax, line: 1, column: 6)
        assertRefused("[1,,2]", .jsonSyntax, line: 1, column: 4)
        assertRefused("{\"a\" 1}", .jsonSyntax, line: 1, column: 6)
        assertRefused("{1:2}", .jsonSyntax, line: 1, column: 2)
    }

    func testContentAfterTheTopLevelValueIsRefused() {
        assertRefused("[]\n x", .jsonSyntax, line: 2, column: 2)
        assertRefused("1 2", .jsonSyntax, line: 1, column: 3)
    }

    func testUnexpectedEndIsTruncated() {
        for text in ["", "  ", "[", "[1,", "{\"a\"", "{\"a\":", "\"abc", "[tru", "-", "1.", "[\"\\u12", "[\"\\"] {
            XCTAssertEqual(refusal(text)?.code, .jsonTruncated, text)
        }
        assertRefused("[1,\n", .jsonTruncated, line: 2, column: 1)
    }

    func testInvalidUTF8InAStringIsRefusedAtItsByte() {
        let cases: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xC3, 0x28]]
        for bad in cases {
            let e = refusal(Array("[\"ab".utf8) + bad + Array("\"]".utf8))
            XCTAssertEqual(e?.code, .jsonInvalidUTF8, "\(bad)")
            XCTAssertEqual(e?.location.column, 5, "\(bad)")
        }
    }

    func testLoneAndMisorderedSurrogateEscapesAreRefused() {
        for text in [#"["\uDC00"]"#, #"["\uD800"]"#, #"["\uD800x"]"#, #"["\uD800\n"]"#, #"["\uD800\uD800"]"#, #"["\uDE00\uD83D"]"#, #"{"\uDFAA":0}"#] {
            XCTAssertEqual(refusal(text)?.code, .jsonLoneSurrogate, text)
        }
    }

    func testInvalidEscapesAreRefused() {
        for text in [#"["\x"]"#, #"["\u12G4"]"#, #"["\U0041"]"#, #"["\'"]"#] {
            XCTAssertEqual(refusal(text)?.code, .jsonSyntax, text)
        }
    }

    func testNestingDeeperThanTheLimitIsRefusedWithoutRecursion() {
        var limits = ReaderLimits()
        limits.maxDepth = 3
        XCTAssertEqual(try tokens("[[[1]]]", limits: limits).count, 7)
        assertRefused("[[{\"a\":[1]}]]", .jsonDepth, line: 1, column: 8, limits: limits)
        let deep = refusal(String(repeating: "[", count: 100_000))
        XCTAssertEqual(deep?.code, .jsonDepth)
        XCTAssertEqual(deep?.location.column, 33)
    }

    func testStringLongerThanTheLimitIsRefusedWithoutItsContent() {
        var limits = ReaderLimits()
        limits.maxValueBytes = 10
        XCTAssertEqual(try tokens("[\"0123456789\"]", limits: limits), [.beginArray, .string("0123456789"), .endArray])
        let e = refusal("[\"secretsecret\"]", limits: limits)
        XCTAssertEqual(e?.code, .valueTooLong)
        XCTAssertEqual(e?.location.column, 2)
        XCTAssertFalse(e?.description.contains("secret") ?? true)
    }

    func testMemberNameLongerThanTheNameLimitIsRefused() {
        var limits = ReaderLimits()
        limits.maxNameBytes = 4
        XCTAssertEqual(refusal("{\"abcde\":1}", limits: limits)?.code, .valueTooLong)
    }

    func testNumberLongerThanTheNumberLimitIsRefused() {
        let long = String(repeating: "9", count: JSONTokenizer.maxNumberBytes + 1)
        XCTAssertEqual(refusal("[\(long)]")?.code, .jsonNumberTooLong)
        XCTAssertNoThrow(try tokens("[\(long.dropFirst())]"))
    }

    func testErrorMessagesNeverQuoteTheDocument() {
        let cases = ["[\"secret\u{01}\"]", "[\"secret\\q\"]", "{\"secret\" 1}", "[secret]", "[\"secret\"] secret", "[\"\\uD800secret\"]"]
        for text in cases {
            let e = refusal(text)
            XCTAssertNotNil(e, text)
            XCTAssertFalse(e?.description.contains("secret") ?? true, text)
        }
    }

    func testEscapedNulAndAllEscapesDecode() throws {
        XCTAssertEqual(try tokens(#"["\u0000\"\\\/\b\f\n\r\t\u00e9\u20AC"]"#), [.beginArray, .string("\u{0}\"\\/\u{8}\u{C}\n\r\té€"), .endArray])
    }

    /// Strings lent straight from the 64 KiB chunk and strings copied (cut by the chunk's end, escaped,
    /// multi-byte) give the same tokens as a drip-fed read (every string cut by a refill, so copied).
    func testStringsLentFromTheChunkMatchCopiedOnes() throws {
        var text = "["
        for n in 0..<9000 {
            let value = n % 7 == 0 ? "é\\\"\\u00e9 \(n)" : String(repeating: "v", count: n % 23) + "\(n)"
            text += "{\"k\(n % 5)\":\"\(value)\",\"n\": \(n) , \"b\":null},\n"
        }
        text += "\"end\"]"
        XCTAssertGreaterThan(text.utf8.count, 3 * (64 << 10), "several chunk boundaries")
        let whole = try tokens(text)
        XCTAssertEqual(whole.count, 3 + 9000 * 8)
        XCTAssertEqual(whole[1 ... 8], [.beginObject, .key("k0"), .string("é\"é 0"), .key("n"), .number("0"), .key("b"), .null, .endObject])
        for chunk in [1, 997] { XCTAssertEqual(try tokens(text, chunk: chunk), whole, "chunk \(chunk)") }
    }

    /// The ':' after a name and the ',' after a value taken with it keep every error at its byte.
    func testSeparatorsTakenWithTheirTokenKeepErrorPlaces() {
        assertRefused("{\"a\":1,}", .jsonSyntax, line: 1, column: 8)
        assertRefused("[{\"a\":\"x\"},]", .jsonSyntax, line: 1, column: 12)
        assertRefused("{\"a\":\"x\",,}", .jsonSyntax, line: 1, column: 10)
        assertRefused("{\"a\"::1}", .jsonSyntax, line: 1, column: 6)
        assertRefused("{\"a\":\"x\",\n\"b\"}", .jsonSyntax, line: 2, column: 4)
        assertRefused("[\"x\",", .jsonTruncated, line: 1, column: 6)
    }
}
