import SeqPortPipeline
import XCTest
@testable import seqport

final class ProgressBarTests: XCTestCase {
    func testBarShowsDoneOfTotalRateAndETA() {
        let p = BatchProgress(total: 1000, exported: 400, skipped: 48, failed: 2, elapsed: 5)
        XCTAssertEqual(ProgressBar.text(p, width: 10), "[####------] 450/1000  45%  90.0/s  ETA 0:06  2 failed")
    }

    func testBarBeforeTheFirstSubjectHasNoETA() {
        XCTAssertEqual(ProgressBar.text(BatchProgress(total: 3), width: 4), "[----] 0/3   0%  0.0/s  ETA --:--")
    }

    func testLongETAShowsHours() {
        XCTAssertEqual(ProgressBar.duration(3 * 3600 + 125), "3:02:05")
        XCTAssertEqual(ProgressBar.duration(59.6), "1:00")
    }

    func testSummaryLineNamesCountsRateAndReport() throws {
        let json = """
            {"directory": "out", "report": "out/seqport-report.jsonl", "shard": "1/4", "jobs": 2, "total": 10, "exported": 6,
             "skipped": 2, "replaced": 0, "failed": 1, "notStarted": 1, "interrupted": true, "partialFilesRemoved": 0, "bytes": 0,
             "seconds": 2, "subjectsPerSecond": 4.5}
            """
        let summary = try JSONDecoder().decode(BatchSummary.self, from: Data(json.utf8))
        XCTAssertEqual(summary.line, "exported 6, skipped 2, failed 1, not started 1 (interrupted) of 10 subjects in shard 1/4 in 2.0 s (4.5 subjects/s) into out; report: out/seqport-report.jsonl")
    }
}
