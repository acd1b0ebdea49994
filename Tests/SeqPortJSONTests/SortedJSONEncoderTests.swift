import Foundation
import XCTest
@testable import SeqPortJSON

/// `SortedJSONEncoder` must write exactly what Foundation's encoder writes with the manifest's options:
/// bundles exported before and after it are byte-identical.
final class SortedJSONEncoderTests: XCTestCase {
    struct Inner: Codable { var name: String; var count: Int; var flag: Bool; var note: String? }
    struct Shape: Codable {
        var text: String
        var numbers: [Int]
        var empty: [String]
        var emptyObject: [String: String]
        var map: [String: String]
        var nested: Inner
        var list: [Inner]
        var optional: String?
        var present: Int?
        var big: Int64
        var small: Int
        var lists: [[String]]
    }

    private func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    private func assertSame<T: Encodable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let ours = try SortedJSONEncoder().encode(value)
        let theirs = try foundation(value)
        XCTAssertEqual(String(decoding: ours, as: UTF8.self), String(decoding: theirs, as: UTF8.self), file: file, line: line)
    }

    func testTheSameBytesAsFoundationOnEveryShape() throws {
        let awkward = "a/b \"q\" \\ \u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1B}\u{1F}\u{7F}\u{85} Åsa 😀 \u{2028}\u{202E} é"
        let inner = Inner(name: awkward, count: -42, flag: true, note: nil)
        let shape = Shape(text: awkward, numbers: [0, 1, -1, Int.max, Int.min], empty: [], emptyObject: [:],
                          map: ["xml": "xml/a.xml", "csv": "csv/a.csv", "json": "json/a.json", "Zeta": "z", "alpha": "a"],
                          nested: inner, list: [inner, Inner(name: "", count: 0, flag: false, note: "n")],
                          optional: nil, present: 7, big: Int64.max, small: 0, lists: [[], ["x"], ["y", "z"]])
        try assertSame(shape)
        try assertSame([shape, shape])
        try assertSame([String]())
        try assertSame([String: Int]())
        try assertSame(["k": [String: Int]()])
    }

    /// Every byte that needs an escape, alone, first, last and between plain runs (the quoting copies
    /// runs without one whole).
    func testEveryEscapeAtEveryPlaceInAString() throws {
        let escaped = (0..<0x20).map { Character(Unicode.Scalar($0)!) } + ["\"", "\\"]
        for c in escaped {
            try assertSame([String(c), "\(c)abc", "abc\(c)", "ab\(c)\(c)cd", "é\(c)😀", "\(c)/\(c)"])
        }
        try assertSame(["", "plain", String(repeating: "x", count: 10_000) + "\u{1}"])
    }

    func testKeysSortLikeFoundation() throws {
        // Keys the bundle's types use (camelCase, digits) and a few that order differently by bytes.
        let keys = ["art15", "allowDelete", "allowInsert", "categories", "formatVersion", "format", "files",
                    "a10", "a2", "a1", "B", "b", "_x", "Z", "é"]
        var map: [String: Int] = [:]
        for (i, k) in keys.enumerated() { map[k] = i }
        try assertSame(map)
    }

    func testFloatingPointIsRefusedNotWrittenDifferently() {
        XCTAssertThrowsError(try SortedJSONEncoder().encode(["x": 1.5]))
        XCTAssertThrowsError(try SortedJSONEncoder().encode([Date(timeIntervalSince1970: 0)]))
    }
}
