#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortModel
import SeqPortPipeline
import SeqPortSQLite
import SeqPortStore
import SeqPortTestSupport
import XCTest

/// `seqport export --all` killed at seeded moments and rerun, and interrupted by SIGINT: each waits for
/// the batch's first bundle before its first signal, so the signal lands while subjects are left.
final class BatchKillTests: XCTestCase {
    /// A sample store of `subjects` × `events` in `dir`, with subject `broken` (if any) made unreadable.
    func makeStore(in dir: String, subjects: Int, events: Int, broken: String? = nil) throws -> String {
        let path = dir + "/store.sqlite"
        let made = try seqport(["sample", "--config", configPath, "--subjects", "\(subjects)", "--events", "\(events)", "--out", path], in: dir)
        XCTAssertEqual(made.status, 0, made.stderr)
        if let broken {
            let config = try Configuration.load(path: configPath)
            let store = try SQLiteStore(path: path, schema: config.schema)
            let contact = try XCTUnwrap(config.schema.category(named: "contact"))
            let language = try XCTUnwrap(contact.fields.first { $0.name == "preferred_language" })
            var keys: [String] = []
            try store.withSnapshot { snap in
                try snap.forEachRecord(subject: broken, in: contact, fields: [contact.keyField]) { keys.append($0[0].text ?? "") }
            }
            try store.withTransaction { tx in
                for key in keys { _ = try tx.update(subject: broken, in: contact, key: key, set: [(language, .text("xx-invalid"))]) }
            }
        }
        return path
    }

    func batchArguments(store: String, out: String) -> [String] {
        ["export", "--config", configPath, "--all", "--store", store, "--out", out, "--jobs", "2", "--json"]
    }

    func summary(_ stdout: String) throws -> BatchSummary {
        try JSONDecoder().decode(BatchSummary.self, from: Data(stdout.utf8))
    }

    /// Every bundle in `out` verifies, names its own subject once, and there is one per expected subject.
    func assertCompleteBundles(in out: String, subjects expected: Set<String>, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        XCTAssertEqual(names.filter { $0.contains(".partial") || $0.contains("spool") }, [], "leftover temporary files", file: file, line: line)
        var found: [String] = []
        for name in names where name.hasSuffix(".zip") {
            let report = try Verifier().verify(path: out + "/" + name)
            XCTAssertTrue(report.sound, "\(name): \(report.problems)", file: file, line: line)
            let subject = try XCTUnwrap(report.subject, file: file, line: line)
            XCTAssertEqual(name, "seqport-\(subject)-access.zip", file: file, line: line)
            found.append(subject)
        }
        XCTAssertEqual(found.count, Set(found).count, "a subject has two bundles", file: file, line: line)
        XCTAssertEqual(Set(found), expected, file: file, line: line)
    }

    /// True once `out` holds a finished bundle.
    func hasABundle(_ out: String) -> Bool { names(in: out).contains { $0.hasPrefix("seqport-") && $0.hasSuffix(".zip") } }

    func testBatchKilledAtSeededMomentsResumesToExactlyOneSoundBundlePerSubject() throws {
        let dir = try temporaryDirectory(self)
        let count = 120
        let store = try makeStore(in: dir, subjects: count, events: 20, broken: "s-00007")
        let out = dir + "/out"
        var generator = SeededGenerator(seed: crashSeed)
        var killed = 0
        for round in 0..<5 {
            let run = try Started(seqport: batchArguments(store: store, out: out), in: dir)
            if round == 0 {
                // The hook: the batch has finished a subject and has more than a hundred to go.
                XCTAssertTrue(waitFor(run) { hasABundle(out) }, "the batch wrote no bundle")
            } else {
                usleep(microseconds(0.05...(0.2 + 0.15 * Double(round)), &generator))
            }
            run.signal(SIGKILL)
            let result = run.finish()
            print("round \(round): SIGKILL, status \(result.status) (seed \(crashSeed))")
            guard result.signaled else { break }  // that run finished the batch: nothing left to interrupt
            killed += 1
        }
        XCTAssertGreaterThan(killed, 0, "no run was killed before it finished")
        let leftovers = names(in: out).filter { $0.contains(".partial-") }
        print("after the kills: \(leftovers.count) partial file(s) left behind")

        let final = try seqport(batchArguments(store: store, out: out), in: dir)
        XCTAssertEqual(final.status, SeqPortError.ExitClass.partial.rawValue, final.stderr)
        let done = try summary(final.stdout)
        XCTAssertEqual(done.total, count)
        XCTAssertEqual(done.exported + done.skipped, count - 1)
        XCTAssertEqual(done.failed, 1)
        XCTAssertFalse(done.interrupted)
        // On a fast machine the killed runs may together have finished every subject before this rerun:
        // then it has nothing to redo, and what matters is that it takes their bundles as complete.
        XCTAssertEqual(done.partialFilesRemoved, leftovers.count)
        let expected = Set((1...count).map(SampleData.subjectID)).subtracting(["s-00007"])
        try assertCompleteBundles(in: out, subjects: expected)
        XCTAssertEqual(try BatchReport.read(path: out + "/seqport-report.jsonl").map(\.subject), ["s-00007"])
        XCTAssertEqual(try BatchReport.read(path: out + "/seqport-report.jsonl").map(\.code), ["store.bad-data"])
    }

    func testSIGINTStopsTakingSubjectsWritesTheSummaryAndExits130() throws {
        let dir = try temporaryDirectory(self)
        let store = try makeStore(in: dir, subjects: 150, events: 20)
        let out = dir + "/out"
        let run = try Started(seqport: batchArguments(store: store, out: out), in: dir)
        // The hook: the first bundle is written, 149 subjects are left; the signal lands among them.
        XCTAssertTrue(waitFor(run) { hasABundle(out) }, "the batch wrote no bundle")
        XCTAssertTrue(run.signal(SIGINT), "the batch finished before the signal")
        let result = run.finish()
        XCTAssertEqual(result.status, 130, result.stderr)
        let interrupted = try summary(result.stdout)
        XCTAssertTrue(interrupted.interrupted)
        XCTAssertGreaterThan(interrupted.notStarted, 0)
        XCTAssertEqual(interrupted.exported + interrupted.notStarted, 150)
        let left = names(in: out)
        XCTAssertEqual(left.filter { $0.contains(".partial") }, [])
        XCTAssertEqual(left.filter { $0.hasSuffix(".zip") }.count, interrupted.exported)

        let rest = try seqport(batchArguments(store: store, out: out), in: dir)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(try summary(rest.stdout).skipped, interrupted.exported)
    }
}
