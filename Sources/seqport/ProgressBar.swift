#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortPipeline

/// A one-line progress bar on stderr, redrawn in place at most five times a second:
/// `[#########---------]  450/1000  45%  81.2/s  ETA 0:07  2 failed`.
final class ProgressBar {
    private var lastDraw = Date.distantPast
    private var last: BatchProgress?
    private let width = 28

    /// Redraws if 0.2 s have passed since the last drawing.
    func update(_ progress: BatchProgress) {
        last = progress
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        draw(progress)
    }

    /// Draws the final state and ends the line.
    func finish() {
        if let last { draw(last) }
        StandardStreams.err("\n")
    }

    private func draw(_ p: BatchProgress) {
        StandardStreams.err("\r" + Self.text(p, width: width) + "\u{1B}[K")
    }

    /// The bar's text (without the carriage return).
    static func text(_ p: BatchProgress, width: Int) -> String {
        let fraction = p.total > 0 ? Double(p.done) / Double(p.total) : 1
        let filled = min(width, Int(fraction * Double(width)))
        let rate = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
        let eta = rate > 0 ? Self.duration(Double(p.total - p.done) / rate) : "--:--"
        var text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        text += " \(p.done)/\(p.total) " + String(format: "%3d%%  %.1f/s", Int(fraction * 100), rate) + "  ETA \(eta)"
        if p.failed > 0 { text += "  \(p.failed) failed" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
