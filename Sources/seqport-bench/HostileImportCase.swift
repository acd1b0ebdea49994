import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline

/// Import of a hostile bundle (issue #11): an ordinary subject's bundle whose editable
/// `email_addresses` copy was given `inserted` new rows (1M by default: a few MB compressed).
/// The import must stop at `--max-editable-records` (`import.too-large`, exit 6) in bounded memory,
/// long before the rows are planned; the case reports its time and peak RSS beside the limit.
func hostileImportCase(_ seqport: String, config: Configuration, configPath: String, work: String, inserted: Int,
                       into report: inout Report) throws {
    let store = try sampleStore(subjects: 1, events: 20, config: config)
    let out = work + "/hostile"
    try? FileManager.default.removeItem(atPath: out)
    let exported = try export(seqport, store: store, config: configPath, out: out)
    let path = "json/email_addresses.json"
    let layout = config.schema.category(named: "email_addresses")!.layout(scope: .access)
    let zip = try ZipReader(path: exported.path)
    let bundle = out + "/hostile.zip"
    let file = try AtomicFile(finalPath: bundle)
    let writer = ZipWriter(sink: file.sink)
    for entry in zip.entries {
        guard entry.name == path else {
            try writer.addEntry(entry.name, bytes: try zip.readAll(entry, maxBytes: 1 << 30))
            continue
        }
        let copy = try writer.beginEntry(path)
        var records = try BundleFormat.json.makeWriter(layout: layout, sink: copy)
        for n in 0..<inserted {
            try records.write(Record([.text("e-hostile-\(n)"), .text("h\(n)@example.com"), .text("other"), .text("false"), .null]))
        }
        try records.finish()
        _ = try copy.finish()
    }
    try writer.finish()
    try file.commit()
    let bytes = (try FileManager.default.attributesOfItem(atPath: bundle)[.size] as? Int) ?? 0
    let run = try runChild([seqport, "import", "--config", configPath, bundle, "--store", store, "--format", "json"])
    let stopped = run.status == 6 && run.stderr.contains("import.too-large")
    log(String(format: "hostile import (%d inserted rows, %@): exit %d in %.2f s, peak RSS %@: %@", inserted, mb(bytes), run.status,
               run.seconds, mib(run.peakRSS), String(run.stderr.prefix(300))))
    report.add("import, \(inserted / 1000)k rows inserted into an editable category (\(mb(bytes)))",
               figure: String(format: "stopped in %.2f s, peak RSS %@", run.seconds, mib(run.peakRSS)),
               baseline: "limit: \(ImportOptions.defaultMaxEditableRecords) records", target: "import.too-large, ≤ 64 MiB",
               pass: stopped && run.peakRSS <= 64 << 20)
    report.summary["hostileImport"] = ["rows": Double(inserted), "seconds": round2(run.seconds), "rss": Double(run.peakRSS),
                                       "stopped": stopped ? 1 : 0]
    try? FileManager.default.removeItem(atPath: out)
}
