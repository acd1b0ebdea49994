import Foundation
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// Property: export → import with no edit gives an empty plan, from each of the three formats, for
/// thousands of random records full of awkward strings and NULLs (seeded, so a failure reproduces).
final class RoundTripPropertyTests: XCTestCase {
    static let pieces: [String] = [
        "a", "Z", "0", " ", "  ", ",", "\"", "\"\"", "'", "\r", "\n", "\r\n", "\t", "<", ">", "&", "&amp;", "]]>", "=", "+", "-", "@",
        "é", "Å", "ß", "😀", "👩‍👩‍👧", "مرحبا", "שלום", "\u{200F}", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{85}", "\u{2028}",
        "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "\\", "\\u0000", "{", "}", "[", "]", "null", "NULL", "true", ":", ";", "/",
    ]

    func randomText(_ rng: inout SplitMix64) -> Value {
        switch rng.int(0...19) {
        case 0: return .null
        case 1: return .text("")
        case 2: return .text(String(repeating: "x,\"\n", count: rng.int(1000...30_000)))
        default: return .text((0..<rng.int(1...12)).map { _ in rng.pick(Self.pieces) }.joined())
        }
    }

    func testExportThenImportOfRandomRecordsIsEmptyFromEveryFormat() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 5)
        let feedback = config.schema.category(named: "feedback")!
        let messages = config.schema.category(named: "ticket_messages")!
        let marketing = config.schema.category(named: "marketing_preferences")!
        var rng = SplitMix64(seed: 20_261_129)
        try store.withTransaction { tx in
            for i in 0..<2_000 {
                try tx.insertRecord(subject: "s-00001", in: feedback, fields: feedback.fields, values: [
                    .text("rnd-fb-\(i)"), .text(ValueSyntax.timestamp(epochSeconds: Int64(1_700_000_000 + i))),
                    .text(String(rng.int(1...5))), randomText(&rng)])
            }
            for i in 0..<1_000 {
                let author = randomText(&rng)
                var body = randomText(&rng)
                if body.isNull { body = .text("") }
                try tx.insertRecord(subject: "s-00001", in: messages, fields: messages.fields, values: [
                    .text("rnd-m-\(i)"), .text("T-s-00001-1"), .text(ValueSyntax.timestamp(epochSeconds: Int64(1_700_000_000 + i))),
                    .text("staff"), author, body, .null])
            }
            for i in 0..<500 {
                var topic = randomText(&rng)
                if topic.isNull { topic = .text("t") }
                try tx.insertRecord(subject: "s-00001", in: marketing, fields: marketing.fields, values: [
                    .text("rnd-mp-\(i)"), .text(rng.pick(["email", "sms", "post"])), topic, .text(rng.chance(50) ? "true" : "false"),
                    .text(ValueSyntax.timestamp(epochSeconds: Int64(1_700_000_000 + i)))])
            }
        }
        let bundle = try export(store, config, to: dir + "/out").path
        let report = try Verifier().verify(path: bundle)
        XCTAssertTrue(report.sound, "\(report.problems.prefix(5))")
        for format in BundleFormat.allCases {
            var options = ImportOptions()
            options.format = format
            let plan = try Importer(store: store).run(bundle: bundle, options: options)
            XCTAssertTrue(plan.isEmpty, "\(format): \(plan.changes.prefix(3)) \(plan.refusals.prefix(3))")
        }
    }
}
