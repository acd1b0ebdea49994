import Foundation
import SeqPortArchive
@testable import SeqPortBundle
import SeqPortModel
import SeqPortSQLite
import SeqPortStore
import SeqPortStoreConformance
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline
@testable import SeqPortPostgres

/// The pipeline on PostgreSQL: the same bundles as from SQLite, and imports that race.
final class PostgresPipelineTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    let fixedTime = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    func configuration() throws -> Configuration { try Configuration.load(path: Self.packageRoot + "/Samples/seqport.json") }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "seqport-pg-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func export(_ store: any Store, _ config: Configuration, subject: String, to dir: String, scope: Scope = .access) throws -> ExportResult {
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.scope = scope
        options.workers = 2
        return try Exporter(store: store, configuration: config).export(subject: subject, to: dir, options: options)
    }

    func postgresSample(_ config: Configuration, subjects: Int, events: Int) throws -> (PostgresStore, PostgresLocation) {
        let location = try PostgresTestServer.freshDatabase(self)
        let store = try PostgresStore(location: location, schema: config.schema)
        addTeardownBlock { store.close() }
        try SampleData(subjects: subjects, events: events).populate(store)
        return (store, location)
    }

    func testExportsFromSQLiteAndPostgreSQLAreByteIdentical() throws {
        let config = try configuration()
        let dir = try temporaryDirectory()
        let sqlite = try SQLiteStore(path: dir + "/store.sqlite", schema: config.schema, create: true)
        try SampleData(subjects: 3, events: 1_500).populate(sqlite)
        let (postgres, _) = try postgresSample(config, subjects: 3, events: 1_500)
        XCTAssertEqual(try postgres.subjectIDs(), try sqlite.subjectIDs())
        for subject in ["s-00001", "s-00002", "s-00003"] {
            for scope in Scope.allCases {
                let a = try export(sqlite, config, subject: subject, to: dir + "/sqlite-\(subject)-\(scope)", scope: scope)
                let b = try export(postgres, config, subject: subject, to: dir + "/postgres-\(subject)-\(scope)", scope: scope)
                XCTAssertEqual(a.records, b.records, "\(subject) \(scope)")
                XCTAssertEqual(FileManager.default.contents(atPath: a.path), FileManager.default.contents(atPath: b.path),
                               "\(subject) \(scope): the bundles differ")
            }
        }
    }

    /// The same random edits as on SQLite: stored and audited exactly, or refused with nothing changed
    /// (PostgreSQL's text cannot hold U+0000: such an edit is refused in the plan, `import.unstorable`).
    func testRandomAwkwardEditsThroughEveryCopyAreStoredAndAuditedExactlyOrRefused() throws {
        let config = try configuration()
        let (store, _) = try postgresSample(config, subjects: 2, events: 3)
        try ImportFidelity.check(store: store, configuration: config, directory: try temporaryDirectory(), seed: 20_261_129, rounds: 12)
    }

    func testStoreLocatorOpensPostgresURLs() throws {
        let config = try configuration()
        let location = try PostgresTestServer.freshDatabase(self)
        guard let base = ProcessInfo.processInfo.environment[PostgresTestServer.urlVariable],
              let url = URLComponents(string: base) else { throw XCTSkip("no URL") }
        var components = url
        components.path = "/" + location.database
        let store = try StoreLocator.open(components.string!, schema: config.schema)
        XCTAssertTrue(store is PostgresStore)
        XCTAssertNil(try store.storeVersion())
        try store.initialize(createSchemaTables: true)
        XCTAssertEqual(try store.storeVersion(), seqportStoreVersion)
        XCTAssertThrowsError(try StoreLocator.open("postgres://u:secret@127.0.0.1/db", schema: config.schema)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeURL)
        }
    }

    /// Two imports of the same subject at once, each editing the same field differently: one applies,
    /// the other is refused as a conflict (at planning or at apply), never both.
    /// The parent of a server process: the postmaster (Linux `/proc`).
    static func parentPID(_ pid: Int64) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    func testABatchStopsWithStoreConnectionWhenTheServerFreezesAndARerunResumes() throws {
        let config = try configuration()
        var (_, location) = try postgresSample(config, subjects: 40, events: 3)
        location.statementTimeout = 0
        location.readTimeout = 2
        location.connectTimeout = 2
        let lock = NSLock()
        var backends: [Int64] = []
        let batch = BatchExporter(configuration: config) {
            let store = try PostgresStore(location: location, schema: config.schema, readOnly: true)
            let pid = try PostgresTestServer.backendPID(store)
            lock.lock()
            backends.append(pid)
            lock.unlock()
            return store
        }
        let subjects = try batch.allSubjects()
        var options = BatchOptions()
        options.jobs = 1
        options.export.generatedAt = fixedTime
        options.maxConsecutiveConnectionFailures = 3
        let out = try temporaryDirectory() + "/out"
        // After a few bundles, stop the worker's server process and the postmaster: the server is frozen,
        // connections are accepted by the kernel and nothing answers.
        var frozen: [pid_t] = []
        var refused: Int32 = 0
        defer { for pid in frozen { kill(pid, SIGCONT) } }
        XCTAssertThrowsError(try batch.run(subjects: subjects, to: out, options: options) { progress in
            guard frozen.isEmpty, refused == 0, progress.exported >= 5 else { return }
            lock.lock()
            let worker = backends.last
            lock.unlock()
            guard let worker, let postmaster = Self.parentPID(worker) else { refused = ESRCH; return }
            for pid in [postmaster, pid_t(worker)] {
                if kill(pid, SIGSTOP) == 0 { frozen.append(pid) } else { refused = errno }
            }
        }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .storeConnection, "\(error)")
            XCTAssertTrue("\(error)".contains("3 subjects in a row failed to reach the store"), "\(error)")
        }
        if refused != 0 {
            throw TestTools.missing("cannot stop the PostgreSQL server processes (not root?): \(String(cString: strerror(refused)))")
        }
        for pid in frozen { kill(pid, SIGCONT) }
        frozen = []
        let done = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".zip") }.count
        XCTAssertGreaterThanOrEqual(done, 5)
        XCTAssertLessThan(done, subjects.count)

        let rerun = try batch.run(subjects: subjects, to: out, options: options)
        XCTAssertEqual(rerun.skipped, done, "the rerun resumes")
        XCTAssertEqual(rerun.exported + rerun.skipped, subjects.count)
        XCTAssertEqual(rerun.failed, 0)
    }

    func testTwoConcurrentImportsOfOneSubjectCannotBothApply() throws {
        let config = try configuration()
        let dir = try temporaryDirectory()
        let (store, location) = try postgresSample(config, subjects: 2, events: 20)
        for round in 1...4 {
            let bundle = try export(store, config, subject: "s-00002", to: dir + "/round-\(round)").path
            var editedPaths: [String] = []
            for writer in 0..<2 {
                let out = dir + "/round-\(round)-writer-\(writer).zip"
                try editJobTitle(bundle, to: out, config: config, to: "Title \(round)-\(writer)")
                editedPaths.append(out)
            }
            let edited = editedPaths
            let stores = [try PostgresStore(location: location, schema: config.schema), try PostgresStore(location: location, schema: config.schema)]
            let results = ResultBox()
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for writer in 0..<2 {
                DispatchQueue.global().async(group: group) {
                    start.wait()
                    var options = ImportOptions()
                    options.apply = true
                    options.actor = "writer \(writer)"
                    options.now = self.fixedTime
                    do {
                        let plan = try Importer(store: stores[writer]).run(bundle: edited[writer], options: options)
                        results.add(plan.applied ? "applied" : "refused")
                    } catch let error as SeqPortError {
                        results.add(error.code.rawValue)
                    } catch {
                        results.add("\(error)")
                    }
                }
            }
            start.signal()
            start.signal()
            XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
            let outcome = results.sorted
            XCTAssertEqual(outcome.filter { $0 == "applied" }.count, 1, "round \(round): \(outcome)")
            XCTAssertTrue(outcome.contains("import.conflict") || outcome.contains("refused"), "round \(round): \(outcome)")
            let audit = try store.withSnapshot { try $0.auditEntries(subject: "s-00002") }
            XCTAssertEqual(audit.count, round, "one audit entry per round")
            let title = try store.withSnapshot { snap in
                try snap.record(subject: "s-00002", in: config.schema.category(named: "professional")!, key: "p-s-00002",
                                fields: config.schema.category(named: "professional")!.fields)?[2]
            }
            XCTAssertEqual(title.flatMap(\.text), audit.last?.newValue, "the store holds the winner's value")
            stores.forEach { $0.close() }
        }
    }

    /// Rewrites the CSV copy of `professional` with a new job title (as the subject's editor would).
    func editJobTitle(_ bundle: String, to out: String, config: Configuration, to title: String) throws {
        let layout = config.schema.category(named: "professional")!.layout(scope: .access)
        let zip = try ZipReader(path: bundle)
        let path = BundleLayout.data("professional", .csv)
        var reader = try BundleFormat.csv.makeReader(source: try zip.open(zip.entry(named: path)!), layout: layout)
        var records: [Record] = []
        while let r = try reader.next() { records.append(r) }
        records[0][layout.index(of: "job_title")!] = .text(title)
        let sink = MemorySink()
        var writer = try BundleFormat.csv.makeWriter(layout: layout, sink: sink)
        for r in records { try writer.write(r) }
        try writer.finish()
        let file = try AtomicFile(finalPath: out)
        let writerZip = ZipWriter(sink: file.sink)
        for e in zip.entries {
            try writerZip.addEntry(e.name, bytes: e.name == path ? sink.bytes : try zip.readAll(e, maxBytes: 1 << 30))
        }
        try writerZip.finish()
        try file.commit()
    }
}
