#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import SeqPortPipeline

/// How a batch reports progress on stderr (`Specs/batch.md#progress-and-logs`).
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--log-format`, `--quiet`, `--progress-interval`: the batch's progress on stderr.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Batch progress on stderr: text, or json (JSON Lines).")
    var logFormat: LogFormat = .text

    @Flag(help: "Batch: no progress on stderr (errors and the summary on stdout still appear).")
    var quiet = false

    @Option(name: .customLong("progress-interval"), help: ArgumentHelp("Batch: seconds between progress lines when stderr is not a terminal.", valueName: "seconds"))
    var progressInterval: Double = 10

    func validate() throws {
        guard progressInterval >= 0.1, progressInterval <= 86_400 else { throw ValidationError("--progress-interval must be 0.1 to 86400 seconds") }
    }
}

/// Progress of a batch: the in-place bar on a terminal, else one line every `interval` seconds
/// (text or JSON Lines) and a final one, so `kubectl logs` and CI logs show a long batch moving.
final class BatchLog {
    private enum Mode { case bar(ProgressBar), lines(LogFormat), silent }
    private let mode: Mode
    private let interval: TimeInterval
    private var lastLine = Date()
    private var last: BatchProgress?

    init(_ options: LogOptions, stderrIsTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        interval = options.progressInterval
        if options.quiet {
            mode = .silent
        } else if stderrIsTerminal && options.logFormat == .text {
            mode = .bar(ProgressBar())
        } else {
            mode = .lines(options.logFormat)
        }
    }

    /// Called about ten times a second by the batch.
    func update(_ progress: BatchProgress) {
        last = progress
        switch mode {
        case .bar(let bar): bar.update(progress)
        case .lines(let format):
            let now = Date()
            guard now.timeIntervalSince(lastLine) >= interval else { return }
            lastLine = now
            StandardStreams.err(Self.line(progress, event: "progress", format: format) + "\n")
        case .silent: break
        }
    }

    /// The final state: the bar's last drawing, or a `finished` line.
    func finish() {
        switch mode {
        case .bar(let bar): bar.finish()
        case .lines(let format):
            if let last { StandardStreams.err(Self.line(last, event: "finished", format: format) + "\n") }
        case .silent: break
        }
    }

    /// One log line. Text: `seqport: progress 450/1000 (45%), exported 440, skipped 8, failed 2,
    /// 90.0 subjects/s, eta 0:06`. JSON: the same as an object with stable field names.
    static func line(_ p: BatchProgress, event: String, format: LogFormat) -> String {
        let rate = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
        let remaining = rate > 0 ? Double(p.total - p.done) / rate : nil
        let percent = p.total > 0 ? p.done * 100 / p.total : 100
        switch format {
        case .text:
            let eta = remaining.map(ProgressBar.duration) ?? "--:--"
            return "seqport: \(event) \(p.done)/\(p.total) (\(percent)%), exported \(p.exported), skipped \(p.skipped), failed \(p.failed), "
                + String(format: "%.1f subjects/s", rate) + (event == "finished" ? String(format: ", %.1f s", p.elapsed) : ", eta \(eta)")
        case .json:
            func number(_ x: Double) -> String { String(format: "%.1f", x) }
            var fields = [
                "\"event\":\"\(event)\"", "\"done\":\(p.done)", "\"total\":\(p.total)", "\"exported\":\(p.exported)",
                "\"skipped\":\(p.skipped)", "\"failed\":\(p.failed)", "\"subjectsPerSecond\":\(number(rate))",
                "\"elapsedSeconds\":\(number(p.elapsed))",
            ]
            fields.append("\"etaSeconds\":" + (remaining.map { "\(Int($0.rounded()))" } ?? "null"))
            return "{" + fields.joined(separator: ",") + "}"
        }
    }
}
