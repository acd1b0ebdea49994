import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline

/// Password-protected bundles (`Specs/encryption.md`): seqport reads back what it encrypts, refuses
/// a wrong or missing passphrase, leaks neither the passphrase nor the content, and other tools
/// (7-Zip, pyzipper) agree in both directions. A missing tool skips its check with the reason.
final class EncryptedBundleTests: XCTestCase {
    let passphrase = "k3xq-7vna-q2mf-zz4r-hb6e-p0ll-tw5d"

    func encryptedBundle() throws -> (bundle: String, dir: String, store: any Store, config: Configuration) {
        let (store, config, dir) = try sampleStore(self, subjects: 2, events: 30)
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.passphrase = passphrase
        let result = try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options)
        return (result.path, dir, store, config)
    }

    func pyzipper(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let probe = try runTool("python3", ["-c", "import pyzipper"]) else { throw TestTools.missing("python3 is not installed") }
        guard probe.status == 0 else { throw TestTools.missing("pyzipper is not installed (pip install pyzipper)") }
        return try XCTUnwrap(try runTool("python3", ["-c", script] + arguments))
    }

    func testAnEncryptedBundleVerifiesAndImportsWithThePassphrase() throws {
        let (bundle, _, store, _) = try encryptedBundle()
        let report = try Verifier(passphrase: passphrase).verify(path: bundle)
        XCTAssertTrue(report.sound, "\(report.problems)")
        XCTAssertGreaterThan(report.records.values.reduce(0, +), 0)
        var options = ImportOptions()
        options.passphrase = passphrase
        let plan = try Importer(store: store).run(bundle: bundle, options: options)
        XCTAssertTrue(plan.isApplicable, "\(plan.refusals)")
        XCTAssertTrue(plan.isEmpty, "an unchanged bundle changes nothing")
        let zip = try ZipReader(path: bundle, passphrase: passphrase)
        XCTAssertTrue(zip.entries.allSatisfy(\.isEncrypted), "the manifest and every other entry are encrypted")
        XCTAssertEqual(zip.entries.last?.name, "manifest.json")
    }

    func testAMissingOrWrongPassphraseIsRefusedNamingTheEntry() throws {
        let (bundle, _, store, _) = try encryptedBundle()
        XCTAssertThrowsError(try Verifier().verify(path: bundle)) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .zipEncrypted)
            XCTAssertTrue("\($0)".contains("no passphrase was given"), "\($0)")
        }
        XCTAssertThrowsError(try Verifier(passphrase: "wrong").verify(path: bundle)) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .zipWrongPassphrase)
            XCTAssertNotNil(($0 as? SeqPortError)?.location.entry)
        }
        var options = ImportOptions()
        XCTAssertThrowsError(try Importer(store: store).run(bundle: bundle, options: options)) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .zipEncrypted)
        }
        options.passphrase = "wrong"
        XCTAssertThrowsError(try Importer(store: store).run(bundle: bundle, options: options)) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .zipWrongPassphrase)
            XCTAssertEqual(($0 as? SeqPortError)?.exitStatus, 5)
        }
    }

    func testThePassphraseAndTheContentAppearNowhereInTheBundleBytes() throws {
        let (bundle, _, _, _) = try encryptedBundle()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        XCTAssertNil(bytes.range(of: Data(passphrase.utf8)))
        XCTAssertNil(bytes.range(of: Data("seqport-bundle".utf8)), "the manifest is encrypted")
        let zip = try ZipReader(path: bundle, passphrase: passphrase)
        for entry in zip.entries where entry.uncompressedSize >= 32 {
            let head = Data(try zip.readAll(entry, maxBytes: 1 << 30).prefix(32))
            XCTAssertNil(bytes.range(of: head), "\(entry.name)'s content is in the clear")
        }
        XCTAssertNotNil(bytes.range(of: Data("manifest.json".utf8)), "entry names stay visible (a ZIP limitation)")
    }

    func testEncryptedBundlesAreNotByteIdenticalButUnencryptedOnesStillAre() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 5)
        var options = ExportOptions()
        options.generatedAt = fixedTime
        let exporter = Exporter(store: store, configuration: config)
        let plain1 = try Data(contentsOf: URL(fileURLWithPath: try exporter.export(subject: "s-00001", to: dir + "/p1", options: options).path))
        let plain2 = try Data(contentsOf: URL(fileURLWithPath: try exporter.export(subject: "s-00001", to: dir + "/p2", options: options).path))
        XCTAssertEqual(plain1, plain2)
        options.passphrase = passphrase
        let enc1 = try Data(contentsOf: URL(fileURLWithPath: try exporter.export(subject: "s-00001", to: dir + "/e1", options: options).path))
        let enc2 = try Data(contentsOf: URL(fileURLWithPath: try exporter.export(subject: "s-00001", to: dir + "/e2", options: options).path))
        XCTAssertNotEqual(enc1, enc2, "random salts")
    }

    func testSevenZipTestsAnEncryptedBundle() throws {
        let (bundle, _, _, _) = try encryptedBundle()
        guard let tool = try ["7zz", "7z"].first(where: { try runTool("which", [$0])?.status == 0 }) else {
            throw TestTools.missing("7-Zip is not installed (Debian package 7zip, binary 7zz)")
        }
        let r = try XCTUnwrap(try runTool(tool, ["t", "-p" + passphrase, bundle]))
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("Everything is Ok"), r.output)
        let wrong = try XCTUnwrap(try runTool(tool, ["t", "-pwrong", bundle]))
        XCTAssertNotEqual(wrong.status, 0, wrong.output)
    }

    func testPyzipperReadsEveryEntryOfAnEncryptedBundle() throws {
        let (bundle, _, _, _) = try encryptedBundle()
        let script = """
        import sys, hashlib, pyzipper
        with pyzipper.AESZipFile(sys.argv[1]) as z:
            z.setpassword(sys.argv[2].encode())
            for info in z.infolist():
                print(info.filename, hashlib.sha256(z.read(info)).hexdigest())
        """
        let r = try pyzipper(script, [bundle, passphrase])
        XCTAssertEqual(r.status, 0, r.output)
        let zip = try ZipReader(path: bundle, passphrase: passphrase)
        let expected = try zip.entries.map { "\($0.name) \(sha256Hex(try zip.readAll($0, maxBytes: 1 << 30)))" }
        XCTAssertEqual(r.output.split(separator: "\n").map(String.init), expected)
    }

    func testABundlePyzipperEncryptsIsVerifiedAndImported() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 20)
        let plain = try export(store, config, to: dir + "/out").path
        let repacked = dir + "/pyzipper.zip"
        let script = """
        import sys, zipfile, pyzipper
        with zipfile.ZipFile(sys.argv[1]) as src, pyzipper.AESZipFile(sys.argv[2], "w", compression=pyzipper.ZIP_DEFLATED,
                                                                       encryption=pyzipper.WZ_AES) as dst:
            dst.setpassword(sys.argv[3].encode())
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info))
        """
        let r = try pyzipper(script, [plain, repacked, passphrase])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(try ZipReader(path: repacked, passphrase: passphrase).entries.allSatisfy(\.isEncrypted))
        let report = try Verifier(passphrase: passphrase).verify(path: repacked)
        XCTAssertTrue(report.sound, "\(report.problems)")
        var options = ImportOptions()
        options.passphrase = passphrase
        XCTAssertTrue(try Importer(store: store).run(bundle: repacked, options: options).isApplicable)
    }

    func testThePageOfAnEncryptedBundleSaysWhichToolsOpenIt() throws {
        let (bundle, dir, store, config) = try encryptedBundle()
        let zip = try ZipReader(path: bundle, passphrase: passphrase)
        let page = String(decoding: try zip.readAll(XCTUnwrap(zip.entry(named: "index.html")), maxBytes: 1 << 24), as: UTF8.self)
        XCTAssertTrue(page.contains("7-Zip") && page.contains("Keka") && page.contains("Windows Explorer"), "the page names the tools")
        let plain = try export(store, config, to: dir + "/plain").path
        let plainPage = String(decoding: try entries(of: plain).first { $0.name == "index.html" }!.bytes, as: UTF8.self)
        XCTAssertFalse(plainPage.contains("Keka"))
    }
}

