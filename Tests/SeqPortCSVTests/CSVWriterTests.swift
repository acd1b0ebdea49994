import SeqPortFormatConformance
import SeqPortModel
import XCTest

@testable import SeqPortCSV

final class CSVWriterTests: XCTestCase {
    let plain = CSVWriter.Options(byteOrderMark: false)
    let pair = RecordLayout(name: "t", fields: [Field(name: "id", type: .integer), Field(name: "v", type: .string)])

    func testHeaderThenRowsEachEndingInCRLFAfterAByteOrderMark() throws {
        let bytes = try CSVTest.write(pair, [["1", "a"], ["2", "b"]])
        XCTAssertEqual(bytes, [0xEF, 0xBB, 0xBF] + Array("id,v\r\n1,a\r\n2,b\r\n".utf8))
    }

    func testNoByteOrderMarkWhenTheOptionIsOff() throws {
        let bytes = try CSVTest.write(pair, [["1", "a"]], options: plain)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "id,v\r\n1,a\r\n")
    }

    func testAnEmptyCategoryIsTheHeaderAlone() throws {
        XCTAssertEqual(try CSVTest.write(pair, [], options: plain), Array("id,v\r\n".utf8))
    }

    func testNullIsAnUnquotedEmptyFieldAndTheEmptyStringIsTwoQuotes() throws {
        let bytes = try CSVTest.write(pair, [[nil, ""], ["", nil]], options: plain)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "id,v\r\n,\"\"\r\n\"\",\r\n")
    }

    func testFieldsWithSeparatorsQuotesLineEndsOrOuterBlanksAreQuoted() throws {
        // "\tx" also starts with a formula trigger, so it is guarded.
        let layout = RecordLayout(name: "t", fields: [Field.untyped("v")])
        let values: [Value] = ["a,b", "say \"hi\"", "a\rb", "a\nb", " x", "x ", "\tx", "x\t", "in side", "plain"]
        let bytes = try CSVTest.write(layout, values.map { Record([$0]) }, options: plain)
        XCTAssertEqual(
            String(decoding: bytes, as: UTF8.self),
            "v\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"a\rb\"\r\n\"a\nb\"\r\n\" x\"\r\n\"x \"\r\n\"'\tx\"\r\n\"x\t\"\r\nin side\r\nplain\r\n")
    }

    func testHeaderNamesAreQuotedAndGuardedLikeValuesAndReadBackAsThemselves() throws {
        let layout = RecordLayout(name: "", fields: [Field.untyped("a,b"), Field.untyped("=c")], isTyped: false)
        let bytes = try CSVTest.write(layout, [["1", "2"]], options: plain)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "\"a,b\",\"'=c\"\r\n1,2\r\n")
        XCTAssertEqual(try CSVTest.read(MemorySource(bytes)).0, layout)
    }

    func testFormulaGuardAddsOneApostropheToStringFieldsOnly() throws {
        let layout = RecordLayout(name: "t", fields: [Field(name: "n", type: .integer), Field(name: "s", type: .string)])
        let rows: [Record] = [["-5", "=1+1"], ["0", "''@x"], ["1", "'abc"], ["2", "a=b"], ["3", "\r=x"]]
        let bytes = try CSVTest.write(layout, rows, options: plain)
        XCTAssertEqual(
            String(decoding: bytes, as: UTF8.self),
            "n,s\r\n-5,\"'=1+1\"\r\n0,\"'''@x\"\r\n1,'abc\r\n2,a=b\r\n3,\"'\r=x\"\r\n")
    }

    func testFormulaGuardOffWritesValuesAsTheyAre() throws {
        let layout = RecordLayout(name: "t", fields: [Field.untyped("s")])
        let bytes = try CSVTest.write(layout, [["=1+1"], ["'@x"]], options: .init(byteOrderMark: false, formulaGuard: false))
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "s\r\n=1+1\r\n'@x\r\n")
    }

    func testARecordOfTheWrongWidthIsAnInternalError() {
        let sink = MemorySink()
        var writer = CSVWriter(layout: pair, sink: sink)
        XCTAssertThrowsError(try writer.write(["1"])) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .internalError)
        }
    }

    func testLargeOutputReachesTheSinkInBoundedWrites() throws {
        final class CountingSink: ByteSink {
            var writes: [Int] = []
            var bytes: [UInt8] = []
            func write(_ buffer: UnsafeRawBufferPointer) throws {
                writes.append(buffer.count)
                bytes.append(contentsOf: buffer)
            }
        }
        let sink = CountingSink()
        var writer = CSVWriter(layout: pair, sink: sink, options: plain)
        for n in 0..<50_000 { try writer.write([.text(String(n)), "some text, quoted"]) }
        XCTAssertTrue(sink.writes.count > 5, "the writer flushes as it goes")
        try writer.finish()
        XCTAssertTrue(sink.writes.allSatisfy { $0 < 2 * CSVWriter.flushThreshold })
        let (_, records) = try CSVTest.read(MemorySource(sink.bytes), layout: pair)
        XCTAssertEqual(records.count, 50_000)
        XCTAssertEqual(records.last, ["49999", "some text, quoted"])
    }

    // MARK: Round trips: writer then reader gives back exactly the values written.
    // The awkward values, typed and untyped, in every chunk size: Tests/SeqPortFormatConformanceTests.

    func testASingleColumnRoundTripsNullAsABlankLine() throws {
        let layout = RecordLayout(name: "", fields: [Field.untyped("v")], isTyped: false)
        let records = AwkwardValues.all.map { Record([$0.value]) } + [[nil], [""], [nil]]
        let bytes = try CSVTest.write(layout, records)
        let (_, back) = try CSVTest.read(MemorySource(bytes, chunk: 1))
        XCTAssertEqual(back, records)
    }

    func testEverySplitPointInsideCRLFAndMultiByteCharactersReadsTheSame() throws {
        let layout = RecordLayout(name: "", fields: [Field.untyped("a"), Field.untyped("b")], isTyped: false)
        let records: [Record] = [["😀", "é\r\nß"], ["ʤ", nil], ["\"€\"", ""]]
        let bytes = try CSVTest.write(layout, records)
        for split in 1..<bytes.count {
            let (_, back) = try CSVTest.read(SplitSource(bytes, split: split))
            XCTAssertEqual(back, records, "split at \(split)")
        }
    }

    func testTheFormulaGuardIsABijectionOnStringValues() throws {
        // Every string of up to four bytes over an alphabet with apostrophes and triggers survives.
        let alphabet = ["'", "=", "@", "-", "\t", "\r", "a", " "]
        var values: [String] = [""]
        var frontier: [String] = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            values += frontier
        }
        let layout = RecordLayout(name: "", fields: [Field.untyped("v")], isTyped: false)
        let records = values.map { Record([.text($0)]) }
        let (_, back) = try CSVTest.read(MemorySource(try CSVTest.write(layout, records)))
        XCTAssertEqual(back, records)
    }
}
