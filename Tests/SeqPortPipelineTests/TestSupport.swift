import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortSQLite
import SeqPortStore
import XCTest
@testable import SeqPortPipeline

/// The package root, found from this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The default configuration (Samples/seqport.json) with the default schema.
func defaultConfiguration() throws -> Configuration {
    try Configuration.load(path: packageRoot + "/Samples/seqport.json")
}

/// A fresh temporary folder, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "seqport-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// A small sample store in a temporary folder.
func sampleStore(_ test: XCTestCase, subjects: Int = 3, events: Int = 40) throws -> (SQLiteStore, Configuration, String) {
    let config = try defaultConfiguration()
    let dir = try temporaryDirectory(test)
    let store = try SQLiteStore(path: dir + "/store.sqlite", schema: config.schema, create: true)
    try SampleData(subjects: subjects, events: events).populate(store)
    return (store, config, dir)
}

let fixedTime = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

/// Exports a subject with a fixed generation time.
func export(_ store: any Store, _ config: Configuration, subject: String = "s-00001", to dir: String,
            scope: Scope = .access, workers: Int = 2) throws -> ExportResult {
    var options = ExportOptions()
    options.generatedAt = fixedTime
    options.scope = scope
    options.workers = workers
    return try Exporter(store: store, configuration: config).export(subject: subject, to: dir, options: options)
}

/// Every entry of an archive, inflated.
func entries(of path: String) throws -> [(name: String, bytes: [UInt8])] {
    let zip = try ZipReader(path: path)
    return try zip.entries.map { ($0.name, try zip.readAll($0, maxBytes: 1 << 30)) }
}

/// Writes a copy of a bundle with some entries replaced (as a subject's unzip–edit–zip would).
/// `updateManifest` also fixes the manifest's checksums, as a partner producing a bundle would.
func rewriteBundle(_ path: String, to out: String, replacing: [String: [UInt8]], updateManifest: Bool = false) throws {
    var all = try entries(of: path)
    for i in all.indices { if let new = replacing[all[i].name] { all[i].bytes = new } }
    if updateManifest, let m = all.firstIndex(where: { $0.name == "manifest.json" }) {
        var manifest = try Manifest.decode(all[m].bytes)
        for j in manifest.files.indices {
            if let e = all.first(where: { $0.name == manifest.files[j].path }) {
                manifest.files[j].bytes = e.bytes.count
                manifest.files[j].sha256 = sha256Hex(e.bytes)
            }
        }
        all[m].bytes = try manifest.encoded()
    }
    let file = try AtomicFile(finalPath: out)
    let zip = ZipWriter(sink: file.sink)
    for e in all { try zip.addEntry(e.name, bytes: e.bytes) }
    try zip.finish()
    try file.commit()
}

/// Runs a program; returns its exit status and combined output. Nil if the program is not installed.
@discardableResult
func runTool(_ program: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String)? {
    let which = Process()
    which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    which.arguments = ["which", program]
    which.standardOutput = FileHandle.nullDevice
    which.standardError = FileHandle.nullDevice
    try which.run()
    which.waitUntilExit()
    guard which.terminationStatus == 0 else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [program] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
