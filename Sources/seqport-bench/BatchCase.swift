import Foundation
import SeqPortPipeline

/// Batch export (`seqport export --all --jobs N`): subjects per second with one job and with two.
/// Prints "not available yet" while the CLI has no `--all`.
func batchCase(_ seqport: String, config: Configuration, configPath: String, work: String, into report: inout Report) throws {
    let help = try runChild([seqport, "export", "--help"])
    let name = "batch \(settings.batchSubjects) subjects × \(settings.batchEvents) events"
    guard help.stdout.contains("--all") else {
        report.add(name, figure: "not available yet", baseline: "(seqport export has no --all on this branch)")
        report.summary["batch"] = "not available yet"
        return
    }
    let store = try sampleStore(subjects: settings.batchSubjects, events: settings.batchEvents, config: config)
    var rates: [Int: Double] = [:]
    for jobs in [1, 2] {
        let out = work + "/batch-\(jobs)"
        try? FileManager.default.removeItem(atPath: out)
        let run = try runChild([seqport, "export", "--config", configPath, "--store", store, "--all", "--jobs", String(jobs),
                                "--out", out, "--generated-at", "2026-01-01T00:00:00Z"])
        guard run.status == 0 else { throw BenchError("batch export --jobs \(jobs) failed (\(run.status)): \(run.stderr.prefix(500))") }
        rates[jobs] = Double(settings.batchSubjects) / run.seconds
        log(String(format: "batch --jobs %d: %.2f s, CPU %.0f%%, peak RSS %@", jobs, run.seconds, run.cpuShare * 100, mib(run.peakRSS)))
        try? FileManager.default.removeItem(atPath: out)
    }
    let ratio = rates[2]! / rates[1]!
    report.add(name, figure: String(format: "--jobs 2: %.0f subjects/s", rates[2]!),
               baseline: String(format: "--jobs 1: %.0f subjects/s", rates[1]!), ratio: ratio, target: "≥ 1.80x", pass: ratio >= 1.8)
    report.summary["batch"] = ["jobs1": round2(rates[1]!), "jobs2": round2(rates[2]!), "ratio": round2(ratio)]
}
