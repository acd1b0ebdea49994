import ArgumentParser
import Foundation
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline

extension ExportCommand {
    /// `export --all` / `--subjects FILE`: the batch, its progress (a bar on a terminal, else log lines), a summary, an exit status.
    func runBatch(config: Configuration, location: String) throws {
        var options = BatchOptions()
        options.export = try exportOptions()
        options.jobs = jobCount
        options.shard = try Shard.resolve(shard: shard, shards: shards, environment: ProcessInfo.processInfo.environment)
        options.existing = ExistingBundleCheck(depth: verifyExisting ? .full : .quick)
        options.reportPath = report
        if encrypt {
            if ProcessInfo.processInfo.environment[PassphraseOptions.environmentVariable] != nil {
                throw SeqPortError(.usage, "a batch encrypts each subject with its own passphrase: unset \(PassphraseOptions.environmentVariable) and give --passphrases FILE, or none to generate them")
            }
            options.passphrases = try passphrases.map { .given(try BatchPassphrases.read(path: $0)) } ?? .generated
        }

        let batch = BatchExporter(storeLocation: location, configuration: config)
        let ids = try subjects.map(BatchExporter.readSubjectList) ?? batch.allSubjects()
        let trap = InterruptTrap.shared
        trap.onInterrupt = { batch.cancel() }
        defer { trap.onInterrupt = nil }
        let log = BatchLog(logOptions)
        let summary = try batch.run(subjects: ids, to: out, options: options, progress: { log.update($0) })
        log.finish()
        if case .generated = options.passphrases, summary.exported > 0, !logOptions.quiet {
            StandardStreams.err("seqport: each new bundle's passphrase is in <bundle>.passphrase beside it (mode 0600); deliver it separately from the bundle\n")
        }
        if json {
            try printJSON(summary)
        } else {
            try StandardStreams.line(TerminalText.escape(summary.line))
        }
        if let signal = trap.received { throw ExitCode(128 + signal) }
        if summary.failed > 0 {
            StandardStreams.err("seqport: \(summary.failed) subject(s) failed, see \(summary.report)\n")
            throw ExitCode(summary.exitStatus)
        }
    }
}

extension BatchSummary {
    /// One line for people: what happened, how fast, where the report is.
    var line: String {
        var parts = ["exported \(exported)", "skipped \(skipped)", "failed \(failed)"]
        if interrupted { parts.append("not started \(notStarted) (interrupted)") }
        let shardText = shard.map { " in shard \($0)" } ?? ""
        return "\(parts.joined(separator: ", ")) of \(total) subjects\(shardText) in "
            + String(format: "%.1f s (%.1f subjects/s)", seconds, subjectsPerSecond) + " into \(directory); report: \(report)"
    }
}
