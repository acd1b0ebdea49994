#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SeqPortArchive

/// Catches SIGINT and SIGTERM for every command (installed once, in `SeqPort.main()`).
///
/// By default a signal removes the partial files of this run (`AtomicFile.removeAllPartialFiles()`)
/// and exits with 128 + the signal: a killed export or convert leaves nothing behind. While a batch
/// runs (`onInterrupt` set), the first signal asks it to stop taking subjects (running ones finish,
/// the summary is written); a second one removes the partial files and exits at once.
// @unchecked Sendable: `signal` and `handler` only under `lock`; `sources` is written once by `install()`, before any signal.
final class InterruptTrap: @unchecked Sendable {
    static let shared = InterruptTrap()

    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signal: Int32?
    private var handler: (@Sendable () -> Void)?

    private init() {}

    /// Starts catching the signals; call once, before a command runs.
    func install() {
        for number in [SIGINT, SIGTERM] {
            ignore(number)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in self.handle(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// What the first signal does instead of exiting (a batch's cancel); nil to restore the default.
    var onInterrupt: (@Sendable () -> Void)? {
        get { lock.lock(); defer { lock.unlock() }; return handler }
        set { lock.lock(); defer { lock.unlock() }; handler = newValue }
    }

    /// The first signal received, if any.
    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }

    private func handle(_ number: Int32) {
        lock.lock()
        let first = signal == nil
        if first { signal = number }
        let handler = self.handler
        lock.unlock()
        if first, let handler {
            StandardStreams.err("\nseqport: interrupted; finishing the subjects in progress (again to stop now)\n")
            handler()
            return
        }
        AtomicFile.removeAllPartialFiles()
        _exit(128 + number)
    }
}

/// Stops the default action of a signal, so only the dispatch source sees it.
private func ignore(_ number: Int32) { _ = signal(number, SIG_IGN) }
