#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline
import SeqPortSQLite
import SeqPortStore
import XCTest

/// `seqport export --all`, run as a process: killed at random moments and rerun, interrupted, sharded.
final class BatchCommandTests: XCTestCase {
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

    func batchArguments(store: String, out: String, _ extra: [String] = []) -> [String] {
        ["export", "--config", configPath, "--all", "--store", store, "--out", out, "--jobs", "2", "--json"] + extra
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
            XCTAssertEqual(name, BundleLayout.bundleName(subject: subject, scope: .access), file: file, line: line)
            found.append(subject)
        }
        XCTAssertEqual(found.count, Set(found).count, "a subject has two bundles", file: file, line: line)
        XCTAssertEqual(Set(found), expected, file: file, line: line)
    }

    func testBatchKilledAtRandomMomentsResumesToExactlyOneSoundBundlePerSubject() throws {
        let dir = try temporaryDirectory(self)
        let count = 120
        let store = try makeStore(in: dir, subjects: count, events: 20, broken: "s-00007")
        let out = dir + "/out"
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for round in 0..<5 {
            let delay = Double.random(in: 0.05...(0.2 + 0.15 * Double(round)), using: &generator)
            let run = try SeqPortProcess(batchArguments(store: store, out: out), in: dir)
            Thread.sleep(forTimeInterval: delay)
            run.signal(SIGKILL)
            let result = run.finish()
            if result.status == 128 + SIGKILL { killed += 1 }
            print("round \(round): SIGKILL after \(String(format: "%.2f", delay)) s, status \(result.status)")
            if result.status != 128 + SIGKILL { break }  // that run finished the batch: nothing left to interrupt
        }
        XCTAssertGreaterThan(killed, 0, "no run was killed before it finished; the store is too small for this machine")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.contains(".partial-") }
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
        let run = try SeqPortProcess(batchArguments(store: store, out: out), in: dir)
        Thread.sleep(forTimeInterval: 0.4)
        run.signal(SIGINT)
        let result = run.finish()
        guard result.status != 0 else { throw XCTSkip("the batch finished before the signal") }
        XCTAssertEqual(result.status, 130, result.stderr)
        let interrupted = try summary(result.stdout)
        XCTAssertTrue(interrupted.interrupted)
        XCTAssertEqual(interrupted.exported + interrupted.notStarted, 150)
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        XCTAssertEqual(names.filter { $0.contains(".partial") }, [])
        XCTAssertEqual(names.filter { $0.hasSuffix(".zip") }.count, interrupted.exported)

        let rest = try seqport(batchArguments(store: store, out: out), in: dir)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(try summary(rest.stdout).skipped, interrupted.exported)
    }

    func testKubernetesIndexedShardsAreDisjointAndComplete() throws {
        let dir = try temporaryDirectory(self)
        let store = try makeStore(in: dir, subjects: 30, events: 2)
        let out = dir + "/out"
        var exported = 0
        for index in 0..<3 {
            let run = try seqport(batchArguments(store: store, out: out, ["--shards", "3"]), in: dir, environment: ["JOB_COMPLETION_INDEX": "\(index)"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let s = try summary(run.stdout)
            XCTAssertEqual(s.shard, "\(index)/3")
            XCTAssertEqual(s.skipped, 0, "shards overlap")
            exported += s.exported
        }
        XCTAssertEqual(exported, 30)
        try assertCompleteBundles(in: out, subjects: Set((1...30).map(SampleData.subjectID)))

        let all = try seqport(batchArguments(store: store, out: out, ["--verify-existing"]), in: dir)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(try summary(all.stdout).skipped, 30, "every shard's bundles pass the full check")
    }

    func testWithoutATerminalThereIsNoBarOnlyLogLinesAndASummaryLine() throws {
        let dir = try temporaryDirectory(self)
        let store = try makeStore(in: dir, subjects: 3, events: 2)
        let ids = dir + "/ids.txt"
        try "s-00001\ns-00003\n".write(toFile: ids, atomically: true, encoding: .utf8)
        let run = try seqport(["export", "--config", configPath, "--subjects", ids, "--store", store, "--out", dir + "/out"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("\r"), "a bar was drawn: \(run.stderr)")
        XCTAssertTrue(run.stderr.hasPrefix("seqport: finished 2/2"), run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("exported 2, skipped 0, failed 0 of 2 subjects in "), run.stdout)
    }

    func testBatchFlagsWithoutABatchAreAUsageError() throws {
        let dir = try temporaryDirectory(self)
        let run = try seqport(["export", "--config", configPath, "--shard", "0/2"], in: dir)
        XCTAssertEqual(run.status, 2, run.stderr)  // ArgumentParser's validation, reported as usage
        XCTAssertTrue(run.stderr.hasPrefix("seqport: usage: "), run.stderr)
    }

    func testAnEncryptedBatchWritesOnePassphraseFilePerBundleAndResumesWithoutNewOnes() throws {
        let dir = try temporaryDirectory(self)
        let store = try makeStore(in: dir, subjects: 3, events: 2)
        let out = dir + "/out"
        let first = try seqport(batchArguments(store: store, out: out, ["--encrypt"]), in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try summary(first.stdout).exported, 3)
        XCTAssertTrue(first.stderr.contains("passphrase is in <bundle>.passphrase"), first.stderr)
        let files = (1...3).map { out + "/seqport-s-0000\($0)-access.zip.passphrase" }
        let before = files.map { FileManager.default.contents(atPath: $0) }
        XCTAssertEqual(Set(before.compactMap { $0 }).count, 3, "one passphrase per subject")
        for (n, file) in files.enumerated() {
            let passphrase = String(decoding: before[n] ?? Data(), as: UTF8.self).trimmingCharacters(in: .newlines)
            let verified = try seqport(["verify", String(file.dropLast(".passphrase".count)), "--passphrase-file", file], in: dir)
            XCTAssertEqual(verified.status, 0, verified.stderr)
            XCTAssertFalse(first.stderr.contains(passphrase), "a passphrase is never printed")
        }
        let again = try seqport(batchArguments(store: store, out: out, ["--encrypt"]), in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try summary(again.stdout).skipped, 3)
        XCTAssertEqual(files.map { FileManager.default.contents(atPath: $0) }, before, "a resumed batch keeps the passphrases")

        let list = dir + "/passphrases.tsv"
        try "s-00001\tfirst one\ns-00002\tsecond one\n".write(toFile: list, atomically: true, encoding: .utf8)
        let given = try seqport(batchArguments(store: store, out: dir + "/given", ["--encrypt", "--passphrases", list]), in: dir)
        XCTAssertEqual(given.status, 9, "s-00003 has no passphrase: \(given.stderr)")
        XCTAssertEqual(try summary(given.stdout).exported, 2)
        XCTAssertTrue(try String(contentsOfFile: dir + "/given/seqport-report.jsonl", encoding: .utf8).contains("batch.no-passphrase"))
    }

    func testAnEncryptedBatchRefusesOnePassphraseForAll() throws {
        let dir = try temporaryDirectory(self)
        let file = dir + "/one.txt"
        try "shared\n".write(toFile: file, atomically: true, encoding: .utf8)
        for (arguments, environment) in [
            (["--all", "--encrypt", "--passphrase-file", file], [:]),
            (["--all", "--encrypt"], ["SEQPORT_PASSPHRASE": "shared"]),
            (["--all", "--passphrases", file], [:]),
            (["--subject", "s-00001", "--encrypt", "--passphrases", file], [:]),
        ] as [([String], [String: String])] {
            let run = try seqport(["export", "--config", configPath, "--store", dir + "/none.sqlite", "--out", dir + "/out"] + arguments,
                                  in: dir, environment: environment)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("seqport: usage: "), run.stderr)
            XCTAssertFalse(run.stderr.contains("shared"), run.stderr)
        }
    }
}
