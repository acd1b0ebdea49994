import Foundation

// The second performance wave's cases (issue #15): a large subject inside a batch, the dry-run import of
// each copy against a Python standard-library reader doing the same reading and comparing, and
// `convert` of a 100 MB file against a Python csv/json stream. The Python scripts are the baselines;
// they run on the same bytes in the same minute.

/// `export --all` of the store that holds only the 1M-event subject: the subject alone in a batch.
func largeSubjectInBatchCase(_ seqport: String, store: String, configPath: String, work: String, single: Exported,
                             base: ZlibBaseline, into report: inout Report) throws {
    let out = work + "/batch-large"
    try? FileManager.default.removeItem(atPath: out)
    let run = try runChild([seqport, "export", "--config", configPath, "--store", store, "--all", "--jobs", "2", "--out", out,
                            "--generated-at", "2026-01-01T00:00:00Z", "--quiet"])
    guard run.status == 0 else { throw BenchError("batch export failed (\(run.status)): \(run.stderr.prefix(300))") }
    let bundle = out + "/seqport-s-00001-access.zip"
    let same = FileManager.default.contentsEqual(atPath: bundle, andPath: single.path)
    let mbps = Double(single.uncompressed) / 1e6 / run.seconds
    log(String(format: "export --all of the 1M-event subject: %.2f s, CPU %.0f%%, peak RSS %@, bundle %@ the single export's",
               run.seconds, run.cpuShare * 100, mib(run.peakRSS), same ? "identical to" : "DIFFERENT from"))
    report.add("large subject in a batch (export --all)", figure: rate(mbps) + String(format: ", CPU %.0f%%", run.cpuShare * 100),
               baseline: "zlib -6 deflate, 1 thread: " + rate(base.deflateMBps), ratio: mbps / base.deflateMBps, target: "≥ 1.50x",
               pass: mbps / base.deflateMBps >= 1.5 && same)
    report.summary["batchLarge"] = ["mbps": round2(mbps), "ratio": round2(mbps / base.deflateMBps), "rss": run.peakRSS, "identical": same]
    try? FileManager.default.removeItem(atPath: out)
}

/// The Python reference for one copy: inflate with `zipfile`, parse with `json`/`csv`/`ElementTree`,
/// and compare every usage event with the store's row (read with `sqlite3`), as text.
let importReferenceScript = #"""
import csv, io, json, sqlite3, sys, zipfile
import xml.etree.ElementTree as ET
bundle, store, fmt, subject = sys.argv[1:5]
fields = ["id", "occurred_at", "event_type", "page", "duration_ms", "referrer"]
db = sqlite3.connect("file:%s?mode=ro" % store, uri=True)
rows = db.execute("SELECT id, occurred_at, event_type, page, duration_ms, referrer FROM usage_events "
                  "WHERE subject_id = ? ORDER BY id", (subject,))
z = zipfile.ZipFile(bundle)
def text(v):
    return None if v is None else str(v)
def records():
    if fmt == "json":
        with z.open("json/usage_events.json") as f:
            for r in json.load(f):
                yield [text(r[k]) for k in fields]
    elif fmt == "csv":
        with z.open("csv/usage_events.csv") as f:
            reader = csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig", newline=""))
            next(reader)
            for row in reader:
                yield [None if c == "" else c for c in row]
    else:
        ns, nil = "{urn:seqport:bundle:1}", "{http://www.w3.org/2001/XMLSchema-instance}nil"
        with z.open("xml/usage_events.xml") as f:
            root = None
            for event, el in ET.iterparse(f, events=("start", "end")):
                if root is None:
                    root = el
                elif event == "end" and el.tag == ns + "record":
                    yield [None if c.get(nil) == "true" else (c.text or "") for c in el]
                    root.clear()
n = differ = 0
for record, row in zip(records(), rows):
    n += 1
    if record != [text(v) for v in row]:
        differ += 1
print(json.dumps({"records": n, "differ": differ}))
"""#

/// `import --format F` (dry run) of the 1M bundle, each copy, against the Python reference.
func importCopiesCase(_ seqport: String, bundle: String, store: String, configPath: String, work: String,
                      into report: inout Report) throws {
    let script = work + "/import-reference.py"
    try importReferenceScript.write(toFile: script, atomically: true, encoding: .utf8)
    var summary: [String: Any] = [:]
    for format in ["json", "csv", "xml", "xlsx"] {
        let ours = try runChild([seqport, "import", "--config", configPath, bundle, "--store", store, "--format", format])
        guard ours.status == 0 else { throw BenchError("import --format \(format) failed (\(ours.status)): \(ours.stderr.prefix(300))") }
        guard format != "xlsx" else {
            // No workbook reader in Python's standard library: the figure alone.
            log(String(format: "import --format xlsx: %.2f s, peak RSS %@", ours.seconds, mib(ours.peakRSS)))
            report.add("import dry run, xlsx copy", figure: String(format: "%.2f s", ours.seconds), baseline: "- (no stdlib reader)")
            report.add("import dry run, xlsx copy, peak RSS", figure: mib(ours.peakRSS), target: "≤ 64 MiB", pass: ours.peakRSS <= 64 << 20)
            summary[format] = ["seconds": round2(ours.seconds), "rss": ours.peakRSS]
            continue
        }
        let python = try runChild(["/usr/bin/env", "python3", script, bundle, store, format, "s-00001"])
        guard python.status == 0 else { throw BenchError("the Python reference failed on \(format): \(python.stderr.prefix(300))") }
        let counts = (try? JSONSerialization.jsonObject(with: Data(python.stdout.utf8))) as? [String: Int] ?? [:]
        let ratio = python.seconds / ours.seconds
        log(String(format: "import --format %@: %.2f s, CPU %.0f%%, peak RSS %@; Python reference %.2f s (%d records, %d differ), peak RSS %@",
                   format, ours.seconds, ours.cpuShare * 100, mib(ours.peakRSS), python.seconds, counts["records"] ?? -1,
                   counts["differ"] ?? -1, mib(python.peakRSS)))
        report.add("import dry run, \(format) copy", figure: String(format: "%.2f s", ours.seconds),
                   baseline: String(format: "Python zipfile+%@: %.2f s", format == "xml" ? "iterparse" : format, python.seconds),
                   ratio: ratio, target: "≥ 3.00x", pass: ratio >= 3)
        report.add("import dry run, \(format) copy, peak RSS", figure: mib(ours.peakRSS), target: "≤ 64 MiB", pass: ours.peakRSS <= 64 << 20)
        summary[format] = ["seconds": round2(ours.seconds), "python": round2(python.seconds), "ratio": round2(ratio), "rss": ours.peakRSS,
                           "pythonRecords": counts["records"] ?? -1, "pythonDiffer": counts["differ"] ?? -1]
    }
    report.summary["importCopies"] = summary
}

let convertReferenceScript = #"""
import csv, json, sys
direction, source, target = sys.argv[1:4]
if direction == "csv-json":
    with open(source, newline="", encoding="utf-8-sig") as f, open(target, "w", encoding="utf-8") as out:
        reader = csv.reader(f)
        header = next(reader)
        out.write("[\n")
        first = True
        for row in reader:
            if not first:
                out.write(",\n")
            first = False
            out.write(json.dumps(dict(zip(header, row)), ensure_ascii=False, separators=(",", ":")))
        out.write("\n]\n")
else:
    with open(source, encoding="utf-8") as f, open(target, "w", newline="", encoding="utf-8") as out:
        records = json.load(f)
        writer = csv.writer(out)
        header = list(records[0].keys()) if records else []
        writer.writerow(header)
        for r in records:
            writer.writerow(["" if r[k] is None else r[k] for k in header])
"""#

/// `convert` CSV → JSON and JSON → CSV of a ~100 MB file (the usage events' CSV copy, twice over).
func convertCase(_ seqport: String, bundle: String, work: String, into report: inout Report) throws {
    let csvPath = work + "/convert-in.csv", jsonPath = work + "/convert-out.json", backPath = work + "/convert-back.csv"
    let refJSON = work + "/convert-ref.json", refCSV = work + "/convert-ref.csv", script = work + "/convert-reference.py"
    defer { for p in [csvPath, jsonPath, backPath, refJSON, refCSV] { try? FileManager.default.removeItem(atPath: p) } }
    try convertReferenceScript.write(toFile: script, atomically: true, encoding: .utf8)
    // The CSV copy twice (ids of the second half shifted so they stay unique), header once: ~116 MB.
    let unzip = try runChild(["/usr/bin/env", "python3", "-c", """
        import sys, zipfile
        data = zipfile.ZipFile(sys.argv[1]).read("csv/usage_events.csv").decode("utf-8-sig")
        header, _, body = data.partition("\\r\\n")
        second = "".join(str(int(l.split(",", 1)[0]) + 10**7) + "," + l.split(",", 1)[1] + "\\r\\n" for l in body.split("\\r\\n") if l)
        open(sys.argv[2], "w", newline="").write(header + "\\r\\n" + body + second)
        """, bundle, csvPath])
    guard unzip.status == 0 else { throw BenchError("could not make the convert input: \(unzip.stderr.prefix(300))") }
    let size = (try FileManager.default.attributesOfItem(atPath: csvPath)[.size] as? Int) ?? 0
    var summary: [String: Any] = ["bytes": size]
    for (direction, from, to, out, ref) in [("csv-json", csvPath, "json", jsonPath, refJSON), ("json-csv", jsonPath, "csv", backPath, refCSV)] {
        let ours = try runChild([seqport, "convert", from, "--to", to, "--out", out])
        guard ours.status == 0 else { throw BenchError("convert \(direction) failed (\(ours.status)): \(ours.stderr.prefix(300))") }
        let python = try runChild(["/usr/bin/env", "python3", script, direction, from, ref])
        guard python.status == 0 else { throw BenchError("the Python convert reference failed: \(python.stderr.prefix(300))") }
        let inBytes = (try FileManager.default.attributesOfItem(atPath: from)[.size] as? Int) ?? 0
        let ratio = python.seconds / ours.seconds
        log(String(format: "convert %@ of %@: %.2f s, peak RSS %@; Python %.2f s, peak RSS %@", direction, mb(inBytes), ours.seconds,
                   mib(ours.peakRSS), python.seconds, mib(python.peakRSS)))
        report.add("convert \(direction.replacingOccurrences(of: "-", with: " → ")), \(mb(inBytes))",
                   figure: rate(Double(inBytes) / 1e6 / ours.seconds),
                   baseline: "Python csv+json: " + rate(Double(inBytes) / 1e6 / python.seconds), ratio: ratio, target: "≥ 5.00x", pass: ratio >= 5)
        report.add("convert \(direction.replacingOccurrences(of: "-", with: " → ")) peak RSS", figure: mib(ours.peakRSS), target: "≤ 64 MiB",
                   pass: ours.peakRSS <= 64 << 20)
        summary[direction] = ["seconds": round2(ours.seconds), "python": round2(python.seconds), "ratio": round2(ratio), "rss": ours.peakRSS,
                              "pythonRSS": python.peakRSS]
    }
    report.summary["convert"] = summary
}
