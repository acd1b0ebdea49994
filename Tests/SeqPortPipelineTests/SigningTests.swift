import Foundation
@testable import SeqPortBundle
import SeqPortModel
import SeqPortStore
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline

final class SigningTests: XCTestCase {
    func signedBundle() throws -> (bundle: String, key: Minisign.SecretKey, dir: String, store: any Store) {
        let (store, config, dir) = try sampleStore(self, subjects: 2, events: 5)
        let key = Minisign.SecretKey.generate()
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.signingKey = key
        let result = try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options)
        return (result.path, key, dir, store)
    }

    func testASignedBundleVerifiesWithItsKeyAndTheSignatureCoversTheManifest() throws {
        let (bundle, key, _, _) = try signedBundle()
        let report = try Verifier(trustedKey: key.publicKey).verify(path: bundle)
        XCTAssertTrue(report.sound, "\(report.problems)")
        XCTAssertTrue(report.signed)
        XCTAssertTrue(report.signatureChecked)
        XCTAssertEqual(try entries(of: bundle).last?.name, "manifest.json.minisig")
    }

    func testAnotherKeyOrAChangedManifestIsRefusedWithTheReason() throws {
        let (bundle, key, dir, store) = try signedBundle()
        let other = Minisign.SecretKey.generate()
        XCTAssertEqual(try Verifier(trustedKey: other.publicKey).verify(path: bundle).problems.map(\.code), ["signature.wrong-key"])

        let manifest = String(decoding: try entries(of: bundle).first { $0.name == "manifest.json" }!.bytes, as: UTF8.self)
        try rewriteBundle(bundle, to: dir + "/changed.zip", replacing: ["manifest.json": manifest.replacingOccurrences(of: "\"retentionDays\" : 30", with: "\"retentionDays\" : 3000").bytes])
        XCTAssertEqual(try Verifier(trustedKey: key.publicKey).verify(path: dir + "/changed.zip").problems.map(\.code), ["signature.invalid"])
        var options = ImportOptions()
        options.trustedKey = key.publicKey
        XCTAssertThrowsError(try Importer(store: store).run(bundle: dir + "/changed.zip", options: options)) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .signatureInvalid)
        }
        XCTAssertNoThrow(try Importer(store: store).run(bundle: bundle, options: options))
    }

    func testAnUnsignedBundleIsRefusedWhenAKeyIsTrusted() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 5)
        let bundle = try export(store, config, to: dir + "/out").path
        let key = Minisign.SecretKey.generate()
        XCTAssertEqual(try Verifier(trustedKey: key.publicKey).verify(path: bundle).problems.map(\.code), ["signature.missing"])
        XCTAssertFalse(try Verifier().verify(path: bundle).signed)
    }

    func testKeyFilesReadBackAndTheSecretKeyIsNotThePublicOne() throws {
        let key = Minisign.SecretKey.generate()
        let again = try Minisign.SecretKey(file: key.file)
        XCTAssertEqual(again.key.rawRepresentation, key.key.rawRepresentation)
        let pub = try Minisign.PublicKey(file: key.publicKey.file)
        XCTAssertEqual(pub.keyID, key.keyID)
        XCTAssertTrue(key.publicKey.file.hasPrefix("untrusted comment: minisign public key \(pub.keyIDText)\n"))
        XCTAssertThrowsError(try Minisign.PublicKey(file: "untrusted comment: x\nAAAA\n"))
    }

    func testAPublicKeyIsNotASecretKeyAndTheOtherWayRound() throws {
        let key = Minisign.SecretKey.generate()
        for (attempt, expected) in [
            ({ _ = try Minisign.SecretKey(file: key.publicKey.file) }, "this is a public key"),
            ({ _ = try Minisign.PublicKey(file: key.file) }, "this is a secret key"),
            ({ _ = try Minisign.SecretKey(file: "untrusted comment: minisign encrypted secret key\nRWRTY0Iy\n") }, "a minisign secret key"),
            ({ _ = try Minisign.SecretKey(file: key.file.split(separator: "\n")[1] + "\n") }, "not a seqport secret key file"),
        ] as [(() throws -> Void, String)] {
            XCTAssertThrowsError(try attempt()) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, .signatureKey)
                XCTAssertTrue((error as? SeqPortError)?.message.hasPrefix(expected) ?? false, "\(error)")
            }
        }
    }

    /// Debian's minisign checks seqport's signature (CI installs it; skipped with the reason elsewhere).
    func testMinisignVerifiesTheManifestSignature() throws {
        let (bundle, key, dir, _) = try signedBundle()
        for e in try entries(of: bundle) where e.name.hasPrefix("manifest.json") {
            FileManager.default.createFile(atPath: dir + "/" + e.name, contents: Data(e.bytes))
        }
        FileManager.default.createFile(atPath: dir + "/key.pub", contents: Data(key.publicKey.file.utf8))
        guard let r = try runTool("minisign", ["-Vm", dir + "/manifest.json", "-p", dir + "/key.pub"]) else {
            throw TestTools.missing("minisign (Debian package minisign) is not installed")
        }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("Signature and comment signature verified"), r.output)
        FileManager.default.createFile(atPath: dir + "/manifest.json", contents: Data("tampered".utf8))
        XCTAssertNotEqual(try runTool("minisign", ["-Vm", dir + "/manifest.json", "-p", dir + "/key.pub"])?.status, 0)
    }
}
