#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortTestSupport
import XCTest

/// What seqport leaves on disk: private files (0600 less the umask, `--mode` to widen), output paths
/// that are never replaced unless they are regular files (no partial file after a signal:
/// `Tests/SeqPortCrashTests`).
final class CLIFilesTests: XCTestCase {
    var dir = ""
    let config = packageRoot + "/Samples/seqport.json"

    override func setUpWithError() throws {
        dir = try temporaryDirectory(self)
    }

    func mode(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, path)
    }

    func sampleStore(subjects: Int = 2, events: Int = 5) throws -> String {
        let path = dir + "/store-\(subjects)-\(events).sqlite"
        let run = try seqport(["sample", "--config", config, "--subjects", "\(subjects)", "--events", "\(events)", "--out", path], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        return path
    }

    /// Runs with a permissive umask (022), as many servers have: seqport must still write 0600.
    func withUmask<T>(_ mask: mode_t, _ body: () throws -> T) rethrows -> T {
        let old = umask(mask)
        defer { umask(old) }
        return try body()
    }

    // MARK: Private by default

    func testBundlesReportsConvertedFilesAndPassphraseFilesArePrivateByDefault() throws {
        let store = try sampleStore()
        try withUmask(0o022) {
            let one = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/one"], in: dir)
            XCTAssertEqual(one.status, 0, one.stderr)
            XCTAssertEqual(try mode(one.stdout.trimmingCharacters(in: .newlines)), 0o600)

            let encrypted = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00002", "--out", dir + "/enc", "--encrypt"], in: dir)
            XCTAssertEqual(encrypted.status, 0, encrypted.stderr)
            let bundle = encrypted.stdout.trimmingCharacters(in: .newlines)
            XCTAssertEqual(try mode(bundle), 0o600)
            XCTAssertEqual(try mode(bundle + ".passphrase"), 0o600)

            let batch = try seqport(["export", "--config", config, "--store", store, "--all", "--out", dir + "/batch"], in: dir)
            XCTAssertEqual(batch.status, 0, batch.stderr)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/batch") {
                XCTAssertEqual(try mode(dir + "/batch/" + name), 0o600, name)
            }

            let csv = dir + "/in.csv"
            try "id,name\n1,x\n".write(toFile: csv, atomically: true, encoding: .utf8)
            let converted = try seqport(["convert", csv, "--to", "json", "--out", dir + "/out.json"], in: dir)
            XCTAssertEqual(converted.status, 0, converted.stderr)
            XCTAssertEqual(try mode(dir + "/out.json"), 0o600)
        }
    }

    func testModeWidensExplicitlyAndRefusesExecuteBits() throws {
        let store = try sampleStore()
        try withUmask(0o077) {
            let run = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/shared", "--mode", "0640"], in: dir)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(try mode(run.stdout.trimmingCharacters(in: .newlines)), 0o640)
        }
        for bad in ["0755", "rw", "9", "01777"] {
            let run = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/x", "--mode", bad], in: dir)
            XCTAssertEqual(run.status, 2, "\(bad): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("seqport: usage: "), run.stderr)
        }
    }

    // MARK: Safe output paths

    func testConvertOutThroughASymlinkKeepsTheLink() throws {
        let csv = dir + "/in.csv"
        try "id,name\n1,x\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let target = dir + "/real.json"
        FileManager.default.createFile(atPath: target, contents: Data("previous content, longer than the new one".utf8))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.json", withDestinationPath: target)
        let run = try seqport(["convert", csv, "--to", "json", "--out", dir + "/link.json"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.json"), target, "the link was replaced")
        let written = try String(contentsOfFile: target, encoding: .utf8)
        XCTAssertTrue(written.hasPrefix("["), written)
        XCTAssertFalse(written.contains("previous content"), written)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".partial-") }, [])
    }

    func testConvertOutToDevStdoutWritesToStandardOutput() throws {
        let csv = dir + "/in.csv"
        try "id,name\n1,x\n".write(toFile: csv, atomically: true, encoding: .utf8)
        // /dev/stdout is a link to /proc/self/fd/1: seqport writes through it and never renames over it.
        let run = try seqport(["convert", csv, "--to", "json", "--out", "/dev/stdout"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("["), run.stdout)
        var info = stat()
        XCTAssertEqual(lstat("/dev/stdout", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK, "/dev/stdout is no longer a link")
    }

    func testConvertOutToAFIFOWritesIntoIt() throws {
        let csv = dir + "/in.csv"
        try "id,name\n1,x\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let fifo = dir + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // nonisolated(unsafe): written only by the reader thread, read here after `done` is signalled.
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        Thread {
            received = readFIFO(fifo)
            done.signal()
        }.start()
        let run = try seqport(["convert", csv, "--to", "csv", "--out", fifo], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success)
        XCTAssertTrue(String(decoding: received, as: UTF8.self).hasSuffix("id,name\r\n1,x\r\n"), String(decoding: received, as: UTF8.self))
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO was replaced")
    }

    // MARK: No leftovers

    /// A writer that dies mid-transaction (a full disk during `import --apply`, a kill) leaves a hot
    /// rollback journal; every command, read-only ones included, must still open the store.
    func testAHotJournalLeftByADeadWriterIsRolledBackOnTheNextOpen() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("python3 is needed to leave a hot journal")
        }
        let store = try sampleStore(subjects: 2, events: 2_000)
        let before = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/before",
                                  "--generated-at", "2026-01-01T00:00:00Z"], in: dir)
        XCTAssertEqual(before.status, 0, before.stderr)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: python)
        writer.arguments = ["-c", """
        import os, sqlite3, sys
        c = sqlite3.connect(sys.argv[1], isolation_level=None)
        c.execute("PRAGMA cache_size=1")   # spill changed pages to the file before the commit
        c.execute("BEGIN IMMEDIATE")
        for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchall():
            c.execute('DELETE FROM "%s"' % t)
        os._exit(0)                        # die without commit or rollback
        """, store]
        try writer.run()
        writer.waitUntilExit()
        let journal = (try? FileManager.default.attributesOfItem(atPath: store + "-journal"))?[.size] as? Int ?? 0
        guard journal > 0 else { throw XCTSkip("python's sqlite3 left no journal") }
        let after = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/after",
                                 "--generated-at", "2026-01-01T00:00:00Z"], in: dir)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: dir + "/after/seqport-s-00001-access.zip"),
                       FileManager.default.contents(atPath: dir + "/before/seqport-s-00001-access.zip"), "the half-done writes were not rolled back")
    }

    func testAnEncryptedExportFailingOnAFullDiskLeavesNoPassphraseFile() throws {
        let store = try sampleStore(subjects: 2, events: 400)
        let executable = try seqportExecutable()
        for (name, arguments) in [("one", ["--subject", "s-00001"]), ("batch", ["--all", "--jobs", "1", "--report", dir + "/report-batch.jsonl"])] {
            let out = dir + "/full-" + name
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            // A full disk without root: RLIMIT_FSIZE (16 blocks of 512 bytes) makes every write that would grow a
            // file past 8 KiB fail with EFBIG (SIGXFSZ ignored, so the write returns the error), deterministically.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f 16 && trap '' XFSZ && exec \"$0\" \"$@\"", executable, "export", "--config", config,
                                 "--store", store, "--out", out, "--encrypt"] + arguments
            let stderrPath = dir + "/stderr-" + name
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let stderr = String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
            XCTAssertEqual(process.terminationReason, .exit, "\(name): not killed by SIGXFSZ: \(stderr)")
            XCTAssertEqual(process.terminationStatus, name == "one" ? 8 : 9, "\(name): \(stderr)")
            XCTAssertTrue(stderr.contains("io.failed") || name == "batch", "\(name): \(stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: out)
            XCTAssertEqual(left.filter { $0.hasSuffix(".passphrase") }, [], "\(name): no passphrase file for a bundle that was not written")
            XCTAssertEqual(left.filter { $0.contains(".partial-") || $0.contains("spool") || $0.hasSuffix(".zip") }, [], "\(name): \(left)")
        }
        let failures = String(decoding: FileManager.default.contents(atPath: dir + "/report-batch.jsonl") ?? Data(), as: UTF8.self)
        XCTAssertEqual(failures.split(separator: "\n").count, 2, "both subjects of the batch failed: \(failures)")
        XCTAssertTrue(failures.contains("io.failed"), failures)
    }

    // A signal during an export removes its partial file: Tests/SeqPortCrashTests.
}

/// Reads a FIFO to its end with plain POSIX calls (Foundation's `Data(contentsOf:)` does not read FIFOs).
func readFIFO(_ path: String) -> Data {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return Data() }
    defer { close(fd) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        data.append(contentsOf: buffer[0..<n])
    }
    return data
}
