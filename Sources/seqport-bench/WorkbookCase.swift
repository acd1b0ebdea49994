import Foundation
import SeqPortXLSX

/// The workbook writer beside Python openpyxl's write-only mode on the same records, same run (issue
/// #12, item 8): seconds of CPU for each, and the ratio. Skipped, and said so, without openpyxl.
func workbookCase(records: Int, work: String, into report: inout Report) throws {
    let ours = work + "/bench-ours.xlsx"
    let theirs = work + "/bench-openpyxl.xlsx"
    defer {
        try? FileManager.default.removeItem(atPath: ours)
        try? FileManager.default.removeItem(atPath: theirs)
    }
    var bytes: UInt64 = 0
    // One thread on both sides (openpyxl has one): all of our work is on this thread's clock.
    var options = XLSXWorkbookWriter.Options()
    options.zip.workers = 1
    let cpu = try threadCPU { bytes = try XLSXBenchmark.write(records: records, to: ours, options: options) }
    let probe = try runChild(["/usr/bin/env", "python3", "-c", "import openpyxl"])
    guard probe.status == 0 else {
        report.add("XLSX writer, \(records / 1000)k records", figure: String(format: "%.2f s CPU", cpu), baseline: "openpyxl not installed")
        return
    }
    let python = try runChild(["/usr/bin/env", "python3", "-c", XLSXBenchmark.openpyxlScript, String(records), theirs])
    guard python.status == 0 else { throw BenchError("openpyxl failed: \(python.stderr.prefix(300))") }
    let theirCPU = python.userSeconds + python.systemSeconds
    log(String(format: "XLSX %d records: seqport %.2f s CPU (%@); openpyxl write-only %.2f s CPU, peak RSS %@", records, cpu, mb(Int(bytes)),
               theirCPU, mib(python.peakRSS)))
    report.add("XLSX writer, \(records / 1000)k records (\(mb(Int(bytes))))", figure: String(format: "%.2f s CPU", cpu),
               baseline: String(format: "openpyxl write-only: %.2f s CPU", theirCPU), ratio: theirCPU / cpu, target: "> 5x (wide margin)",
               pass: theirCPU / cpu > 5)
    report.summary["xlsx"] = ["records": Double(records), "cpuSeconds": round2(cpu), "openpyxlCPUSeconds": round2(theirCPU)]
}
