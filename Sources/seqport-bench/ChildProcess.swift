#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What one child process cost: wall time, CPU time and its own peak resident set.
struct ChildRun {
    var status: Int32
    var seconds: Double
    var userSeconds: Double
    var systemSeconds: Double
    /// Peak RSS of this child alone, in bytes: its VmHWM polled every 10 ms (`ru_maxrss` as a fallback).
    var peakRSS: Int
    var stdout: String
    var stderr: String

    /// CPU time over wall time: 1.0 is one core busy, 2.0 two.
    var cpuShare: Double { (userSeconds + systemSeconds) / max(seconds, 1e-9) }
}

/// Runs `arguments[0]` with `arguments[1...]`, waits with `wait4` so the peak RSS is this child's alone
/// (`RUSAGE_CHILDREN` would be the maximum over every child waited for so far).
func runChild(_ arguments: [String], in directory: String? = nil) throws -> ChildRun {
    let outPath = NSTemporaryDirectory() + "seqport-bench-\(getpid())-out.txt"
    let errPath = NSTemporaryDirectory() + "seqport-bench-\(getpid())-err.txt"
    defer { unlink(outPath); unlink(errPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let cwd = FileManager.default.currentDirectoryPath
    if let directory { FileManager.default.changeCurrentDirectoryPath(directory) }
    let start = Date()
    let status = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    if directory != nil { FileManager.default.changeCurrentDirectoryPath(cwd) }
    guard status == 0 else { throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
    // ru_maxrss is not enough: posix_spawn runs the child in the parent's memory until exec, and Linux
    // carries that high-water mark over exec, so a big parent inflates it. VmHWM in /proc belongs to
    // the child's own address space: poll it until the child exits and keep the larger reading.
    var waitStatus: Int32 = 0
    var usage = rusage()
    var hwm = 0
    while true {
        let r = wait4(pid, &waitStatus, WNOHANG, &usage)
        if r == pid { break }
        if r < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
            continue
        }
        hwm = max(hwm, vmHWM(pid))
        usleep(10_000)
    }
    let seconds = Date().timeIntervalSince(start)
    func secs(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    let exited = (waitStatus & 0x7f) == 0
    return ChildRun(
        status: exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f),
        seconds: seconds, userSeconds: secs(usage.ru_utime), systemSeconds: secs(usage.ru_stime),
        peakRSS: hwm > 0 ? hwm : Int(usage.ru_maxrss) * 1024,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Seconds spent in `body`, on the monotonic clock.
func timed(_ body: () throws -> Void) rethrows -> Double {
    var a = timespec(), b = timespec()
    clock_gettime(CLOCK_MONOTONIC, &a)
    try body()
    clock_gettime(CLOCK_MONOTONIC, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
}

/// CPU seconds this thread spent in `body` (robust to other load on the machine).
func threadCPU(_ body: () throws -> Void) rethrows -> Double {
    var a = timespec(), b = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
    try body()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
}

/// The high-water resident set of a live process (`VmHWM` in /proc/<pid>/status), in bytes; 0 if unknown.
func vmHWM(_ pid: pid_t) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kib * 1024
}
