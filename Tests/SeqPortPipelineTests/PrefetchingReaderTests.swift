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

    /// A reader with a batch path that fails inside a record: the half-read record must not arrive.
    struct CountingIntoBatches: RecordBatchReader {
        let layout = RecordLayout(name: "t", fields: [.untyped("n"), .untyped("half")], isTyped: false)
        var n = 0
        let count: Int
        let failsAfter: Int?
        mutating func next() throws -> Record? {
            var batch = RecordBatch()
            return try read(into: &batch) ? batch.record(0) : nil
        }
        mutating func read(into batch: inout RecordBatch) throws -> Bool {
            guard n < count else { return false }
            batch.beginRecord(fields: 2)
            batch.set(0, Value.text(String(n + 1)))
            if let failsAfter, n == failsAfter {
                batch.cancelRecord()
                throw SeqPortError(.jsonSyntax, "bad record", at: SourceLocation(record: n + 1))
            }
            n += 1
            batch.set(1, Value.text(n % 3 == 0 ? "" : "x\u{0}"))
            batch.endRecord()
            return true
        }
    }

    func testBatchesWalkedByTheCallerHoldEveryRecordOnceAndTheErrorAfterThem() throws {
        for (count, failsAfter) in [(0, nil), (1, nil), (4, nil), (5, nil), (1_000, nil), (1_000, 0), (1_000, 4), (1_000, 517)] as [(Int, Int?)] {
            let reader = PrefetchingReader(CountingIntoBatches(count: count, failsAfter: failsAfter), batchSize: 4, maxBatches: 2)
            var batch = RecordBatch()
            var seen: [Record] = []
            var failure: SeqPortError?
            do {
                while try reader.nextBatch(&batch) {
                    XCTAssertFalse(batch.isEmpty)
                    for i in 0..<batch.count { seen.append(batch.view(i).record()) }
                }
            } catch let e as SeqPortError { failure = e }
            let expected = failsAfter ?? count
            XCTAssertEqual(seen.map { $0[0].text! }, (0..<expected).map { String($0 + 1) }, "\(count) \(String(describing: failsAfter))")
            XCTAssertEqual(seen.map { $0[1] }, (0..<expected).map { Value.text(($0 + 1) % 3 == 0 ? "" : "x\u{0}") })
            XCTAssertEqual(failure?.location.record, failsAfter.map { $0 + 1 })
            reader.close()
        }
    }

    func testViewsAndRecordsFromTheThreadAreTheSame() throws {
        let views = PrefetchingReader(CountingIntoBatches(count: 100, failsAfter: nil), batchSize: 7, maxBatches: 2)
        let records = PrefetchingReader(CountingIntoBatches(count: 100, failsAfter: nil), batchSize: 3, maxBatches: 2)
        var n = 0
        while let v = try views.nextView() {
            XCTAssertEqual(v.record(), try records.next())
            n += 1
        }
        XCTAssertNil(try records.next())
        XCTAssertEqual(n, 100)
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
