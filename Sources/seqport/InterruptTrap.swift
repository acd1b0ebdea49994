#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Catches SIGINT and SIGTERM while a batch runs: the first asks the batch to stop taking subjects
/// (running ones finish, the summary is written); a second one exits at once (partial files are
/// removed by the next run).
final class InterruptTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signal: Int32?

    init(onInterrupt: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            ignore(number)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in
                if self.record(number) {
                    FileHandle.standardError.write(Data("\nseqport: interrupted; finishing the subjects in progress (again to stop now)\n".utf8))
                    onInterrupt()
                } else {
                    _exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// The first signal received, if any.
    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }

    /// Records the signal; false when one was already received.
    private func record(_ number: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard signal == nil else { return false }
        signal = number
        return true
    }
}

/// Stops the default action of a signal, so only the dispatch source sees it.
private func ignore(_ number: Int32) { _ = signal(number, SIG_IGN) }
