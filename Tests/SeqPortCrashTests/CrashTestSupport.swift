#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortTestSupport
import XCTest

/// The default configuration file.
let configPath = packageRoot + "/Samples/seqport.json"

/// The seed of every delay these tests choose: fixed, so a run is repeatable; `SEQPORT_TEST_SEED=n`
/// replays another (each test prints the one it used).
let crashSeed: UInt64 = ProcessInfo.processInfo.environment["SEQPORT_TEST_SEED"].flatMap { UInt64($0) } ?? 0x5EC_0DE_C0A5

/// A fresh temporary folder, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    try SeqPortTestSupport.temporaryDirectory(test, prefix: "seqport-crash-test-")
}

/// A started process whose output goes to files (so a pipe never fills up and blocks it, and a killed
/// process leaves what it wrote).
struct Started {
    let process: Process
    let stdoutPath: String
    let stderrPath: String

    init(_ executable: String, _ arguments: [String], in dir: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let id = UUID().uuidString
        stdoutPath = dir + "/.stdout-" + id
        stderrPath = dir + "/.stderr-" + id
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// `seqport` with these arguments.
    init(seqport arguments: [String], in dir: String) throws {
        try self.init(try seqportExecutable(), arguments, in: dir)
    }

    var isRunning: Bool { process.isRunning }

    /// Sends a signal; true when the process was still running to receive it.
    @discardableResult
    func signal(_ number: Int32) -> Bool {
        guard process.isRunning else { return false }
        return kill(process.processIdentifier, number) == 0
    }

    /// Waits for the end: the status (128 + the signal when one ended it), whether a signal did, and
    /// the output.
    func finish() -> (status: Int32, signaled: Bool, stdout: String, stderr: String) {
        process.waitUntilExit()
        let signaled = process.terminationReason == .uncaughtSignal
        let status = signaled ? 128 + process.terminationStatus : process.terminationStatus
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        defer { try? FileManager.default.removeItem(atPath: stdoutPath); try? FileManager.default.removeItem(atPath: stderrPath) }
        return (status, signaled, read(stdoutPath), read(stderrPath))
    }
}

/// Runs `seqport` to the end.
@discardableResult
func seqport(_ arguments: [String], in dir: String) throws -> (status: Int32, signaled: Bool, stdout: String, stderr: String) {
    try Started(seqport: arguments, in: dir).finish()
}

/// Runs a Python snippet (SQLite and ZIP surgery independent of seqport); skips without python3.
@discardableResult
func python(_ script: String, _ arguments: [String] = [], in dir: String) throws -> String {
    guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:))
        ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile(atPath:))
    else { throw TestTools.missing("python3 is needed to edit SQLite stores and ZIP files in this test") }
    let run = try Started(python, ["-c", script] + arguments, in: dir).finish()
    guard run.status == 0 else { throw NSError(domain: "python", code: Int(run.status), userInfo: [NSLocalizedDescriptionKey: run.stderr]) }
    return run.stdout
}

/// Waits until `condition` holds, polling every 2 ms; false when `process` ended first or after `timeout`.
/// The hook the tests wait on before a signal, so the signal lands while the work it interrupts is under way.
func waitFor(_ process: Started, timeout: TimeInterval = 120, until condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        if !process.isRunning { return condition() }
        usleep(2_000)
    }
    return false
}

/// The names in `dir` (none when it does not exist yet).
func names(in dir: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
}

/// A delay of `range` seconds drawn from `generator`, in microseconds for `usleep`.
func microseconds(_ range: ClosedRange<Double>, _ generator: inout SeededGenerator) -> UInt32 {
    UInt32(Double.random(in: range, using: &generator) * 1_000_000)
}
