import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortStore
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline

/// Encrypted batches (`Specs/batch.md`, "Encrypted batches"): one passphrase per subject, generated
/// into `<bundle>.passphrase` or taken from a list, resumable without touching a done bundle's passphrase.
final class BatchPassphrasesTests: XCTestCase {
    func makeBatch(subjects: Int = 4) throws -> (BatchExporter, String) {
        let (store, config, dir) = try sampleStore(self, subjects: subjects, events: 5)
        return (BatchExporter(storeLocation: store.path, configuration: config), dir + "/out")
    }

    func options(_ passphrases: BatchPassphrases?) -> BatchOptions {
        var options = BatchOptions()
        options.jobs = 2
        options.export.generatedAt = fixedTime
        options.passphrases = passphrases
        return options
    }

    func bundlePath(_ out: String, _ n: Int) -> String { out + "/seqport-\(SampleData.subjectID(n))-access.zip" }

    func passphraseFile(_ out: String, _ n: Int) -> String { BatchPassphrases.file(bundle: bundlePath(out, n)) }

    func read(_ path: String) throws -> String {
        String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: path), path), as: UTF8.self)
    }

    func inode(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
    }

    func sevenZip() throws -> String {
        guard let tool = try ["7zz", "7z"].first(where: { try runTool("which", [$0])?.status == 0 }) else {
            throw TestTools.missing("7-Zip is not installed (Debian package 7zip, binary 7zz)")
        }
        return tool
    }

    func testAGeneratedBatchGivesEachBundleItsOwnPassphraseFileThatSevenZipOpens() throws {
        let tool = try sevenZip()
        let (batch, out) = try makeBatch()
        let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.generated))
        XCTAssertEqual([summary.exported, summary.failed], [4, 0])
        var passphrases: [String] = []
        for n in 1...4 {
            let file = passphraseFile(out, n)
            let text = try read(file)
            XCTAssertTrue(text.hasSuffix("\n"))
            let passphrase = String(text.dropLast())
            XCTAssertEqual(passphrase.count, ExportOptions.generatePassphrase().count)
            passphrases.append(passphrase)
            let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            XCTAssertEqual(mode & 0o077, 0, "the passphrase file is private")
            let report = try Verifier(passphrase: passphrase).verify(path: bundlePath(out, n))
            XCTAssertTrue(report.sound, "\(report.problems)")
            let opened = try XCTUnwrap(try runTool(tool, ["t", "-p" + passphrase, bundlePath(out, n)]))
            XCTAssertEqual(opened.status, 0, opened.output)
            XCTAssertTrue(opened.output.contains("Everything is Ok"), opened.output)
        }
        XCTAssertEqual(Set(passphrases).count, 4, "one passphrase per subject")
        let other = try XCTUnwrap(try runTool(tool, ["t", "-p" + passphrases[1], bundlePath(out, 1)]))
        XCTAssertNotEqual(other.status, 0, "another subject's passphrase does not open the bundle: \(other.output)")
        XCTAssertThrowsError(try Verifier().verify(path: bundlePath(out, 1)), "encrypted: unreadable without the passphrase")
    }

    func testAResumedEncryptedBatchKeepsTheDoneBundlesPassphrases() throws {
        let (batch, out) = try makeBatch()
        _ = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.generated))
        let before = try (1...4).map { (try read(passphraseFile(out, $0)), try inode(passphraseFile(out, $0)), try inode(bundlePath(out, $0))) }
        // Subject 2's bundle is lost, subject 3's is cut short: both are exported again, each with a new passphrase.
        try FileManager.default.removeItem(atPath: bundlePath(out, 2))
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: bundlePath(out, 3)))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: bundlePath(out, 3)))

        let again = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.generated))
        XCTAssertEqual([again.skipped, again.exported, again.replaced, again.failed], [2, 2, 1, 0])
        for n in [1, 4] {
            let now = (try read(passphraseFile(out, n)), try inode(passphraseFile(out, n)), try inode(bundlePath(out, n)))
            XCTAssertTrue(now == before[n - 1], "subject \(n): a done bundle and its passphrase file are left as they are")
        }
        for n in [2, 3] {
            let passphrase = try read(passphraseFile(out, n)).trimmingCharacters(in: .newlines)
            XCTAssertNotEqual(passphrase + "\n", before[n - 1].0, "subject \(n): a new bundle, a new passphrase")
            XCTAssertTrue(try Verifier(passphrase: passphrase).verify(path: bundlePath(out, n)).sound, "subject \(n)")
        }

        // A passphrase file that does not open its bundle (or is gone) means the bundle cannot be checked: exported again.
        try "not-the-passphrase\n".write(toFile: passphraseFile(out, 4), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: passphraseFile(out, 1))
        let third = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.generated))
        XCTAssertEqual([third.skipped, third.exported], [2, 2])
        for n in 1...4 {
            let passphrase = try read(passphraseFile(out, n)).trimmingCharacters(in: .newlines)
            XCTAssertTrue(try Verifier(passphrase: passphrase).verify(path: bundlePath(out, n)).sound, "subject \(n)")
        }
    }

    func testAGivenListEncryptsEachSubjectWithItsOwnAndReportsASubjectItLacks() throws {
        let tool = try sevenZip()
        let (batch, out) = try makeBatch()
        let given = [SampleData.subjectID(1): "first secret phrase", SampleData.subjectID(2): "zweites\tGeheimnis", SampleData.subjectID(3): "tredje"]
        let summary = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.given(given)))
        XCTAssertEqual([summary.exported, summary.failed], [3, 1])
        let failures = try BatchReport.read(path: summary.report)
        XCTAssertEqual(failures.map(\.subject), [SampleData.subjectID(4)])
        XCTAssertEqual(failures.first?.code, "batch.no-passphrase")
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundlePath(out, 4)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".passphrase") }, [],
                       "given passphrases are never written out")
        for n in 1...3 {
            let passphrase = try XCTUnwrap(given[SampleData.subjectID(n)])
            XCTAssertTrue(try Verifier(passphrase: passphrase).verify(path: bundlePath(out, n)).sound)
            let opened = try XCTUnwrap(try runTool(tool, ["t", "-p" + passphrase, bundlePath(out, n)]))
            XCTAssertEqual(opened.status, 0, opened.output)
        }
        let again = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.given(given)))
        XCTAssertEqual([again.skipped, again.exported, again.failed], [3, 0, 1])
    }

    func testAnEncryptedBatchDoesNotSkipPlainBundlesNorAPlainOneEncryptedOnes() throws {
        let (batch, out) = try makeBatch(subjects: 2)
        _ = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(nil))
        let encrypted = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(.generated))
        XCTAssertEqual([encrypted.skipped, encrypted.exported, encrypted.replaced], [0, 2, 2])
        let plain = try batch.run(subjects: try batch.allSubjects(), to: out, options: options(nil))
        XCTAssertEqual([plain.skipped, plain.exported], [0, 2])
        XCTAssertTrue(try Verifier().verify(path: bundlePath(out, 1)).sound)
    }

    func testAPassphraseListIsReadLineByLineAndItsErrorsNameTheLineNotThePassphrase() throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/list.tsv"
        try Data([0xEF, 0xBB, 0xBF] + Array("# subject\tpassphrase\r\n s-00001 \tone two\r\n\ns-00002\t\ttabbed \r\n".utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try BatchPassphrases.read(path: path), ["s-00001": "one two", "s-00002": "\ttabbed "])
        for (text, line) in [("s-00001\tsecret-4711\ns-00001\tsecret-4711\n", 2), ("s-00001 secret-4711\n", 1),
                             ("s-00001\t\n", 1), ("\tsecret-4711\n", 1)] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try BatchPassphrases.read(path: path), text) { error in
                let e = error as? SeqPortError
                XCTAssertEqual(e?.code, .usage, "\(error)")
                XCTAssertTrue(e?.message.contains("line \(line)") ?? false, "\(error)")
                XCTAssertFalse(e?.message.contains("4711") ?? true, "\(error)")
            }
        }
        XCTAssertThrowsError(try BatchPassphrases.read(path: dir + "/missing.tsv"))
    }
}
