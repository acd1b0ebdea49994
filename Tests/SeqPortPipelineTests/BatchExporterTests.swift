import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortSQLite
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

final class BatchExporterTests: XCTestCase {
    /// A sample store with `subjects` subjects, a batch over it and an output folder.
    func makeBatch(subjects: Int = 8, events: Int = 5) throws -> (BatchExporter, SQLiteStore, String) {
        let (store, config, dir) = try sampleStore(self, subjects: subjects, events: events)
        let batch = BatchExporter(storeLocation: store.path, configuration: config)
        return (batch, store, dir + "/out")
    }

    func options(jobs: Int = 2) -> BatchOptions {
        var options = BatchOptions()
        options.jobs = jobs
        options.export.generatedAt = fixedTime
        return options
    }

    func bundles(in dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".zip") }.sorted()
    }

    func testBatchExportsEverySubjectAndEveryBundleVerifies() throws {
        let (batch, _, out) = try makeBatch()
        let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        XCTAssertEqual(summary.total, 8)
        XCTAssertEqual(summary.exported, 8)
        XCTAssertEqual(summary.failed, 0)
        XCTAssertEqual(summary.exitStatus, 0)
        XCTAssertFalse(summary.interrupted)
        XCTAssertEqual(try bundles(in: out), (1...8).map { "seqport-\(SampleData.subjectID($0))-access.zip" })
        for name in try bundles(in: out) {
            let report = try Verifier().verify(path: out + "/" + name)
            XCTAssertTrue(report.sound, "\(name): \(report.problems)")
        }
        XCTAssertEqual(try BatchReport.read(path: summary.report), [])
    }

    func testBatchBundleIsByteIdenticalToASingleExport() throws {
        let (batch, store, out) = try makeBatch(subjects: 3)
        _ = try batch.run(subjects: ["s-00002"], to: out, options: options())
        let single = try temporaryDirectory(self)
        let result = try export(store, try defaultConfiguration(), subject: "s-00002", to: single, workers: 2)
        XCTAssertEqual(FileManager.default.contents(atPath: out + "/seqport-s-00002-access.zip"), FileManager.default.contents(atPath: result.path))
    }

    func testRerunSkipsSubjectsWhoseCompleteBundleIsThere() throws {
        let (batch, _, out) = try makeBatch()
        _ = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        let again = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        XCTAssertEqual(again.skipped, 8)
        XCTAssertEqual(again.exported, 0)
    }

    func testTruncatedBundleIsNotTakenForCompleteAndIsRewritten() throws {
        let (batch, _, out) = try makeBatch(subjects: 4)
        _ = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        let path = out + "/seqport-s-00003-access.zip"
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let again = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        XCTAssertEqual(again.skipped, 3)
        XCTAssertEqual(again.exported, 1)
        XCTAssertEqual(again.replaced, 1)
        XCTAssertTrue(try Verifier().verify(path: path).sound)
    }

    func testPartialFilesOfTheBatchesSubjectsAreRemovedAndOthersKept() throws {
        let (batch, _, out) = try makeBatch(subjects: 3)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let ours = out + "/.seqport-s-00002-access.zip.partial-123-abc"
        let theirs = out + "/.seqport-s-99999-access.zip.partial-456-def"
        for path in [ours, theirs] { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("PK".utf8))) }
        let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        XCTAssertEqual(summary.partialFilesRemoved, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ours))
        XCTAssertTrue(FileManager.default.fileExists(atPath: theirs), "another shard may be writing it")
        XCTAssertEqual(summary.exported, 3)
    }

    func testFailingSubjectGoesIntoTheReportAndTheBatchGoesOn() throws {
        let (batch, store, out) = try makeBatch(subjects: 6)
        try corruptContact(of: "s-00004", in: store)
        let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        XCTAssertEqual(summary.exported, 5)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.exitStatus, SeqPortError.ExitClass.partial.rawValue)
        XCTAssertEqual(summary.report, out + "/seqport-report.jsonl")
        let failures = try BatchReport.read(path: summary.report)
        XCTAssertEqual(failures.map(\.subject), ["s-00004"])
        XCTAssertEqual(failures.first?.code, "store.bad-data")
        XCTAssertFalse(failures.first?.message.contains("xx-invalid") ?? true, "the report never prints the stored value")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/seqport-s-00004-access.zip"))
    }

    func testUnknownSubjectFromAListIsReported() throws {
        let (batch, _, out) = try makeBatch(subjects: 2)
        var opts = options()
        opts.reportPath = out + "/custom/report.jsonl"
        let summary = try batch.run(subjects: ["s-00001", "nobody", "s-00001"], to: out, options: opts)
        XCTAssertEqual(summary.total, 2, "duplicates are exported once")
        XCTAssertEqual(summary.exported, 1)
        XCTAssertEqual(try BatchReport.read(path: out + "/custom/report.jsonl").map(\.code), ["store.unknown-subject"])
    }

    func testIdsWithTheSameBundleNameAreReportedNotOverwritten() throws {
        let (batch, _, out) = try makeBatch(subjects: 2)
        let summary = try batch.run(subjects: ["s-00001", "s/00001", "s 00001"], to: out, options: options())
        XCTAssertEqual(summary.exported, 1)
        XCTAssertEqual(summary.failed, 2)
        XCTAssertEqual(try BatchReport.read(path: summary.report).sorted { $0.subject < $1.subject }, [
            BatchFailure(subject: "s 00001", code: "batch.name-collision", message: "another subject of this batch has the same bundle file name"),
            BatchFailure(subject: "s/00001", code: "store.unknown-subject", message: "no subject with that id in the store"),
        ])
    }

    func testExistingCheckRefusesAnotherSubjectsBundleAndAnotherScope() throws {
        let (batch, _, out) = try makeBatch(subjects: 2)
        _ = try batch.run(subjects: ["s-00001"], to: out, options: options())
        let path = out + "/seqport-s-00001-access.zip"
        let check = ExistingBundleCheck()
        XCTAssertNil(try check.problem(path: path, subject: "s-00001", scope: .access))
        XCTAssertEqual(try check.problem(path: path, subject: "s-00002", scope: .access), "the manifest names another subject")
        XCTAssertFalse(check.isComplete(path: path, subject: "s-00001", scope: .portability))
        XCTAssertFalse(check.isComplete(path: out + "/missing.zip", subject: "s-00001", scope: .access))
    }

    func testFullExistingCheckFindsAChangedEntryTheQuickCheckCannotSee() throws {
        let (batch, _, out) = try makeBatch(subjects: 1)
        _ = try batch.run(subjects: ["s-00001"], to: out, options: options())
        let path = out + "/seqport-s-00001-access.zip"
        let all = try entries(of: path)
        let csv = try XCTUnwrap(all.first { $0.name == "csv/contact.csv" })
        var changed = csv.bytes
        changed[changed.count - 2] = changed[changed.count - 2] == 0x41 ? 0x42 : 0x41  // same size, other bytes
        try rewriteBundle(path, to: path, replacing: ["csv/contact.csv": changed])
        XCTAssertTrue(ExistingBundleCheck(depth: .quick).isComplete(path: path, subject: "s-00001", scope: .access))
        XCTAssertFalse(ExistingBundleCheck(depth: .full).isComplete(path: path, subject: "s-00001", scope: .access))
    }

    func testCancelledBatchStartsNoSubject() throws {
        let (batch, _, out) = try makeBatch(subjects: 3)
        batch.cancel()
        let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: options())
        XCTAssertTrue(summary.interrupted)
        XCTAssertEqual(summary.notStarted, 3)
        XCTAssertEqual(try bundles(in: out), [])
    }

    func testProgressEndsWithEverySubjectDone() throws {
        let (batch, _, out) = try makeBatch(subjects: 5)
        var seen: [BatchProgress] = []
        _ = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(jobs: 3)) { seen.append($0) }
        XCTAssertEqual(seen.last?.done, 5)
        XCTAssertEqual(seen.last?.total, 5)
    }

    func testSubjectListSkipsBlankLinesCommentsAndSpaces() throws {
        let dir = try temporaryDirectory(self)
        try "s-00001\r\n\n  s-00002  \n# a comment\ns-00003".write(toFile: dir + "/ids.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(try BatchExporter.readSubjectList(path: dir + "/ids.txt"), ["s-00001", "s-00002", "s-00003"])
    }

    func testAStreakOfConnectionFailuresStopsTheBatchAndAnyOtherOutcomeResetsIt() {
        var streak = ConnectionFailureStreak(limit: 3)
        let lost = SeqPortError(.storeConnection, "the connection to the store was lost")
        XCTAssertNil(streak.note(lost))
        XCTAssertNil(streak.note(lost))
        XCTAssertNil(streak.note(SeqPortError(.storeBadData, "bad data")), "another failure breaks the streak")
        XCTAssertNil(streak.note(lost))
        XCTAssertNil(streak.note(lost))
        streak.reset()                                   // a subject exported
        XCTAssertNil(streak.note(lost))
        XCTAssertNil(streak.note(lost))
        let stop = streak.note(lost)
        XCTAssertEqual(stop?.code, .storeConnection)
        XCTAssertEqual(stop?.exitStatus, 7)
        XCTAssertTrue(stop?.message.hasPrefix("3 subjects in a row failed to reach the store") ?? false, "\(String(describing: stop))")
        XCTAssertEqual(BatchOptions().maxConsecutiveConnectionFailures, 5)
    }

    func testSubjectListToleratesAByteOrderMark() throws {
        let dir = try temporaryDirectory(self)
        FileManager.default.createFile(atPath: dir + "/bom.txt", contents: Data([0xEF, 0xBB, 0xBF] + Array("s-00001\r\ns-00002\r\n".utf8)))
        XCTAssertEqual(try BatchExporter.readSubjectList(path: dir + "/bom.txt"), ["s-00001", "s-00002"])
    }

    func testShardsSharingAFolderExportEverySubjectOnceWithOneReportEach() throws {
        let (batch, _, out) = try makeBatch(subjects: 12, events: 2)
        var total = 0
        for k in 0..<3 {
            var opts = options()
            opts.shard = try Shard(index: k, count: 3)
            let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: opts)
            XCTAssertEqual(summary.report, out + "/seqport-report-\(k)-of-3.jsonl")
            total += summary.exported
        }
        XCTAssertEqual(total, 12)
        XCTAssertEqual(try bundles(in: out).count, 12)
    }
}

/// Sets one subject's contact language to a value outside its enum, so reading it throws `store.bad-data`.
func corruptContact(of subject: String, in store: any Store) throws {
    let contact = try XCTUnwrap(store.schema.category(named: "contact"))
    let language = try XCTUnwrap(contact.fields.first { $0.name == "preferred_language" })
    var keys: [String] = []
    try store.withSnapshot { snap in
        try snap.forEachRecord(subject: subject, in: contact, fields: [contact.keyField]) { keys.append($0[0].text ?? "") }
    }
    XCTAssertFalse(keys.isEmpty)
    try store.withTransaction { tx in
        for key in keys { _ = try tx.update(subject: subject, in: contact, key: key, set: [(language, .text("xx-invalid"))]) }
    }
}
