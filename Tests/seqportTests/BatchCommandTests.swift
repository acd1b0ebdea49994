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

/// `seqport export --all`, run as a process: sharded, encrypted, logged (killed and interrupted:
/// `Tests/SeqPortCrashTests`).
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

    // Killed at seeded moments and resumed, and interrupted by SIGINT: Tests/SeqPortCrashTests.

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
