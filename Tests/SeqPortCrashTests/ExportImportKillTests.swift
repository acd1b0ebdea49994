#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortTestSupport
import XCTest

/// `seqport export` and `import --apply` killed (SIGKILL) or signalled (SIGTERM, SIGINT) mid-run: a
/// killed import leaves the store unchanged or fully applied; a killed export leaves no bundle that
/// looks complete; a signalled export removes its partial file. The moments are seeded (`crashSeed`),
/// and each test waits for the work to be under way before its first signal, so at least one lands
/// on every machine — and says so.
final class ExportImportKillTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = try temporaryDirectory(self)
    }

    /// A sample store.
    func sampleStore(subjects: Int, events: Int) throws -> String {
        let path = dir + "/store.sqlite"
        let run = try seqport(["sample", "--config", configPath, "--subjects", "\(subjects)", "--events", "\(events)", "--out", path], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        return path
    }

    /// Every table of a SQLite store as text, in a stable order.
    func snapshot(_ store: String) throws -> String {
        try python("""
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            print(t)
            for row in c.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2'):
                print(repr(row))
        """, [store], in: dir)
    }

    static func withoutAuditTimes(_ text: String) -> String {
        // seqport_audit rows are (id, at, …): drop the time.
        text.split(separator: "\n").map { line -> String in
            guard line.hasPrefix("("), line.contains("'s-00001', 'feedback'") else { return String(line) }
            return line.replacingOccurrences(of: #"^\((\d+), '[^']*'"#, with: "($1, AT", options: .regularExpression)
        }.joined(separator: "\n")
    }

    func testImportKilledAtAnyMomentLeavesTheStoreUnchangedOrFullyApplied() throws {
        let store = try sampleStore(subjects: 1, events: 5)
        // Thousands of editable records for the subject.
        try python("""
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        c.executemany("INSERT INTO feedback (subject_id, id, submitted_at, rating, comment) VALUES ('s-00001', ?, '2025-01-01T00:00:00Z', 3, 'ok')",
                      [(f"fb-bulk-{n:05}",) for n in range(4000)])
        c.commit()
        """, [store], in: dir)
        let export = try seqport(["export", "--config", configPath, "--store", store, "--subject", "s-00001", "--out", dir + "/bundles",
                                  "--generated-at", "2026-01-01T00:00:00Z"], in: dir)
        XCTAssertEqual(export.status, 0, export.stderr)
        let bundle = export.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let edited = dir + "/edited.zip"
        try python("""
        import json, sys, zipfile
        src, dst = sys.argv[1], sys.argv[2]
        with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as w:
            for info in z.infolist():
                data = z.read(info.filename)
                if info.filename == "json/feedback.json":
                    records = json.loads(data)
                    for i, r in enumerate(records):
                        r["comment"] = f"edited {i}"
                    data = json.dumps(records, ensure_ascii=False).encode()
                w.writestr(info.filename, data)
        """, [bundle, edited], in: dir)
        let before = try snapshot(store)
        let pristine = dir + "/pristine.sqlite"
        try FileManager.default.copyItem(atPath: store, toPath: pristine)

        // The fully applied state, from a copy, and how long a whole run takes.
        let copy = dir + "/applied.sqlite"
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        let clock = Date()
        let full = try seqport(["import", edited, "--config", configPath, "--store", copy, "--apply", "--actor", "test"], in: dir)
        let duration = Date().timeIntervalSince(clock)
        XCTAssertEqual(full.status, 0, full.stderr)
        let applied = try snapshot(copy)
        XCTAssertNotEqual(applied, before)

        var generator = SeededGenerator(seed: crashSeed)
        // Early, seeded, and close to the end, where the transaction commits.
        let fractions = [0.01, Double.random(in: 0.1...0.9, using: &generator), 0.8, 0.9, 0.95, 0.99]
        var outcomes: [String] = []
        var killed = 0
        for fraction in fractions {
            let delay = max(0.05, fraction * duration)
            let run = try Started(seqport: ["import", edited, "--config", configPath, "--store", store, "--apply", "--actor", "test"], in: dir)
            usleep(UInt32(delay * 1_000_000))
            run.signal(SIGKILL)
            let result = run.finish()
            if result.signaled { killed += 1 } else { XCTAssertEqual(result.status, 0, result.stderr) }
            // Opening the store rolls back a hot journal, as SQLite does; both runs stamp the audit with
            // the real time, so the audit's time column is left out of the comparison.
            let state = Self.withoutAuditTimes(try snapshot(store))
            if state == Self.withoutAuditTimes(before) {
                outcomes.append("\(result.signaled ? "killed" : "finished"): unchanged")
            } else {
                XCTAssertEqual(state, Self.withoutAuditTimes(applied), "killed after \(delay) s (status \(result.status)): the store is partly applied")
                outcomes.append("\(result.signaled ? "killed" : "finished"): applied")
                // Applied: start again from the original store for the next attempt.
                try? FileManager.default.removeItem(atPath: store + "-journal")
                try FileManager.default.removeItem(atPath: store)
                try FileManager.default.copyItem(atPath: pristine, toPath: store)
            }
        }
        print("import killed \(killed) of \(fractions.count) times (seed \(crashSeed), full run \(String(format: "%.2f", duration)) s): \(outcomes)")
        XCTAssertGreaterThan(killed, 0, "no kill landed: every import finished before its signal")
    }

    func testExportKilledAtAnyMomentLeavesNoBundleThatLooksComplete() throws {
        let store = try sampleStore(subjects: 1, events: 60_000)
        let out = dir + "/killed"
        var generator = SeededGenerator(seed: crashSeed)
        var killed = 0
        for attempt in 0..<5 {
            let run = try Started(seqport: ["export", "--config", configPath, "--store", store, "--subject", "s-00001", "--out", out,
                                            "--jobs", "2"], in: dir)
            if attempt == 0 {
                // The hook: the export is writing its partial file; kill it there.
                XCTAssertTrue(waitFor(run) { names(in: out).contains { $0.contains(".partial-") } }, "the export wrote no partial file")
            } else {
                usleep(microseconds(0.05...1.5, &generator))
            }
            run.signal(SIGKILL)
            let result = run.finish()
            let left = names(in: out)
            let bundles = left.filter { $0.hasPrefix("seqport-") && $0.hasSuffix(".zip") }
            if result.signaled {
                killed += 1
                for b in bundles {
                    // Only possible if the kill landed between the rename and the exit: then it must be whole.
                    let check = try seqport(["verify", out + "/" + b], in: dir)
                    XCTAssertEqual(check.status, 0, "a killed export left \(b), which is not sound: \(check.stdout)")
                    try FileManager.default.removeItem(atPath: out + "/" + b)
                }
                for n in left where !n.hasPrefix("seqport-") {
                    XCTAssertTrue(n.hasPrefix(".") && n.contains(".partial-"), "unexpected file \(n) after a killed export")
                }
            } else {
                XCTAssertEqual(result.status, 0, result.stderr)
                for b in bundles { try FileManager.default.removeItem(atPath: out + "/" + b) }
            }
        }
        print("export killed \(killed) of 5 times (seed \(crashSeed))")
        XCTAssertGreaterThan(killed, 0, "no kill landed")
    }

    func testASignalDuringAnExportRemovesItsPartialFile() throws {
        let store = try sampleStore(subjects: 1, events: 60_000)
        let out = dir + "/signalled"
        var generator = SeededGenerator(seed: crashSeed)
        var signalled = 0
        for (attempt, number) in [SIGTERM, SIGINT, SIGTERM, SIGINT].enumerated() {
            let run = try Started(seqport: ["export", "--config", configPath, "--store", store, "--subject", "s-00001", "--out", out, "--jobs", "1"],
                                  in: dir)
            // The hook: the export is writing its partial file; then a seeded moment later (none for the first).
            XCTAssertTrue(waitFor(run) { names(in: out).contains { $0.contains(".partial-") } }, "attempt \(attempt): no partial file")
            if attempt > 0 { usleep(microseconds(0...0.5, &generator)) }
            run.signal(number)
            let result = run.finish()
            let left = names(in: out)
            XCTAssertEqual(left.filter { $0.contains(".partial-") || $0.contains("spool") }, [], "attempt \(attempt): \(result.stderr)")
            if result.status == 128 + number { signalled += 1 } else { XCTAssertEqual(result.status, 0, result.stderr) }
            for name in left { try? FileManager.default.removeItem(atPath: out + "/" + name) }
        }
        print("export signalled \(signalled) of 4 times (seed \(crashSeed))")
        XCTAssertGreaterThan(signalled, 0, "no signal landed: every export finished before its signal")
    }
}
