#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortTestSupport
import XCTest

/// The default configuration file, passed to every command.
let configPath = packageRoot + "/Samples/seqport.json"

/// A fresh temporary folder, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    try SeqPortTestSupport.temporaryDirectory(test, prefix: "seqport-cli-test-")
}

/// A started `seqport` process whose output goes to files (so a pipe never fills up and blocks it).
struct SeqPortProcess {
    let process: Process
    let stdoutPath: String
    let stderrPath: String
    /// Whether stdout went to a file of this process's own (read back by `finish()`).
    let ownsStandardOutput: Bool

    /// - Parameter standardOutput: a file to write stdout to instead of a fresh one (`/dev/full`).
    init(_ arguments: [String], in dir: String, environment: [String: String] = [:], standardOutput: String? = nil,
         currentDirectory: String? = nil) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try seqportExecutable())
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let id = UUID().uuidString
        stdoutPath = standardOutput ?? dir + "/stdout-" + id
        stderrPath = dir + "/stderr-" + id
        ownsStandardOutput = standardOutput == nil
        if standardOutput == nil { FileManager.default.createFile(atPath: stdoutPath, contents: nil) }
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Sends a signal to the process.
    func signal(_ number: Int32) { _ = kill(process.processIdentifier, number) }

    /// Waits for the end; returns the status (128 + signal when killed by one), stdout and stderr.
    func finish() -> (status: Int32, stdout: String, stderr: String) {
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        let out = ownsStandardOutput ? FileManager.default.contents(atPath: stdoutPath) ?? Data() : Data()
        let err = FileManager.default.contents(atPath: stderrPath) ?? Data()
        return (status, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// Runs `seqport` to the end.
@discardableResult
func seqport(_ arguments: [String], in dir: String, environment: [String: String] = [:], standardOutput: String? = nil,
             currentDirectory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    try SeqPortProcess(arguments, in: dir, environment: environment, standardOutput: standardOutput, currentDirectory: currentDirectory).finish()
}
