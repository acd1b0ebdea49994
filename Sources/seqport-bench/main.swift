import Foundation
import SeqPortModel
import SeqPortPipeline
import SeqPortStore

// seqport-bench: builds its own data with SampleData, runs the release `seqport` binary as child
// processes (each with its own peak RSS), and prints every figure beside a baseline measured in the
// same run on the same bytes. See Specs/benchmarks.md.

struct Settings {
    var quick = false
    var events = 1_000_000
    var largeEvents = 4_000_000
    var batchSubjects = 10_000
    var batchEvents = 20
    var writerRecords = 200_000
    var work = ".build-bench"
    var config = "Samples/seqport.json"
    var seqport: String?
    var fresh = false
    var keepBundles = false
    /// Rounds of (export, zlib) for the ratio, interleaved; the medians are reported.
    var rounds = 3
    /// Rounds of (`--jobs 1`, `--jobs 2`) for the batch's ratio, interleaved; each side's fastest is reported.
    var batchRounds = 2
    /// `--only batch`: just the batch case (its figures move most with the VM's minute-to-minute speed,
    /// so it is worth repeating on its own).
    var only: String?

    init(_ args: [String]) throws {
        var it = args.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let v = it.next() else { throw BenchError("\(flag) needs a value") }
            return v
        }
        var explicitLarge: Int?, explicitEvents: Int?, explicitBatch: Int?, explicitRounds: Int?, explicitBatchRounds: Int?
        while let a = it.next() {
            switch a {
            case "--quick": quick = true
            case "--events": explicitEvents = Int(try value(a))
            case "--large-events": explicitLarge = Int(try value(a))
            case "--batch-subjects": explicitBatch = Int(try value(a))
            case "--work": work = try value(a)
            case "--config": config = try value(a)
            case "--seqport": seqport = try value(a)
            case "--fresh": fresh = true
            case "--rounds": explicitRounds = max(1, Int(try value(a)) ?? 3)
            case "--batch-rounds": explicitBatchRounds = max(1, Int(try value(a)) ?? 2)
            case "--only":
                only = try value(a)
                guard only == "batch" else { throw BenchError("--only takes: batch") }
            case "--help", "-h":
                print("""
                usage: seqport-bench [--quick] [--events N] [--large-events N] [--batch-subjects N]
                                     [--work DIR] [--config PATH] [--seqport PATH] [--fresh] [--rounds N]
                                     [--batch-rounds N] [--only batch]
                  --quick   100k and 400k events, 1,000 batch subjects (CI-sized), 1 round
                  --fresh   regenerate the sample stores even when they exist in --work
                  --rounds  export/zlib pairs for the export ratio, interleaved, medians reported (default 3)
                  --batch-rounds
                            (--jobs 1, --jobs 2) pairs for the batch ratio, interleaved, each side's
                            fastest reported (default 2)
                  --only    batch: only the batch case (one job against two)
                """)
                exit(0)
            default: throw BenchError("unknown argument \(a)")
            }
        }
        if quick { events = 100_000; largeEvents = 400_000; batchSubjects = 1_000; writerRecords = 50_000; rounds = 1; batchRounds = 1 }
        events = explicitEvents ?? events
        largeEvents = explicitLarge ?? (explicitEvents.map { $0 * 4 } ?? largeEvents)
        batchSubjects = explicitBatch ?? batchSubjects
        rounds = explicitRounds ?? rounds
        batchRounds = explicitBatchRounds ?? batchRounds
        writerRecords = min(writerRecords, events)
    }
}

let settings: Settings
do { settings = try Settings(Array(CommandLine.arguments.dropFirst())) } catch {
    standardError("seqport-bench: \(error)\n")
    exit(2)
}

func log(_ s: String) { standardError("· \(s)\n") }

/// Writes to stderr with `write(2)`: `FileHandle.write` traps on a write error (a closed pipe), and C's
/// `stderr` is a mutable global to Swift 6.
func standardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var done = 0
        while done < bytes.count {
            let n = write(STDERR_FILENO, bytes.baseAddress! + done, bytes.count - done)
            if n <= 0 { return }
            done += n
        }
    }
}

func absolute(_ p: String) -> String {
    p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p
}

/// The release `seqport` next to this executable (same build), unless `--seqport` names one.
func seqportBinary() throws -> String {
    if let given = settings.seqport { return absolute(given) }
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let sibling = me.deletingLastPathComponent().appendingPathComponent("seqport").path
    guard FileManager.default.isExecutableFile(atPath: sibling) else {
        throw BenchError("no seqport binary beside \(me.path); build it first: swift build -c release --product seqport (same --scratch-path), or pass --seqport PATH")
    }
    return sibling
}

/// A store with `subjects` subjects of `events` usage events each, made once per size in the work folder.
func sampleStore(subjects: Int, events: Int, config: Configuration) throws -> String {
    let path = absolute(settings.work) + "/sample-\(subjects)x\(events).sqlite"
    if FileManager.default.fileExists(atPath: path) && !settings.fresh { return path }
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: path + ".tmp")
    let store = try StoreLocator.open(path + ".tmp", schema: config.schema, create: true)
    let t = try timed { try SampleData(subjects: subjects, events: events).populate(store) }
    try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
    log(String(format: "generated %d subject(s) × %d events in %.1f s (%@)", subjects, events, t, path))
    return path
}

struct Exported {
    var run: ChildRun
    var path: String
    var uncompressed: Int
    var zipBytes: Int
    var mbps: Double { Double(uncompressed) / 1e6 / run.seconds }
}

func export(_ seqport: String, store: String, config: String, out: String) throws -> Exported {
    try? FileManager.default.removeItem(atPath: out)
    let run = try runChild([seqport, "export", "--config", config, "--store", store, "--subject", "s-00001", "--out", out,
                            "--generated-at", "2026-01-01T00:00:00Z", "--json"])
    guard run.status == 0 else { throw BenchError("export failed (\(run.status)): \(run.stderr)") }
    let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    return Exported(run: run, path: json["path"] as! String, uncompressed: json["uncompressedBytes"] as! Int, zipBytes: json["bytes"] as! Int)
}

func main() throws {
    let seqport = try seqportBinary()
    let configPath = absolute(settings.config)
    let config = try Configuration.load(path: configPath)
    let work = absolute(settings.work)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    var report = Report()
    let memoryLimit = 64 << 20
    report.summary["machine"] = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 20) MiB"
    report.summary["events"] = settings.events
    report.summary["largeEvents"] = settings.largeEvents
    log("seqport: \(seqport)")
    let loadBefore = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    log("load average before: \(loadBefore)")
    report.summary["loadBefore"] = loadBefore
    if settings.only == "batch" {
        try batchCase(seqport, config: config, configPath: configPath, work: work, into: &report)
        report.print()
        return
    }

    // 1. Export of one large subject, against single-thread zlib on the bundle's own entries.
    let store1 = try sampleStore(subjects: 1, events: settings.events, config: config)
    // A shared VM's speed drifts by several per cent from one minute to the next: export and zlib run
    // in interleaved rounds and the median of each is reported (every round is logged).
    var exports: [Exported] = [], bases: [ZlibBaseline] = []
    for round in 1...settings.rounds {
        let e = try export(seqport, store: store1, config: configPath, out: work + "/out-1")
        let b = try ZlibBaseline.measure(bundle: e.path)
        log(String(format: "round %d: export %d events: %@ in %.2f s, CPU %.0f%%, peak RSS %@; zlib -6, 1 thread: %.2f s (ratio %.2fx); inflate %.2f s",
                   round, settings.events, mb(e.uncompressed), e.run.seconds, e.run.cpuShare * 100, mib(e.run.peakRSS),
                   b.deflateSeconds, e.mbps / b.deflateMBps, b.inflateSeconds))
        exports.append(e)
        bases.append(b)
    }
    // The reported round is the one with the median ratio: each export is compared with the zlib
    // run right after it (the same minute of the VM), never with another round's.
    let median = exports.indices.sorted { exports[$0].mbps / bases[$0].deflateMBps < exports[$1].mbps / bases[$1].deflateMBps }[exports.count / 2]
    let e1 = exports[median]
    let base = bases[median]
    let peak1 = exports.map(\.run.peakRSS).max()!   // memory: the worst round
    let exportRatio = e1.mbps / base.deflateMBps
    report.add("export \(settings.events / 1000)k events (\(mb(e1.uncompressed)))",
               figure: rate(e1.mbps) + String(format: ", CPU %.0f%%", e1.run.cpuShare * 100),
               baseline: "zlib -6 deflate, 1 thread: " + rate(base.deflateMBps), ratio: exportRatio, target: "≥ 2.50x", pass: exportRatio >= 2.5)
    // The faster deflate may not buy its speed with size: the bundle (headers included) against zlib -6's
    // compressed bytes of the same entries.
    report.add("export \(settings.events / 1000)k bundle size", figure: mb(e1.zipBytes), baseline: "zlib -6 on the entries: " + mb(base.deflatedBytes),
               ratio: Double(e1.zipBytes) / Double(max(1, base.deflatedBytes)), target: "≤ 1.00x", pass: e1.zipBytes <= base.deflatedBytes)
    // Under other load the wall-clock ratio says little; CPU work is what the export costs beside
    // deflate, and 2 × zlib CPU ÷ export CPU is the ratio two otherwise idle cores would reach at best.
    let cpuBound = 2 * base.deflateCPUSeconds / (e1.run.userSeconds + e1.run.systemSeconds)
    report.add("export \(settings.events / 1000)k, CPU work", figure: String(format: "%.2f core-s", e1.run.userSeconds + e1.run.systemSeconds),
               baseline: String(format: "zlib -6 deflate: %.2f core-s", base.deflateCPUSeconds), ratio: cpuBound,
               target: "2 cores idle: ≤ this")
    report.add("export \(settings.events / 1000)k peak RSS", figure: mib(peak1), target: "≤ 64 MiB", pass: peak1 <= memoryLimit)

    // 2. The same at four times the events: memory must stay flat.
    let store4 = try sampleStore(subjects: 1, events: settings.largeEvents, config: config)
    let e4 = try export(seqport, store: store4, config: configPath, out: work + "/out-4")
    log(String(format: "export %d events: %@ in %.2f s, CPU %.0f%%, peak RSS %@", settings.largeEvents, mb(e4.uncompressed), e4.run.seconds,
               e4.run.cpuShare * 100, mib(e4.run.peakRSS)))
    let flat = Double(e4.run.peakRSS) / Double(peak1)
    report.add("export \(settings.largeEvents / 1000)k events (\(mb(e4.uncompressed)))",
               figure: rate(e4.mbps) + String(format: ", CPU %.0f%%", e4.run.cpuShare * 100), baseline: "-")
    report.add("export \(settings.largeEvents / 1000)k peak RSS", figure: mib(e4.run.peakRSS), baseline: "\(settings.events / 1000)k: " + mib(peak1),
               ratio: flat, target: "≤ 64 MiB, ≤ 1.10x", pass: e4.run.peakRSS <= memoryLimit && flat <= 1.10)
    try? FileManager.default.removeItem(atPath: work + "/out-4")

    // 3. Verify and import (dry run) of the first bundle, against inflating its entries in one thread.
    let v = try runChild([seqport, "verify", e1.path])
    guard v.status == 0 else { throw BenchError("verify failed (\(v.status)): \(v.stdout)\(v.stderr)") }
    let vMBps = Double(e1.uncompressed) / 1e6 / v.seconds
    report.add("verify \(settings.events / 1000)k bundle", figure: rate(vMBps) + String(format: ", CPU %.0f%%", v.cpuShare * 100),
               baseline: "inflate, 1 thread: " + rate(base.inflateMBps), ratio: vMBps / base.inflateMBps)
    report.add("verify \(settings.events / 1000)k peak RSS", figure: mib(v.peakRSS), target: "≤ 64 MiB", pass: v.peakRSS <= memoryLimit)
    let i = try runChild([seqport, "import", "--config", configPath, e1.path, "--store", store1])
    guard i.status == 0 else { throw BenchError("import failed (\(i.status)): \(i.stdout.prefix(500))\(i.stderr)") }
    let iMBps = Double(e1.uncompressed) / 1e6 / i.seconds
    report.add("import dry run \(settings.events / 1000)k", figure: rate(iMBps) + String(format: ", CPU %.0f%%", i.cpuShare * 100),
               baseline: "inflate, 1 thread: " + rate(base.inflateMBps), ratio: iMBps / base.inflateMBps)
    report.add("import dry run \(settings.events / 1000)k peak RSS", figure: mib(i.peakRSS), target: "≤ 64 MiB", pass: i.peakRSS <= memoryLimit)
    log(String(format: "verify %.2f s (%@), import %.2f s (%@)", v.seconds, mib(v.peakRSS), i.seconds, mib(i.peakRSS)))

    report.summary["export"] = ["mbps": round2(e1.mbps), "zlibMBps": round2(base.deflateMBps), "ratio": round2(exportRatio),
                                "cpu": round2(e1.run.cpuShare), "cpuSeconds": round2(e1.run.userSeconds + e1.run.systemSeconds),
                                "zlibCPUSeconds": round2(base.deflateCPUSeconds), "idleBound": round2(cpuBound), "bytes": e1.uncompressed, "zipBytes": e1.zipBytes, "seconds": round2(e1.run.seconds)]
    report.summary["exportRSS"] = ["small": peak1, "large": e4.run.peakRSS, "ratio": round2(flat), "largeMBps": round2(e4.mbps)]
    report.summary["verify"] = ["mbps": round2(vMBps), "inflateMBps": round2(base.inflateMBps), "rss": v.peakRSS]
    report.summary["import"] = ["mbps": round2(iMBps), "inflateMBps": round2(base.inflateMBps), "rss": i.peakRSS]

    // 3b. The same subject exported by `export --all`: alone in a batch, it must get the idle core too.
    try largeSubjectInBatchCase(seqport, store: store1, configPath: configPath, work: work, single: e1, base: base, into: &report)
    // 3c. The dry-run import of each copy, and convert of a 100 MB file, against Python's standard library.
    try importCopiesCase(seqport, bundle: e1.path, store: store1, configPath: configPath, work: work, into: &report)
    try convertCase(seqport, bundle: e1.path, work: work, into: &report)

    // 4. Batch export of many ordinary subjects, one job against two.
    try batchCase(seqport, config: config, configPath: configPath, work: work, into: &report)

    // 4b. A hostile import: an editable category with a million inserted rows stops at its limit.
    try hostileImportCase(seqport, config: config, configPath: configPath, work: work, inserted: settings.quick ? 100_000 : 1_000_000,
                          into: &report)

    // 4c. The workbook writer beside openpyxl's write-only mode.
    try workbookCase(records: settings.quick ? 50_000 : 200_000, work: work, into: &report)

    // 5. The hand-written writers beside what they replace, on the same records.
    let store = try StoreLocator.open(store1, schema: config.schema, readOnly: true)
    let (layout, records) = try loadRecords(store: store, subject: "s-00001", category: "usage_events", limit: settings.writerRecords)
    let j = try jsonWriterCase(layout: layout, records: records)
    let oursJ = Double(j.ours.1) / 1e6 / j.ours.0
    let dictJ = Double(j.dict.1) / 1e6 / j.dict.0, codJ = Double(j.codable.1) / 1e6 / j.codable.0
    let n = records.count
    report.add("JSON writer, \(n / 1000)k usage events", figure: rate(oursJ), baseline: "JSONEncoder [[String: String?]]: " + rate(dictJ),
               ratio: oursJ / dictJ, target: "> 1x (wins)", pass: oursJ > dictJ)
    report.add("JSON writer, \(n / 1000)k usage events", figure: rate(oursJ), baseline: "JSONEncoder Codable struct: " + rate(codJ),
               ratio: oursJ / codJ, target: "> 1x (wins)", pass: oursJ > codJ)
    let c = try csvWriterCase(layout: layout, records: records)
    let oursC = Double(c.ours.1) / 1e6 / c.ours.0, naiveC = Double(c.naive.1) / 1e6 / c.naive.0
    report.add("CSV writer, \(n / 1000)k usage events", figure: rate(oursC), baseline: "naive String concatenation: " + rate(naiveC),
               ratio: oursC / naiveC, target: "> 1x (wins)", pass: oursC > naiveC)
    let lib = try csvLibraryCase(layout: layout, records: records)
    let libC = Double(lib.1) / 1e6 / lib.0
    report.add("CSV writer, \(n / 1000)k usage events", figure: rate(oursC), baseline: "CSV.swift CSVWriter: " + rate(libC),
               ratio: oursC / libC, target: "> 1x (wins)", pass: oursC > libC)

    // 6. The ZIP writer beside ZIPFoundation: the first bundle's entries written again, level 6.
    let entries = try bundleEntries(e1.path)
    let total = entries.reduce(0) { $0 + $1.bytes.count }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    var zipSizes: [String: Int] = [:]
    let zipOurs = try timed { zipSizes["ours"] = try writeWithSeqPort(entries, to: work + "/zip-ours.zip", workers: cores) }
    let zipOne = try timed { zipSizes["one"] = try writeWithSeqPort(entries, to: work + "/zip-one.zip", workers: 1) }
    let zipLib = try timed { zipSizes["lib"] = try writeWithZIPFoundation(entries, to: work + "/zip-lib.zip") }
    for name in ["zip-ours.zip", "zip-one.zip", "zip-lib.zip"] { try? FileManager.default.removeItem(atPath: work + "/" + name) }
    let mbps = { (seconds: Double) in Double(total) / 1e6 / seconds }
    log(String(format: "ZIP writer on %@: seqport %d workers %.2f s (%@), 1 worker %.2f s (%@); ZIPFoundation %.2f s (%@)", mb(total), cores,
               zipOurs, mb(zipSizes["ours"] ?? 0), zipOne, mb(zipSizes["one"] ?? 0), zipLib, mb(zipSizes["lib"] ?? 0)))
    report.add("ZIP writer, \(mb(total)) of entries", figure: rate(mbps(zipOurs)) + " (\(cores) workers)",
               baseline: "ZIPFoundation 0.9.20: " + rate(mbps(zipLib)), ratio: zipLib / zipOurs, target: "> 1x (wins)", pass: zipOurs < zipLib)
    report.add("ZIP writer, \(mb(total)) of entries", figure: rate(mbps(zipOne)) + " (1 worker)",
               baseline: "ZIPFoundation 0.9.20: " + rate(mbps(zipLib)), ratio: zipLib / zipOne, target: "> 1x (wins)", pass: zipOne < zipLib)
    report.summary["writers"] = ["jsonMBps": round2(oursJ), "jsonEncoderDictMBps": round2(dictJ), "jsonEncoderCodableMBps": round2(codJ),
                                 "csvMBps": round2(oursC), "csvNaiveMBps": round2(naiveC), "csvLibraryMBps": round2(libC), "records": n,
                                 "zipMBps": round2(mbps(zipOurs)), "zipOneWorkerMBps": round2(mbps(zipOne)), "zipFoundationMBps": round2(mbps(zipLib))]
    try? FileManager.default.removeItem(atPath: work + "/out-1")
    let loadAfter = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    report.summary["loadAfter"] = loadAfter
    report.print()
    print("load average (1, 5, 15 min) before: \(loadBefore), after: \(loadAfter) — wall-clock ratios assume the 2 cores are otherwise idle")
}

do { try main() } catch {
    standardError("seqport-bench: \(error)\n")
    exit(1)
}
