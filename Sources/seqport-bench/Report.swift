import Foundation

/// One line of the printed table.
struct Row {
    var name: String
    var figure: String
    var baseline: String
    var ratio: String
    var target: String
    var verdict: String
}

/// The table and a one-line JSON summary of every figure (for CI and `Specs/benchmarks.md`).
struct Report {
    var rows: [Row] = []
    var summary: [String: Any] = [:]

    mutating func add(_ name: String, figure: String, baseline: String = "-", ratio: Double? = nil,
                      target: String = "-", pass: Bool? = nil) {
        rows.append(Row(name: name, figure: figure, baseline: baseline, ratio: ratio.map { String(format: "%.2fx", $0) } ?? "-",
                        target: target, verdict: pass.map { $0 ? "ok" : "MISS" } ?? "-"))
    }

    func print() {
        let header = Row(name: "case", figure: "figure", baseline: "baseline (same run, same bytes)", ratio: "ratio", target: "target", verdict: "verdict")
        let all = [header] + rows
        func width(_ k: KeyPath<Row, String>) -> Int { all.map { $0[keyPath: k].count }.max() ?? 0 }
        let w = [width(\.name), width(\.figure), width(\.baseline), width(\.ratio), width(\.target), width(\.verdict)]
        func line(_ r: Row) -> String {
            zip([r.name, r.figure, r.baseline, r.ratio, r.target, r.verdict], w)
                .map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        Swift.print(line(header))
        Swift.print(w.map { String(repeating: "-", count: $0) }.joined(separator: "-|-"))
        for r in rows { Swift.print(line(r)) }
        let data = (try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])) ?? Data("{}".utf8)
        Swift.print("JSON " + String(decoding: data, as: UTF8.self))
    }
}

func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1048576) }
func rate(_ mbps: Double) -> String { String(format: "%.1f MB/s", mbps) }
func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
