import SeqPortModel
import XCTest

/// `CanonicalCheck` may only say yes where `Field.canonicalize` returns the text unchanged; it must
/// say yes for the ordinary canonical values (or the export's fast path would never run).
final class CanonicalCheckTests: XCTestCase {
    static let fields: [Field] = [
        Field(name: "s", type: .string),
        Field(name: "short", type: .string, maxLength: 5),
        Field(name: "mail", type: .string, format: .email),
        Field(name: "i", type: .integer),
        Field(name: "d", type: .decimal),
        Field(name: "b", type: .boolean),
        Field(name: "day", type: .date),
        Field(name: "at", type: .timestamp),
        Field(name: "kind", type: .enumeration(["home", "work", "café"])),
        Field(name: "f", type: .file),
    ]

    /// Pieces that build near-misses of every type's syntax.
    static let pieces: [String] = [
        "0", "1", "9", "00", "-", "-0", "+", ".", "e", "T", "Z", "z", ":", " ", "2024", "-02-", "-13-", "29", "30", "31", "23", "24",
        "59", "60", "+02:00", "-00:30", "true", "false", "True", "home", "work", "café", "cafe\u{301}", "é", "😀", "\u{0}", "\n",
        "9223372036854775807", "9223372036854775808", "123456789012345678", "1234567890123456789", "x", "abcdef", "@", "a@b.se",
    ]

    func random(_ rng: inout UInt64) -> Int {
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        return Int(truncatingIfNeeded: rng >> 33)
    }

    func check(_ field: Field, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let bytes = Array(text.utf8)
        let accepted = bytes.withUnsafeBufferPointer { CanonicalCheck(field).accepts($0) }
        if accepted {
            XCTAssertEqual(try? field.canonicalize(text), text, "fast path accepted a value canonicalize changes or refuses: \(field.name)",
                           file: file, line: line)
        }
        return accepted
    }

    func testTheFastPathNeverAcceptsWhatCanonicalizeWouldChangeOrRefuse() {
        var rng: UInt64 = 2026_11_29
        var accepted = 0
        for _ in 0..<40_000 {
            let text = (0..<(1 + random(&rng) % 8)).map { _ in Self.pieces[random(&rng) % Self.pieces.count] }.joined()
            for field in Self.fields where check(field, text) { accepted += 1 }
        }
        XCTAssertGreaterThan(accepted, 1_000, "the generator should reach the fast path too")
    }

    func testOrdinaryCanonicalValuesTakeTheFastPath() {
        let cases: [(Int, String)] = [
            (0, "hello, world"), (0, ""), (1, "abcde"), (3, "42"), (3, "-17"), (3, "0"), (3, "123456789012345678"),
            (4, "12.50"), (4, "-0.5"), (5, "true"), (5, "false"), (6, "2024-02-29"), (7, "2024-05-01T10:00:00Z"),
            (7, "2024-05-01T10:00:00.250Z"), (8, "home"), (9, "files/a.png"),
        ]
        for (i, text) in cases { XCTAssertTrue(check(Self.fields[i], text), "\(Self.fields[i].name): \(text)") }
    }

    func testValuesThatNeedTheSlowPathAreLeftToIt() {
        let cases: [(Int, String)] = [
            (0, "é"), (1, "abcdef"), (2, "a@b.se"), (3, "-0"), (3, "007"), (3, "1234567890123456789"), (4, "1."), (5, "True"),
            (6, "2023-02-29"), (7, "2024-05-01T12:00:00+02:00"), (7, "2024-05-01T10:00:00"), (8, "café"), (8, "Home"),
        ]
        for (i, text) in cases { XCTAssertFalse(check(Self.fields[i], text), "\(Self.fields[i].name): \(text)") }
    }

    func testASCIICheckLooksAtEveryByte() {
        for length in 0..<40 {
            for position in 0..<max(1, length) {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                XCTAssertTrue(bytes.withUnsafeBufferPointer(CanonicalCheck.isASCII))
                guard length > 0 else { continue }
                bytes[position] = 0xC3
                XCTAssertFalse(bytes.withUnsafeBufferPointer(CanonicalCheck.isASCII), "\(length) \(position)")
            }
        }
    }
}
