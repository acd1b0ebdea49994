import Foundation
import SeqPortTestSupport
import XCTest

/// Every failure of every command is one stderr line `seqport: <code>: …` and a documented exit status
/// (`Specs/errors.md`): a full standard output, an output folder that cannot be made, bad use caught
/// by ArgumentParser, an unknown subject. And the sources hold no trap on an input or I/O path.
final class CLIExitTests: XCTestCase {
    var dir = ""
    let config = packageRoot + "/Samples/seqport.json"

    override func setUpWithError() throws {
        dir = try temporaryDirectory(self)
    }

    /// Asserts one stderr line with the code, the status, and no crash or Foundation dump.
    func assertOneLine(_ run: (status: Int32, stdout: String, stderr: String), status: Int32, code: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        XCTAssertEqual(lines.count, 1, "one stderr line expected: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.hasPrefix("seqport: \(code): "), run.stderr, file: file, line: line)
        for marker in ["Fatal error", "Error Domain=", "NSCocoaErrorDomain", "Stack dump", "backtrace", "Usage:"] {
            XCTAssertFalse(run.stderr.contains(marker), "\(marker) in: \(run.stderr)", file: file, line: line)
        }
    }

    func sampleStore() throws -> String {
        let path = dir + "/store.sqlite"
        let run = try seqport(["sample", "--config", config, "--subjects", "2", "--events", "5", "--out", path], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        return path
    }

    func bundle(_ store: String) throws -> String {
        let run = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/b",
                               "--generated-at", "2026-01-01T00:00:00Z"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout.trimmingCharacters(in: .newlines)
    }

    // MARK: --format names a copy or the workbook

    /// `import --format` reads the copy it names for every category — a per-category copy or the
    /// workbook, both found through the format registry — and refuses a format no bundle holds.
    func testImportFormatReadsTheNamedCopyOrTheWorkbook() throws {
        let store = try sampleStore()
        let zip = try bundle(store)
        for (format, entry) in [("xlsx", "xlsx/data.xlsx (contact)"), ("csv", "csv/contact.csv"), ("xml", "xml/contact.xml")] {
            let run = try seqport(["import", zip, "--config", config, "--store", store, "--format", format, "--json"], in: dir)
            XCTAssertEqual(run.status, 0, run.stderr)
            let plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let sources = try XCTUnwrap(plan["sources"] as? [[String: Any]])
            let contact = try XCTUnwrap(sources.first { $0["category"] as? String == "contact" })
            XCTAssertEqual(contact["entries"] as? [String], [entry], format)
            XCTAssertEqual(contact["reason"] as? String, "format", format)
            XCTAssertTrue(sources.allSatisfy { $0["reason"] as? String == "format" }, "\(format): \(sources)")
            XCTAssertEqual((plan["changes"] as? [Any])?.count, 0, "an unchanged bundle plans nothing: \(format)")
        }
        for format in ["vcf", "jsonl", "nonsense"] {
            let run = try seqport(["import", zip, "--config", config, "--store", store, "--format", format], in: dir)
            assertOneLine(run, status: 2, code: "usage")
            XCTAssertTrue(run.stderr.contains("json, csv, xml or xlsx"), run.stderr)
        }
    }

    // MARK: Standard output on a full device

    func testEveryCommandReportsAFullStandardOutputAsIOFailed() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let store = try sampleStore()
        let zip = try bundle(store)
        let csv = dir + "/contact.csv"
        try "id,name\n1,\"a, b\"\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let commands: [[String]] = [
            ["convert", csv, "--to", "json"],
            ["convert", csv, "--to", "xml"],
            ["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/full1"],
            ["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/full2", "--json"],
            ["export", "--config", config, "--store", store, "--all", "--out", dir + "/full3", "--quiet"],
            ["verify", zip],
            ["verify", zip, "--json"],
            ["import", zip, "--config", config, "--store", store],
            ["import", zip, "--config", config, "--store", store, "--json"],
            ["import", zip, "--config", config, "--store", store, "--apply"],
            ["prune", dir + "/b", "--dry-run"],
            ["schema", "--config", config],
            ["keygen", "--out", dir + "/k"],
            ["sample", "--config", config, "--subjects", "1", "--events", "1", "--out", dir + "/s2.sqlite"],
        ]
        for arguments in commands {
            let run = try seqport(arguments, in: dir, standardOutput: "/dev/full")
            assertOneLine(run, status: 8, code: "io.failed")
            XCTAssertTrue(run.stderr.contains("standard output"), "\(arguments): \(run.stderr)")
        }
    }

    // MARK: Foundation errors

    func testAnOutputFolderUnderARegularFileIsIOFailedNamingIt() throws {
        let store = try sampleStore()
        let blocker = dir + "/file"
        FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        for arguments in [
            ["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", blocker + "/bundles"],
            ["export", "--config", config, "--store", store, "--all", "--out", blocker + "/bundles"],
            ["schema", "--config", config, "--out", blocker + "/generated"],
        ] {
            let run = try seqport(arguments, in: dir)
            assertOneLine(run, status: 8, code: "io.failed")
            XCTAssertTrue(run.stderr.contains(blocker), run.stderr)
        }
    }

    // MARK: Usage

    func testUsageErrorsExitTwoAsOneLineWhoeverFindsThem() throws {
        let store = try sampleStore()
        for arguments in [
            ["export", "--lang", "de"],
            ["export", "--jobs", "0"],
            ["export", "--level", "12"],
            ["export", "--frobnicate"],
            ["export", "--store", store, "--all", "--shard", "9/8"],
            ["export", "--store", store, "--subject", "s-00001", "--generated-at", "yesterday"],
            ["convert"],
            ["verify"],
            ["prune", dir, "--older-than", "soon"],
            ["prune", dir, "--older-than", "1m"],
            ["prune", dir, "--partials-older-than", "1.5h"],
            ["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/far", "--generated-at", "9999-12-15T00:00:00Z"],
            ["nonsense"],
        ] {
            let run = try seqport(arguments, in: dir)
            assertOneLine(run, status: 2, code: "usage")
        }
    }

    func testHelpAndVersionStillExitZero() throws {
        for arguments in [["--help"], ["export", "--help"], ["help", "import"], ["--version"]] {
            let run = try seqport(arguments, in: dir)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stdout.isEmpty, "\(arguments)")
        }
    }

    // MARK: Unknown subject

    func testAnUnknownSubjectHasItsOwnCodeAndExitStatus() throws {
        let store = try sampleStore()
        let run = try seqport(["export", "--config", config, "--store", store, "--subject", "s-99999", "--out", dir + "/b"], in: dir)
        assertOneLine(run, status: 10, code: "store.unknown-subject")
        XCTAssertFalse(run.stderr.contains("s-99999"), "the subject id is echoed: \(run.stderr)")
    }

    // MARK: Keys

    func testAFrozenPostgreSQLServerEndsABatchWithStoreConnection() throws {
        // A server that accepts connections and never answers (all its processes stopped).
        let listener = try SilentListener()
        let url = "postgres://seqport@127.0.0.1:\(listener.port)/postgres?sslmode=disable&connect_timeout=2"
        for arguments in [["export", "--all"], ["export", "--subject", "s-00001"]] {
            let run = try seqport(arguments + ["--config", config, "--store", url, "--out", dir + "/frozen"], in: dir,
                                  environment: ["PGPASSWORD": "never-printed-4711"])
            assertOneLine(run, status: 7, code: "store.connection")
            XCTAssertTrue(run.stderr.contains("postgres://seqport@127.0.0.1:\(listener.port)/postgres: timed out (connect_timeout)"), run.stderr)
            XCTAssertFalse(run.stderr.contains("4711"), run.stderr)
        }
    }

    func testKeysMixedUpOrMissingAreSignatureKeyErrors() throws {
        let store = try sampleStore()
        let zip = try bundle(store)
        let keygen = try seqport(["keygen", "--out", dir + "/k"], in: dir)
        XCTAssertEqual(keygen.status, 0, keygen.stderr)
        let signWithPublic = try seqport(["export", "--config", config, "--store", store, "--subject", "s-00001", "--out", dir + "/signed",
                                          "--sign", dir + "/k.pub"], in: dir)
        assertOneLine(signWithPublic, status: 2, code: "signature.key")
        XCTAssertTrue(signWithPublic.stderr.contains("this is a public key"), signWithPublic.stderr)
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: dir + "/signed")) ?? [], [], "nothing exported")
        let verifyWithSecret = try seqport(["verify", zip, "--key", dir + "/k.key"], in: dir)
        assertOneLine(verifyWithSecret, status: 2, code: "signature.key")
        XCTAssertTrue(verifyWithSecret.stderr.contains("this is a secret key"), verifyWithSecret.stderr)
        let missing = try seqport(["verify", zip, "--key", dir + "/nope.pub"], in: dir)
        assertOneLine(missing, status: 2, code: "signature.key")
        XCTAssertTrue(missing.stderr.contains("no such file"), missing.stderr)
    }

    // MARK: No traps in the sources

    /// `try!`, `fatalError`, and the Foundation writes that trap on a full disk (`FileHandle.write(_:)`)
    /// or lose the error (`print` in the CLI) are not in `Sources/`, except where listed with a reason.
    func testTheSourcesHoldNoTrapOnAnInputOrIOPath() throws {
        let allowed: [String: String] = [
            // The benchmark is a developer tool run by hand, not an input or I/O path of seqport.
            "seqport-bench/Report.swift: try!": "encodes a dictionary of numbers and strings it built",
            "seqport-bench/main.swift: FileHandle.standardError.write": "the benchmark's own progress notes",
        ]
        let patterns: [(String, (String) -> Bool)] = [
            ("try!", { _ in true }),
            ("fatalError(", { _ in true }),
            ("FileHandle.standardOutput.write", { _ in true }),
            ("FileHandle.standardError.write", { _ in true }),
            ("print(", { $0.hasPrefix("seqport/") }),
        ]
        let sources = packageRoot + "/Sources"
        var found: [String] = []
        let files = FileManager.default.enumerator(atPath: sources)!
        for case let relative as String in files where relative.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources + "/" + relative, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for (pattern, applies) in patterns where applies(relative) && code.contains(pattern) {
                    if code.contains("printJSON(") && pattern == "print(" { continue }
                    if allowed["\(relative): \(pattern)"] == nil { found.append("\(relative):\(number + 1): \(pattern)") }
                }
            }
        }
        XCTAssertEqual(found, [], "traps or unchecked writes on I/O paths")
    }
}
