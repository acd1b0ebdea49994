import SeqPortModel
import XCTest

final class RecordBatchTests: XCTestCase {
    let records = [
        Record(["1", nil, "", "a\u{0}b"]),
        Record(["2", "e\u{301}", "\u{202E}x", .text(String(repeating: "z", count: 100_000))]),
        Record([nil, nil, nil, nil]),
    ]

    func testRecordsComeBackByteForByteAsRecordsAndAsViews() {
        var batch = RecordBatch()
        for r in records { batch.append(r) }
        XCTAssertEqual(batch.count, 3)
        for (i, r) in records.enumerated() {
            XCTAssertEqual(batch.record(i), r)
            XCTAssertEqual(batch.view(i).record(), r)
        }
        // NULL and "" stay apart in views.
        XCTAssertTrue(batch.view(0)[1].isNull)
        XCTAssertFalse(batch.view(0)[2].isNull)
        XCTAssertEqual(batch.view(0)[2].count, 0)
    }

    func testFieldsSetInAnyOrderAndNeverSetAreNull() {
        var batch = RecordBatch()
        batch.beginRecord(fields: 3)
        batch.set(2, "c")
        batch.set(0, Value.text("a"))
        XCTAssertTrue(batch.isNull(1))
        batch.endRecord()
        XCTAssertEqual(batch.record(0), Record(["a", nil, "c"]))
    }

    func testACancelledRecordLeavesTheBatchAsItWas() {
        var batch = RecordBatch()
        batch.append(records[0])
        batch.beginRecord(fields: 4)
        batch.set(0, "half a record")
        batch.cancelRecord()
        batch.append(records[1])
        XCTAssertEqual(batch.count, 2)
        XCTAssertEqual(batch.record(0), records[0])
        XCTAssertEqual(batch.record(1), records[1])
    }

    func testAFieldAddedWhileReadingWidensOnlyThatRecord() {
        var batch = RecordBatch()
        batch.beginRecord(fields: 1)
        batch.set(0, "a")
        batch.addField()
        batch.set(1, "b")
        batch.endRecord()
        batch.append(Record(["x", "y"]))
        XCTAssertEqual(batch.record(0), Record(["a", "b"]))
        XCTAssertEqual(batch.view(1).count, 2)
    }

    func testRemoveAllEmptiesItAndViewsAreMadeAgainAfterAChange() {
        var batch = RecordBatch()
        batch.append(records[0])
        _ = batch.view(0)
        batch.removeAll()
        XCTAssertTrue(batch.isEmpty)
        batch.append(records[1])
        XCTAssertEqual(batch.view(0).record(), records[1])
        batch.append(RecordView.withView(of: records[2]) { $0.record() })
        XCTAssertEqual(batch.view(1).record(), records[2])
    }

    func testARecordOfAnotherBatchIsCopiedWhole() {
        var source = RecordBatch()
        for r in records { source.append(r) }
        source.beginRecord(fields: 3)
        source.set(2, "c")
        source.set(0, "")
        source.endRecord()
        var batch = RecordBatch()
        batch.append(records[1])
        for i in [3, 0, 2, 1] { batch.append(i, of: source) }
        XCTAssertEqual((0..<batch.count).map { batch.record($0) }, [records[1], Record(["", nil, "c"]), records[0], records[2], records[1]])
    }

    func testViewsCompareByteForByte() {
        var batch = RecordBatch()
        for r in records + records { batch.append(r) }
        XCTAssertTrue(RecordView.same(batch.view(0), batch.view(3)))
        XCTAssertFalse(RecordView.same(batch.view(0), batch.view(1)))
        // Canonically equivalent texts are different bytes, so different values.
        var other = RecordBatch()
        other.append(Record(["2", "\u{e9}", "\u{202E}x", .text(String(repeating: "z", count: 100_000))]))
        XCTAssertFalse(RecordView.same(batch.view(1), other.view(0)))
        // NULL is not "".
        XCTAssertFalse(ValueView.same(batch.view(0)[1], batch.view(0)[2]))
        XCTAssertTrue(ValueView.same(batch.view(2)[0], batch.view(2)[1]))
    }
}
