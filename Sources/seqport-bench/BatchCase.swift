import Foundation
import SeqPortPipeline

/// Batch export (`seqport export --all --jobs N`): subjects per second with one job and with two,
/// from a SQLite sample store and, when `SEQPORT_BENCH_POSTGRES_URL` names an empty PostgreSQL
/// database (password from PGPASSWORD), from the same sample loaded into PostgreSQL.
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
    report.summary["batch"] = try measureBatch(seqport, store: store, name: name, configPath: configPath, work: work, into: &report)

    guard let url = ProcessInfo.processInfo.environment["SEQPORT_BENCH_POSTGRES_URL"] else {
        log("batch on PostgreSQL: skipped (set SEQPORT_BENCH_POSTGRES_URL to an empty database)")
        return
    }
    let load = try runChild([seqport, "sample", "--config", configPath, "--subjects", String(settings.batchSubjects),
                             "--events", String(settings.batchEvents), "--out", url])
    guard load.status == 0 else { throw BenchError("seqport sample into PostgreSQL failed (\(load.status)): \(load.stderr.prefix(500))") }
    log(String(format: "sample into PostgreSQL: %.2f s", load.seconds))
    report.summary["batchPostgres"] = try measureBatch(seqport, store: url, name: name + " (PostgreSQL)", configPath: configPath, work: work, into: &report)
}

/// Runs the batch with `--jobs 1` and `--jobs 2`, alternating for `settings.batchRounds` rounds, and adds
/// the ratio of each side's fastest run to the report (this VM's speed moves by a quarter from one minute
/// to the next; alternating and taking each side's best compares the two in the same minutes).
private func measureBatch(_ seqport: String, store: String, name: String, configPath: String, work: String,
                          into report: inout Report) throws -> [String: Double] {
    var rates: [Int: [Double]] = [:]
    for _ in 0..<settings.batchRounds {
        for jobs in [1, 2] {
            let out = work + "/batch-\(jobs)"
            try? FileManager.default.removeItem(atPath: out)
            let run = try runChild([seqport, "export", "--config", configPath, "--store", store, "--all", "--jobs", String(jobs),
                                    "--out", out, "--generated-at", "2026-01-01T00:00:00Z"])
            guard run.status == 0 else { throw BenchError("batch export --jobs \(jobs) failed (\(run.status)): \(run.stderr.prefix(500))") }
            rates[jobs, default: []].append(Double(settings.batchSubjects) / run.seconds)
            log(String(format: "%@ --jobs %d: %.2f s, CPU %.0f%%, peak RSS %@", name, jobs, run.seconds, run.cpuShare * 100, mib(run.peakRSS)))
            try? FileManager.default.removeItem(atPath: out)
        }
    }
    let one = rates[1]!.max()!, two = rates[2]!.max()!
    let ratio = two / one
    let runs = settings.batchRounds > 1 ? String(format: " (fastest of %d)", settings.batchRounds) : ""
    report.add(name, figure: String(format: "--jobs 2: %.0f subjects/s", two) + runs,
               baseline: String(format: "--jobs 1: %.0f subjects/s", one) + runs, ratio: ratio, target: "≥ 1.80x", pass: ratio >= 1.8)
    return ["jobs1": round2(one), "jobs2": round2(two), "ratio": round2(ratio),
            "jobs1Mean": round2(rates[1]!.reduce(0, +) / Double(rates[1]!.count)), "jobs2Mean": round2(rates[2]!.reduce(0, +) / Double(rates[2]!.count))]
}
