import Foundation
import SeqPortModel
@testable import SeqPortVCard
import XCTest

/// Reads every card of a text or bytes, optionally drip-fed one byte at a time.
func readCards(_ bytes: [UInt8], chunk: Int = .max, limits: VCardLimits = .default) throws -> [VCard] {
    var reader = VCardReader(source: MemorySource(bytes, chunk: chunk), limits: limits)
    var cards: [VCard] = []
    while let card = try reader.next() { cards.append(card) }
    return cards
}

func readCards(_ text: String, chunk: Int = .max, limits: VCardLimits = .default) throws -> [VCard] {
    try readCards(Array(text.utf8), chunk: chunk, limits: limits)
}

/// The error `body` throws (failing when it throws none or another kind).
func seqPortError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
    do {
        try body()
        XCTFail("expected an error", file: file, line: line)
    } catch let error as SeqPortError {
        XCTAssertFalse(error.description.contains("\n"), "one line: \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("not a SeqPortError: \(error)", file: file, line: line)
    }
    return nil
}

func fixture(_ name: String) throws -> [UInt8] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
    return Array(try Data(contentsOf: url))
}

/// Values vCard text must carry unchanged.
let awkwardTexts: [String] = [
    "comma, semicolon; backslash \\ and \\n not a newline",
    "line\nbreaks\n\nand a trailing one\n",
    "emoji 😀 👩‍👩‍👧 🇸🇪 and é ñ 漢字",
    "RTL שלום مرحبا \u{200F}mark \u{202E}override",
    "tab\there",
    "colon: quotes \"x\" 'y' <&>",
    String(repeating: "å😀,;\\", count: 200),
    "",
    " leading and trailing spaces ",
    "\\,\\;\\\\",
]
