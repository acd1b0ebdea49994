import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline

/// One exporter writes many bundles (a batch job); what it makes once and copies — the page's sections
/// that name no subject, the Art. 15 facts, the schema cut to the scope, the schema documents — must give
/// exactly the bytes a fresh exporter gives, for every scope and language in any order.
final class ExporterReuseTests: XCTestCase {
    func testAReusedExporterWritesTheBytesAFreshOneWrites() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 3, events: 7)
        let reused = Exporter(store: store, configuration: config)
        // Each run changes the scope or the language, so a section kept under the wrong key shows.
        let runs: [(subject: String, scope: Scope, language: String)] = [
            ("s-00001", .access, "en"), ("s-00002", .access, "en"), ("s-00003", .portability, "en"),
            ("s-00001", .portability, "sv"), ("s-00002", .access, "sv"), ("s-00003", .access, "en"),
        ]
        for (n, run) in runs.enumerated() {
            var options = ExportOptions()
            options.generatedAt = fixedTime
            options.scope = run.scope
            options.language = run.language
            let a = try reused.export(subject: run.subject, to: dir + "/reused-\(n)", options: options)
            let b = try Exporter(store: store, configuration: config).export(subject: run.subject, to: dir + "/fresh-\(n)", options: options)
            let reusedBytes = try XCTUnwrap(FileManager.default.contents(atPath: a.path))
            let freshBytes = try XCTUnwrap(FileManager.default.contents(atPath: b.path))
            XCTAssertEqual(reusedBytes, freshBytes, "run \(n): \(run)")
            let zip = try ZipReader(path: a.path)
            let page = try zip.readAll(try XCTUnwrap(zip.entry(named: "index.html")), maxBytes: 1 << 24)
            XCTAssertTrue(String(decoding: page, as: UTF8.self).contains(run.subject), "the page names its own subject")
        }
    }
}
