import Foundation
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class PrunerTests: XCTestCase {
    func testOnlyExpiredSeqportBundlesAreDeletedAndNothingElseIsTouched() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 2, events: 3)
        let out = dir + "/out"
        let old = try export(store, config, subject: "s-00001", to: out).path          // generated 2026-01-01, retention 30 days
        var options = ExportOptions()
        options.generatedAt = fixedTime.addingTimeInterval(40 * 86_400)
        let fresh = try Exporter(store: store, configuration: config).export(subject: "s-00002", to: out, options: options).path
        FileManager.default.createFile(atPath: out + "/seqport-fake.zip", contents: Data("not a zip".utf8))
        FileManager.default.createFile(atPath: out + "/notes.txt", contents: Data("keep me".utf8))
        let now = fixedTime.addingTimeInterval(45 * 86_400)

        let dry = try Pruner(dryRun: true, now: now).prune(directory: out)
        XCTAssertEqual(dry.first { $0.path == old }?.action, "would-delete")
        XCTAssertTrue(FileManager.default.fileExists(atPath: old))

        let items = try Pruner(now: now).prune(directory: out)
        XCTAssertEqual(items.first { $0.path == old }?.action, "deleted")
        XCTAssertEqual(items.first { $0.path == fresh }?.action, "kept")
        XCTAssertEqual(items.first { $0.path.hasSuffix("seqport-fake.zip") }?.action.hasPrefix("skipped"), true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: old))
        for kept in [fresh, out + "/seqport-fake.zip", out + "/notes.txt"] { XCTAssertTrue(FileManager.default.fileExists(atPath: kept), kept) }

        let byAge = try Pruner(olderThan: Pruner.duration("3d"), now: now).prune(directory: out)
        XCTAssertEqual(byAge.first { $0.path == fresh }?.action, "deleted")
    }

    func testAnExpiredEncryptedBundleGoesWithItsPassphraseFile() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 3)
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.passphrase = "correct horse battery staple"
        let bundle = try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options).path
        FileManager.default.createFile(atPath: bundle + ".passphrase", contents: Data("correct horse battery staple\n".utf8))
        let items = try Pruner(now: fixedTime.addingTimeInterval(31 * 86_400)).prune(directory: dir + "/out")
        XCTAssertEqual(items.map(\.action), ["deleted"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle))
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle + ".passphrase"))
    }

    func testDurationsParse() {
        XCTAssertEqual(Pruner.duration("3d"), 259_200)
        XCTAssertEqual(Pruner.duration("12h"), 43_200)
        XCTAssertNil(Pruner.duration("3 days"))
        XCTAssertNil(Pruner.duration("-1d"))
    }
}
