import Foundation
import SeqPortFormatConformance
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

/// Values vCard text must carry unchanged: the awkward values every format's tests share, but those
/// with a control character vCard text has no escape for (NUL, C0 but tab and line feed, CR, DEL).
let awkwardTexts: [String] = AwkwardValues.texts(excluding: [.nul, .c0Control, .carriageReturn, .delete])
