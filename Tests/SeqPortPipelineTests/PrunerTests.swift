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
        XCTAssertEqual(Pruner.duration("30min"), 1_800)
        XCTAssertEqual(Pruner.duration("45s"), 45)
        XCTAssertEqual(Pruner.duration("2w"), 1_209_600)
        XCTAssertNil(Pruner.duration("1m"), "m is ambiguous: minutes or months")
        XCTAssertNil(Pruner.duration("1w2d"))
        XCTAssertNil(Pruner.duration("1.5h"))
        XCTAssertNil(Pruner.duration("min"))
        XCTAssertNil(Pruner.duration("99999999999w"), "past the year 9999")
    }

    func testTemporaryFilesOlderThanTheGraceAreRemovedAndNothingElse() throws {
        let dir = NSTemporaryDirectory() + "seqport-prune-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = [".seqport-s-00001-access.zip.partial-123-abc", ".seqport-spool-Xy12ab"]
        let young = ".seqport-s-00002-access.zip.partial-124-def"
        let foreign = [".other.zip.partial-1-2", ".seqport-notes", "seqport-x.zip.partial-1-2"]
        for name in old + [young] + foreign { FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("x".utf8)) }
        let twoHoursAgo = Date().addingTimeInterval(-7_200)
        for name in old + foreign {
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: dir + "/" + name)
        }
        let dry = try Pruner(dryRun: true).prune(directory: dir)
        XCTAssertEqual(Set(dry.map(\.path)), Set(old.map { dir + "/" + $0 }))
        XCTAssertEqual(Set(dry.map(\.action)), ["would-delete-partial"])
        let items = try Pruner().prune(directory: dir)
        XCTAssertEqual(Set(items.map(\.action)), ["deleted-partial"])
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), Set([young] + foreign))
        let shorter = try Pruner(now: Date().addingTimeInterval(60), partialsOlderThan: 30).prune(directory: dir)
        XCTAssertEqual(shorter.map(\.path), [dir + "/" + young])
    }

    func testAGenerationTimeWhoseExpiryIsPastTheYear9999IsRefused() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 1, events: 1)
        var options = ExportOptions()
        options.generatedAt = Date(timeIntervalSince1970: TimeInterval(Exporter.lastTimestamp - 86_400))
        XCTAssertThrowsError(try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options)) {
            XCTAssertEqual(($0 as? SeqPortError)?.code, .usage)
        }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: dir + "/out")) ?? [], [])
    }
}
