import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class VerifierTests: XCTestCase {
    func testAnEditedEntryIsReportedAsAChecksumMismatchNamingTheEntry() throws {
        let (store, config, dir) = try sampleStore(self)
        let original = try export(store, config, to: dir + "/out").path
        let csv = String(decoding: try entries(of: original).first { $0.name == "csv/professional.csv" }!.bytes, as: UTF8.self)
        let edited = csv.replacingOccurrences(of: "Biotech", with: "Biotech!").replacingOccurrences(of: "Healthcare", with: "Healthcare!")
            .replacingOccurrences(of: "Academia", with: "Academia!").replacingOccurrences(of: "Agriculture", with: "Agriculture!")
        try rewriteBundle(original, to: dir + "/edited.zip", replacing: ["csv/professional.csv": edited.bytes])
        let report = try Verifier().verify(path: dir + "/edited.zip")
        XCTAssertFalse(report.sound)
        XCTAssertTrue(report.problems.contains { $0.code == "bundle.checksum" && $0.message.hasPrefix("csv/professional.csv") }, "\(report.problems)")
        XCTAssertTrue(report.problems.contains { $0.code == "bundle.copies-disagree" }, "\(report.problems)")
    }

    func testCopiesThatDisagreeAreFoundEvenWithConsistentChecksums() throws {
        let (store, config, dir) = try sampleStore(self)
        let original = try export(store, config, to: dir + "/out").path
        let json = String(decoding: try entries(of: original).first { $0.name == "json/feedback.json" }!.bytes, as: UTF8.self)
        let edited = json.replacingOccurrences(of: "\"rating\":4", with: "\"rating\":5")
        XCTAssertNotEqual(edited, json)
        try rewriteBundle(original, to: dir + "/edited.zip", replacing: ["json/feedback.json": edited.bytes], updateManifest: true)
        let report = try Verifier().verify(path: dir + "/edited.zip")
        XCTAssertEqual(report.problems.map(\.code), ["bundle.copies-disagree"])
        XCTAssertTrue(report.problems[0].message.contains("field \"rating\""), report.problems[0].message)
        XCTAssertFalse(report.problems[0].message.contains("5"), "no value in the message")
    }

    func testAMissingEntryAndAnUnlistedEntryAreBothReported() throws {
        let (store, config, dir) = try sampleStore(self)
        let original = try export(store, config, to: dir + "/out").path
        var all = try entries(of: original).filter { $0.name != "index.html" }
        all.insert(("extra.txt", "hello".bytes), at: 0)
        let file = try AtomicFile(finalPath: dir + "/changed.zip")
        let zip = ZipWriter(sink: file.sink)
        for e in all { try zip.addEntry(e.name, bytes: e.bytes) }
        try zip.finish()
        try file.commit()
        let codes = try Verifier().verify(path: dir + "/changed.zip").problems.map(\.code)
        XCTAssertEqual(Set(codes), ["bundle.missing-entry", "bundle.unlisted-entry"])
    }

    func testAFileThatIsNotAZipIsRefusedAsAnArchive() throws {
        let dir = try temporaryDirectory(self)
        FileManager.default.createFile(atPath: dir + "/x.zip", contents: Data("not a zip".utf8))
        XCTAssertThrowsError(try Verifier().verify(path: dir + "/x.zip")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code.exitClass, .archive)
        }
    }
}
