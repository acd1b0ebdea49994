import Foundation
import SeqPortJSON
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

/// `convert` reading on a thread of its own (`BatchReadAhead`) gives what reading in place gives: the
/// same bytes, the same errors with their line, record and field, and nothing written on an error.
final class BatchReadAheadTests: XCTestCase {
    /// Converts `input` twice, reading ahead on a thread and in place; returns both outcomes.
    func bothWays(_ input: String, to: ConvertFormat, layout: RecordLayout? = nil, maxErrors: Int = 100)
        throws -> [(output: [UInt8]?, error: Error?)] {
        let dir = try temporaryDirectory(self)
        var outcomes: [(output: [UInt8]?, error: Error?)] = []
        for readsAhead in [true, false] {
            var options = ConvertOptions()
            options.readsAhead = readsAhead
            options.maxErrors = maxErrors
            let out = dir + "/out-\(readsAhead)"
            var error: Error?
            do {
                try Converter.convert(path: input, from: try XCTUnwrap(ConvertFormat.forPath(input)), to: to, layout: layout, out: out,
                                      options: options)
            } catch let e { error = e }
            outcomes.append((FileManager.default.contents(atPath: out).map { Array($0) }, error))
        }
        return outcomes
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = try temporaryDirectory(self) + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// Awkward values over several batches of 1024 records: the same CSV, JSON Lines and JSON both ways.
    func testReadingAheadWritesTheSameBytes() throws {
        var json = "["
        for n in 0..<5000 {
            let note = n % 9 == 0 ? "\"a,\\\"b\\\"\\r\\nc é 😀 \\u0000\"" : n % 4 == 0 ? "null" : "\"=\(n)\""
            json += (n == 0 ? "\n" : ",\n") + "{\"id\":\"\(n)\",\"note\":\(note),\"n\":\(n),\"ok\":\(n % 2 == 0)}"
        }
        let input = try write(json + "\n]\n", "records.json")
        for format in [ConvertFormat.csv, .jsonl, .json] {
            let outcomes = try bothWays(input, to: format)
            XCTAssertNil(outcomes[0].error, "\(format)")
            XCTAssertGreaterThan(outcomes[0].output?.count ?? 0, 5000 * 10, "\(format)")
            XCTAssertEqual(outcomes[0].output, outcomes[1].output, "\(format)")
        }
        let csv = try bothWays(input, to: .csv)[0].output ?? []
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "\u{FEFF}id,note,n,ok", "the fields the first object named")
        XCTAssertEqual(lines.last, "")
        // CSV and XML read ahead as well (libxml2 on the reading thread), and an input with no record at all.
        let back = try write(String(decoding: csv, as: UTF8.self), "back.csv")
        let again = try bothWays(back, to: .csv)
        XCTAssertEqual(again[0].output, again[1].output)
        XCTAssertEqual(again[0].output, csv, "CSV → CSV keeps the bytes")
        // XML cannot carry U+0000.
        let plain = try write(json.replacingOccurrences(of: "\\u0000", with: "") + "\n]\n", "plain.json")
        let xml = try bothWays(plain, to: .xml)
        XCTAssertNil(xml[0].error)
        XCTAssertEqual(xml[0].output, xml[1].output)
        let fromXML = try bothWays(try write(String(decoding: xml[0].output ?? [], as: UTF8.self), "records.xml"), to: .csv)
        XCTAssertNil(fromXML[0].error)
        XCTAssertEqual(fromXML[0].output, fromXML[1].output)
        XCTAssertEqual(fromXML[0].output, try bothWays(plain, to: .csv)[0].output, "JSON → XML → CSV is JSON → CSV")
        for empty in ["[]", "[\n]\n"] {
            let outcomes = try bothWays(try write(empty, "empty.json"), to: .csv)
            XCTAssertNil(outcomes[0].error)
            XCTAssertEqual(outcomes[0].output, outcomes[1].output)
        }
    }

    /// Bad records in different batches: the same list (code, line, record, field) both ways, up to the
    /// limit, then the first error alone with one allowed; no output.
    func testReadingAheadReportsTheSameErrorsAndWritesNothing() throws {
        let layout = try defaultConfiguration().schema.category(named: "feedback")!.layout(scope: .access)
        var json = "["
        for n in 0..<4000 {
            let rating = [3, 1500, 1501, 3999].contains(n) ? "\"five\"" : "3"
            json += (n == 0 ? "\n" : ",\n") + "{\"id\":\"f\(n)\",\"submitted_at\":\"2024-01-01T00:00:00Z\",\"rating\":\(rating),\"comment\":\"ok\"}"
        }
        let input = try write(json + "\n]\n", "feedback.json")
        func places(_ error: Error?) -> [String] {
            let list = (error as? ErrorList)?.errors ?? (error as? SeqPortError).map { [$0] } ?? []
            return list.map { "\($0.code.rawValue) \($0.location.line ?? 0) \($0.location.record ?? 0) \($0.location.field ?? "")" }
        }
        for maxErrors in [100, 2, 1] {
            let outcomes = try bothWays(input, to: .csv, layout: layout, maxErrors: maxErrors)
            let expected = ["value.type 5 4 rating", "value.type 1502 1501 rating", "value.type 1503 1502 rating", "value.type 4001 4000 rating"]
            XCTAssertEqual(places(outcomes[0].error), Array(expected.prefix(maxErrors)), "max \(maxErrors)")
            XCTAssertEqual(places(outcomes[0].error), places(outcomes[1].error), "max \(maxErrors)")
            XCTAssertEqual((outcomes[0].error as? ErrorList)?.stopped, (outcomes[1].error as? ErrorList)?.stopped)
            XCTAssertEqual(maxErrors == 1, outcomes[0].error is SeqPortError, "one error allowed: thrown as it is")
            XCTAssertNil(outcomes[0].output, "nothing written")
            XCTAssertNil(outcomes[1].output, "nothing written")
        }
        // A syntax error far into the input ends the list after the record errors before it.
        let broken = try write(json.replacingOccurrences(of: "{\"id\":\"f3500\"", with: "{\"id\" \"f3500\""), "broken.json")
        let outcomes = try bothWays(broken, to: .csv, layout: layout)
        XCTAssertEqual(places(outcomes[0].error).last, "json.syntax 3502 3501 ")
        XCTAssertEqual(places(outcomes[0].error), places(outcomes[1].error))
        XCTAssertEqual((outcomes[0].error as? ErrorList)?.stopped, true)
        XCTAssertNil(outcomes[0].output)
    }

    /// Closing before the end stops the thread (it would otherwise wait on a full queue forever).
    func testClosingEarlyStopsTheThread() throws {
        var json = "["
        for n in 0..<20000 { json += (n == 0 ? "" : ",") + "{\"id\":\"\(n)\"}" }
        let reader = JSONRecordReader(source: MemorySource(Array((json + "]").utf8)), layout: nil)
        let ahead = try XCTUnwrap(BatchReadAhead(reader, batchSize: 100, maxBatches: 2))
        var batch = RecordBatch()
        let step = try XCTUnwrap(ahead.next(&batch))
        XCTAssertNil(step.error)
        XCTAssertEqual(batch.count, 100)
        XCTAssertEqual(step.layout.fields.map(\.name), ["id"])
        XCTAssertEqual(batch.record(99).values, [.text("99")])
        ahead.close()
        ahead.close()
    }
}
