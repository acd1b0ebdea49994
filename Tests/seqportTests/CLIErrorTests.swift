import Foundation
import SeqPortTestSupport
import XCTest

/// Runs the built `seqport` binary on broken and hostile input: each failure is one stderr line
/// `seqport: <code>: …`, its documented exit status (`Specs/errors.md`), never a crash or a stack
/// trace; a full disk leaves no bundle that looks complete (killed imports and exports:
/// `Tests/SeqPortCrashTests`).
final class CLIErrorTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let config = root + "/Samples/seqport.json"

    /// The `seqport` executable built next to the test bundle.
    static let binary: String? = {
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: root + "/.build/debug"))
        return candidates.map { $0.appendingPathComponent("seqport").path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Run {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "seqport-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func binary() throws -> String {
        guard let b = Self.binary else { throw TestTools.missing("the seqport binary was not found next to the tests") }
        return b
    }

    /// Starts a process; output goes to files so that a killed process cannot block a pipe.
    func start(_ executable: String, _ arguments: [String], tag: String = UUID().uuidString) throws -> (Process, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = dir + "/.out-\(tag)", err = dir + "/.err-\(tag)"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out, err)
    }

    func finish(_ started: (Process, String, String)) -> Run {
        let (p, out, err) = started
        p.waitUntilExit()
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        return Run(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal, stdout: read(out), stderr: read(err))
    }

    @discardableResult
    func seqport(_ arguments: [String], timeout: TimeInterval = 120) throws -> Run {
        let started = try start(try binary(), arguments)
        let deadline = Date().addingTimeInterval(timeout)
        while started.0.isRunning && Date() < deadline { usleep(10_000) }
        if started.0.isRunning { kill(started.0.processIdentifier, SIGKILL) }
        return finish(started)
    }

    /// Runs a Python snippet (for SQLite and ZIP surgery independent of seqport); skips without python3.
    @discardableResult
    func python(_ script: String, _ arguments: [String] = []) throws -> String {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:))
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile(atPath:))
        else { throw TestTools.missing("python3 is needed to edit SQLite stores and ZIP files in this test") }
        let run = finish(try start(python, ["-c", script] + arguments))
        guard run.status == 0 else { throw NSError(domain: "python", code: Int(run.status), userInfo: [NSLocalizedDescriptionKey: run.stderr]) }
        return run.stdout
    }

    /// Asserts a clean refusal: the exit status, exactly one stderr line `seqport: <code>: …`, no crash.
    func assertRefusal(_ run: Run, status: Int32, code: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(run.signaled, "killed by a signal: \(run.stderr)", file: file, line: line)
        XCTAssertEqual(run.status, status, "stderr: \(run.stderr)", file: file, line: line)
        XCTAssertEqual(run.stderrLines.count, 1, "exactly one stderr line expected: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderrLines.first?.hasPrefix("seqport: \(code): ") ?? false, "expected code \(code): \(run.stderr)", file: file, line: line)
        assertNoCrash(run, file: file, line: line)
    }

    func assertNoCrash(_ run: Run, file: StaticString = #filePath, line: UInt = #line) {
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault", "backtrace"] {
            XCTAssertFalse(run.stderr.contains(marker), "crash output: \(run.stderr)", file: file, line: line)
        }
    }

    /// A small sample store.
    func sampleStore(_ name: String = "store.sqlite", subjects: Int = 2, events: Int = 10) throws -> String {
        let path = dir + "/" + name
        let run = try seqport(["sample", "--config", Self.config, "--subjects", "\(subjects)", "--events", "\(events)", "--out", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        return path
    }

    /// Exports s-00001 and returns the bundle's path.
    func exportBundle(store: String, out: String? = nil) throws -> String {
        let run = try seqport(["export", "--config", Self.config, "--store", store, "--subject", "s-00001", "--out", out ?? dir + "/bundles",
                               "--generated-at", "2026-01-01T00:00:00Z"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Rewrites one JSON entry of a bundle with a Python expression over `records` (the list of dicts).
    func editJSON(_ bundle: String, entry: String, to out: String, _ transform: String) throws {
        try python("""
        import json, sys, zipfile
        src, dst, entry = sys.argv[1], sys.argv[2], sys.argv[3]
        with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as w:
            for info in z.infolist():
                data = z.read(info.filename)
                if info.filename == entry:
                    records = json.loads(data)
        \(transform.split(separator: "\n").map { "            " + $0 }.joined(separator: "\n"))
                    data = json.dumps(records, ensure_ascii=False).encode()
                w.writestr(info.filename, data)
        """, [bundle, out, entry])
    }

    // MARK: Store errors

    func testMissingStoreExitsSevenWithOneLine() throws {
        let run = try seqport(["export", "--config", Self.config, "--store", dir + "/nope.sqlite", "--subject", "s-00001", "--out", dir + "/b"])
        assertRefusal(run, status: 7, code: "store.missing")
    }

    func testUnknownSubjectExitsTen() throws {
        let store = try sampleStore()
        let run = try seqport(["export", "--config", Self.config, "--store", store, "--subject", "s-99999", "--out", dir + "/b"])
        assertRefusal(run, status: 10, code: "store.unknown-subject")
    }

    func testAFileThatIsNotADatabaseExitsSeven() throws {
        let path = dir + "/garbage.sqlite"
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096))
        let run = try seqport(["export", "--config", Self.config, "--store", path, "--subject", "s-00001", "--out", dir + "/b"])
        assertRefusal(run, status: 7, code: "store.missing")
    }

    func testLockedStoreExitsSevenAfterTheBusyTimeout() throws {
        let store = try sampleStore()
        // Another process holds an exclusive lock (rollback journal: readers are locked out too).
        let holder = try start("/usr/bin/env", ["python3", "-c", """
        import sqlite3, sys, time
        c = sqlite3.connect(sys.argv[1], isolation_level=None)
        c.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        time.sleep(60)
        """, store], tag: "holder")
        defer { kill(holder.0.processIdentifier, SIGKILL); _ = finish(holder) }
        let deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOfFile: holder.1, encoding: .utf8))?.contains("locked") != true {
            guard holder.0.isRunning, Date() < deadline else { throw TestTools.missing("python3 could not lock the store") }
            usleep(20_000)
        }
        let start = Date()
        let run = try seqport(["export", "--config", Self.config, "--store", store, "--subject", "s-00001", "--out", dir + "/b"])
        assertRefusal(run, status: 7, code: "store.locked")
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b/seqport-s-00001-access.zip"))
    }

    func testStoreOfAnotherSchemaVersionExitsSeven() throws {
        let store = try sampleStore()
        try python("""
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        c.execute("UPDATE seqport_meta SET value = '99' WHERE key = 'schema_version'")
        c.commit()
        """, [store])
        for arguments in [["export", "--config", Self.config, "--store", store, "--subject", "s-00001", "--out", dir + "/b"]] {
            assertRefusal(try seqport(arguments), status: 7, code: "store.schema-version")
        }
    }

    // MARK: Archives and documents

    func testHostileArchiveExitsFiveForVerifyAndImport() throws {
        let store = try sampleStore()
        let slip = dir + "/slip.zip"
        try python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            z.writestr("manifest.json", "{}")
            z.writestr("../../etc/evil.sh", "echo owned")
        """, [slip])
        assertRefusal(try seqport(["verify", slip]), status: 5, code: "zip.unsafe-name")
        let before = try snapshot(store)
        assertRefusal(try seqport(["import", slip, "--config", Self.config, "--store", store, "--apply"]), status: 5, code: "zip.unsafe-name")
        XCTAssertEqual(try snapshot(store), before)

        let notZip = dir + "/not.zip"
        FileManager.default.createFile(atPath: notZip, contents: Data("hello".utf8))
        assertRefusal(try seqport(["verify", notZip]), status: 5, code: "zip.not-a-zip")
    }

    func testBadDocumentExitsFour() throws {
        let json = dir + "/dup.json"
        FileManager.default.createFile(atPath: json, contents: Data(#"[{"a": "secret-1", "a": "secret-2"}]"#.utf8))
        let run = try seqport(["convert", json, "--to", "csv"])
        assertRefusal(run, status: 4, code: "json.duplicate-key")
        XCTAssertTrue(run.stderr.contains("dup.json"))
        XCTAssertFalse(run.stderr.contains("secret-"), "a value leaked: \(run.stderr)")

        let csv = dir + "/bad.csv"
        FileManager.default.createFile(atPath: csv, contents: Data("a,b\r\n1,\"unterminated\r\n".utf8))
        assertRefusal(try seqport(["convert", csv, "--to", "json"]), status: 4, code: "csv.unterminated-quote")

        let xml = dir + "/xxe.xml"
        FileManager.default.createFile(atPath: xml, contents: Data(#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#.utf8))
        assertRefusal(try seqport(["convert", xml, "--to", "json"]), status: 4, code: "xml.dtd")
    }

    func testImportWithARefusalExitsSixAndChangesNothing() throws {
        let store = try sampleStore()
        let bundle = try exportBundle(store: store)
        let edited = dir + "/edited.zip"
        // username is not rectifiable.
        try editJSON(bundle, entry: "json/account.json", to: edited, "records[0][\"username\"] = \"someone-else\"")
        let before = try snapshot(store)
        let run = try seqport(["import", edited, "--config", Self.config, "--store", store, "--apply"])
        XCTAssertEqual(run.status, 6, run.stderr)
        assertNoCrash(run)
        // The plan is the output (stdout); each refusal names category, record and field, and what the
        // subject asked for (their own value, for the operator deciding on the request); stderr has no value.
        XCTAssertTrue(run.stdout.contains("refused account a-s-00001 field \"username\", asked \"someone-else\""), run.stdout)
        XCTAssertTrue(run.stdout.contains("(import.not-rectifiable)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("nothing applied"), run.stdout)
        XCTAssertFalse(run.stderr.contains("someone-else"), "errors never carry values: \(run.stderr)")
        XCTAssertEqual(try snapshot(store), before)
    }

    func testBadFlagExitsTwoWithOneUsageLine() throws {
        let run = try seqport(["export", "--no-such-flag"])
        // ArgumentParser's parse errors are reported like seqport's own usage errors (Specs/errors.md).
        assertRefusal(run, status: 2, code: "usage")
        let invalid = try seqport(["verify", "x.zip", "--max-entries", "0"])
        assertRefusal(invalid, status: 2, code: "usage")
    }

    // MARK: Every error of a partner file in one run (--max-errors)

    func testImportOfAPartnerFileReportsEveryBadRecordThenTheCountAndExitsFour() throws {
        let store = try sampleStore()
        let file = dir + "/email_addresses.jsonl"
        FileManager.default.createFile(atPath: file, contents: Data("""
        {"id": "e-s-00001-1", "address": "a@example.com", "label": "work", "is_primary": "maybe"}
        {"id": "e-s-00001-2", "address": "b@example.com", "label": "nope", "is_primary": false}

        """.utf8))
        let run = try seqport(["import", file, "--subject", "s-00001", "--store", store, "--config", Self.config])
        XCTAssertEqual(run.status, 4, run.stderr)
        XCTAssertEqual(run.stderrLines.count, 3, run.stderr)
        XCTAssertTrue(run.stderrLines[0].hasPrefix("seqport: value.type: \(file) line 1, record 1, field \"is_primary\""), run.stderr)
        XCTAssertTrue(run.stderrLines[1].hasPrefix("seqport: value.enum: \(file) line 2, record 2, field \"label\""), run.stderr)
        XCTAssertEqual(run.stderrLines[2], "seqport: 2 errors (value.enum: 1, value.type: 1)")
        XCTAssertFalse(run.stderr.contains("maybe") || run.stderr.contains("nope"), "no value is printed")
        assertNoCrash(run)
        let one = try seqport(["import", file, "--subject", "s-00001", "--store", store, "--config", Self.config, "--max-errors", "1"])
        assertRefusal(one, status: 4, code: "value.type")
    }

    func testConvertOfXMLReportsEveryBadRecordThenTheCountAndWritesNothing() throws {
        let file = dir + "/feedback.xml"
        var xml = "<feedback xmlns=\"urn:seqport:bundle:1\">\n"
        for n in 1...5 {
            xml += "  <record><id>f\(n)</id><submitted_at>2024-01-01T00:00:00Z</submitted_at><rating>\(n == 2 ? "bad" : "3")</rating>"
                + "<comment>ok</comment>\(n == 4 ? "<zz>1</zz>" : "")</record>\n"
        }
        FileManager.default.createFile(atPath: file, contents: Data((xml + "</feedback>\n").utf8))
        let out = dir + "/feedback.csv"
        let run = try seqport(["convert", file, "--category", "feedback", "--to", "csv", "--out", out, "--config", Self.config])
        XCTAssertEqual(run.status, 4, run.stderr)
        XCTAssertEqual(run.stderrLines.count, 3, run.stderr)
        XCTAssertTrue(run.stderrLines[0].hasPrefix("seqport: value.type: \(file) line 3, record 2, field \"rating\""), run.stderr)
        XCTAssertTrue(run.stderrLines[1].hasPrefix("seqport: xml.unknown-field: \(file) line 5, record 4, field \"zz\""), run.stderr)
        XCTAssertEqual(run.stderrLines[2], "seqport: 2 errors (value.type: 1, xml.unknown-field: 1)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is written")
        assertNoCrash(run)
        let one = try seqport(["convert", file, "--category", "feedback", "--to", "csv", "--out", out, "--config", Self.config, "--max-errors", "1"])
        assertRefusal(one, status: 4, code: "value.type")
        XCTAssertEqual(one.stderrLines.count, 1, one.stderr)
    }

    // MARK: Limits raisable by flags

    func testLimitFlagsLowerAndRaiseTheLimits() throws {
        let store = try sampleStore()
        let bundle = try exportBundle(store: store)
        XCTAssertEqual(try seqport(["verify", bundle]).status, 0)
        assertRefusal(try seqport(["verify", bundle, "--max-entries", "3"]), status: 5, code: "zip.too-many-entries")
        assertRefusal(try seqport(["verify", bundle, "--max-total-bytes", "1000"]), status: 5, code: "zip.total-too-large")

        let csv = dir + "/long.csv"
        FileManager.default.createFile(atPath: csv, contents: Data(("a\r\n" + String(repeating: "x", count: 100) + "\r\n").utf8))
        assertRefusal(try seqport(["convert", csv, "--to", "json", "--max-value-bytes", "10"]), status: 4, code: "value.too-long")
        XCTAssertEqual(try seqport(["convert", csv, "--to", "json", "--max-value-bytes", "1000"]).status, 0)

        // Nesting: records are flat, so with the default depth a nested element is refused as not flat;
        // with the depth lowered to 3 (what records need) the depth check, which comes first, refuses it.
        let deep = dir + "/deep.xml"
        FileManager.default.createFile(atPath: deep, contents: Data((String(repeating: "<r>", count: 40) + String(repeating: "</r>", count: 40)).utf8))
        assertRefusal(try seqport(["convert", deep, "--to", "csv"]), status: 4, code: "xml.not-flat")
        assertRefusal(try seqport(["convert", deep, "--to", "csv", "--max-depth", "3"]), status: 4, code: "xml.depth")

        let imported = try seqport(["import", bundle, "--config", Self.config, "--store", store, "--max-entries", "3"])
        assertRefusal(imported, status: 5, code: "zip.too-many-entries")
    }

    // MARK: Crash safety

    /// Every table of a SQLite store as text, in a stable order.
    func snapshot(_ store: String) throws -> String {
        try python("""
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            print(t)
            for row in c.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2'):
                print(repr(row))
        """, [store])
    }

    // Killed imports and exports: Tests/SeqPortCrashTests.

    func testExportToAFullDiskFailsWithIoFailedAndLeavesNothing() throws {
        guard getuid() == 0 else { throw TestTools.missing("mounting a small tmpfs needs root") }
        let mnt = dir + "/full"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        let mount = finish(try start("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt], tag: "mount"))
        guard mount.status == 0 else { throw TestTools.missing("cannot mount a tmpfs here (\(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))") }
        defer { _ = finish(try! start("/bin/umount", [mnt], tag: "umount")) }
        let store = try sampleStore(subjects: 1, events: 20_000)
        let run = try seqport(["export", "--config", Self.config, "--store", store, "--subject", "s-00001", "--out", mnt])
        assertRefusal(run, status: 8, code: "io.failed")
        let left = try FileManager.default.contentsOfDirectory(atPath: mnt)
        XCTAssertEqual(left, [], "a failed export left \(left)")
    }
}
