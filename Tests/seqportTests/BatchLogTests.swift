import Foundation
import SeqPortPipeline
import XCTest
@testable import seqport

/// A batch without a terminal logs progress lines at a steady interval (text or JSON Lines) and a final
/// one; `--quiet` logs nothing.
final class BatchLogTests: XCTestCase {
    func testTextAndJSONLinesNameDoneTotalRateETAAndFailures() throws {
        let p = BatchProgress(total: 1000, exported: 440, skipped: 8, failed: 2, elapsed: 5)
        XCTAssertEqual(BatchLog.line(p, event: "progress", format: .text),
                       "seqport: progress 450/1000 (45%), exported 440, skipped 8, failed 2, 90.0 subjects/s, eta 0:06")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(BatchLog.line(p, event: "progress", format: .json).utf8)) as? [String: Any])
        XCTAssertEqual(json["event"] as? String, "progress")
        XCTAssertEqual(json["done"] as? Int, 450)
        XCTAssertEqual(json["total"] as? Int, 1000)
        XCTAssertEqual(json["failed"] as? Int, 2)
        XCTAssertEqual(json["etaSeconds"] as? Int, 6)
        XCTAssertEqual(json["subjectsPerSecond"] as? Double, 90)
        XCTAssertEqual(Set(json.keys), ["event", "done", "total", "exported", "skipped", "failed", "subjectsPerSecond", "elapsedSeconds", "etaSeconds"])
        let start = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(BatchLog.line(BatchProgress(total: 3), event: "progress", format: .json).utf8)) as? [String: Any])
        XCTAssertTrue(start["etaSeconds"] is NSNull)
    }

    /// Reads stderr while the batch runs: progress lines arrive before the process ends.
    func testWithoutATerminalProgressLinesArriveWhileTheBatchRuns() throws {
        let dir = try temporaryDirectory(self)
        let store = dir + "/store.sqlite"
        let sample = try seqport(["sample", "--config", configPath, "--subjects", "400", "--events", "40", "--out", store], in: dir)
        XCTAssertEqual(sample.status, 0, sample.stderr)
        let run = try SeqPortProcess(["export", "--config", configPath, "--all", "--store", store, "--out", dir + "/out", "--jobs", "1",
                                      "--log-format", "json", "--progress-interval", "0.2"], in: dir)
        var seenWhileRunning: [String] = []
        while run.process.isRunning {
            let text = String(decoding: FileManager.default.contents(atPath: run.stderrPath) ?? Data(), as: UTF8.self)
            seenWhileRunning = text.split(separator: "\n").map(String.init)
            usleep(50_000)
        }
        let result = run.finish()
        XCTAssertEqual(result.status, 0, result.stderr)
        let progress = seenWhileRunning.filter { $0.contains("\"event\":\"progress\"") }
        XCTAssertGreaterThanOrEqual(progress.count, 2, "no progress lines while the batch ran: \(result.stderr)")
        var lastDone = -1
        for line in result.stderr.split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            let done = try XCTUnwrap(object["done"] as? Int)
            XCTAssertGreaterThanOrEqual(done, lastDone)
            lastDone = done
        }
        XCTAssertTrue(result.stderr.hasSuffix("\n"))
        let last = try XCTUnwrap(result.stderr.split(separator: "\n").last)
        XCTAssertTrue(last.contains("\"event\":\"finished\"") && last.contains("\"done\":400"), String(last))
    }

    func testQuietLogsNothingAndTextIsTheDefault() throws {
        let dir = try temporaryDirectory(self)
        let store = dir + "/store.sqlite"
        XCTAssertEqual(try seqport(["sample", "--config", configPath, "--subjects", "3", "--events", "2", "--out", store], in: dir).status, 0)
        let quiet = try seqport(["export", "--config", configPath, "--all", "--store", store, "--out", dir + "/q", "--quiet"], in: dir)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
        let text = try seqport(["export", "--config", configPath, "--all", "--store", store, "--out", dir + "/t"], in: dir)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stderr.hasPrefix("seqport: finished 3/3 (100%), exported 3, skipped 0, failed 0, "), text.stderr)
        XCTAssertFalse(text.stderr.contains("\r"), "a bar was drawn without a terminal")
    }
}
