import SeqPortModel
import XCTest
@testable import SeqPortPipeline

/// The verify path reads the XML copy on a thread of its own; what the caller sees must be exactly
/// what the wrapped reader returns, errors included, in order.
final class PrefetchingReaderTests: XCTestCase {
    struct Counting: RecordReader {
        let layout = RecordLayout(name: "t", fields: [.untyped("n")], isTyped: false)
        var n = 0
        let count: Int
        let failsAfter: Int?
        mutating func next() throws -> Record? {
            if let failsAfter, n == failsAfter { throw SeqPortError(.jsonSyntax, "bad record", at: SourceLocation(record: n + 1)) }
            guard n < count else { return nil }
            n += 1
            return Record([.text(String(n))])
        }
    }

    func drain(_ reader: PrefetchingReader) throws -> [String] {
        var seen: [String] = []
        while let r = try reader.next() { seen.append(r[0].text!) }
        return seen
    }

    func testEveryRecordArrivesInOrderAcrossBatchBoundaries() throws {
        for count in [0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 1_000] {
            let reader = PrefetchingReader(Counting(count: count, failsAfter: nil), batchSize: 4, maxBatches: 2)
            XCTAssertEqual(try drain(reader), (0..<count).map { String($0 + 1) }, "\(count)")
            XCTAssertNil(try reader.next(), "stays at the end")
        }
    }

    func testAnErrorComesAfterTheRecordsReadBeforeIt() throws {
        for failsAfter in [0, 1, 3, 4, 5, 100] {
            let reader = PrefetchingReader(Counting(count: 1_000, failsAfter: failsAfter), batchSize: 4, maxBatches: 2)
            var seen = 0
            XCTAssertThrowsError(try { while try reader.next() != nil { seen += 1 } }()) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, .jsonSyntax)
                XCTAssertEqual((error as? SeqPortError)?.location.record, failsAfter + 1)
            }
            XCTAssertEqual(seen, failsAfter)
        }
    }

    func testClosingEarlyStopsAThreadThatIsAhead() throws {
        let reader = PrefetchingReader(Counting(count: 10_000_000, failsAfter: nil), batchSize: 16, maxBatches: 2)
        XCTAssertEqual(try reader.next()?[0].text, "1")
        let started = Date()
        reader.close()
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "the thread waits for room, sees the stop, and ends")
        reader.close()   // idempotent
    }
}
