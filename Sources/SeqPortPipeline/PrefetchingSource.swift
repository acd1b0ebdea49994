import Foundation
import SeqPortModel

/// Reads a `ByteSource` on a thread of its own, a few pieces ahead, so that inflating and hashing an
/// entry (`DigestingSource` over a ZIP entry) runs beside the parser that consumes it. Verify gives every
/// copy one: with the XML copy's parser on a thread of its own too, the work of the three copies spreads
/// over both cores instead of waiting on the slowest thread.
///
/// The bytes the caller reads are the wrapped source's, in order, then its end or its error. At most
/// `maxPieces` pieces of `pieceSize` bytes wait. `close()` stops the thread and waits for it (also on
/// `deinit`); after it the wrapped source is the caller's again, positioned after the last piece read.
final class PrefetchingSource: ByteSource {
    private var base: any ByteSource   // the thread's until `close()` joined it
    private let pieceSize: Int
    private let maxPieces: Int

    private let condition = NSCondition()
    private var ready: [[UInt8]] = []
    /// Pieces the caller has read, for the thread to fill again (no allocation per piece).
    private var spare: [[UInt8]] = []
    private var ended = false
    private var failure: Error?
    private var cancelled = false
    private var thread: pthread_t?

    private var current: [UInt8] = []
    private var position = 0

    init(_ base: any ByteSource, pieceSize: Int = 64 << 10, maxPieces: Int = 8) {
        self.base = base
        self.pieceSize = max(4096, pieceSize)
        self.maxPieces = max(1, maxPieces)
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { raw in
            let me = Unmanaged<PrefetchingSource>.fromOpaque(raw!).takeRetainedValue()
            me.run()
            return nil
        }, box) == 0 {
            self.thread = thread
        } else {
            Unmanaged<PrefetchingSource>.fromOpaque(box).release()
            ended = true
            failure = SeqPortError(.internalError, "cannot start a reading thread")
        }
    }

    deinit { close() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if position == current.count {
            condition.lock()
            while ready.isEmpty && !ended { condition.wait() }
            if ready.isEmpty {
                let error = failure
                condition.unlock()
                if let error { throw error }
                return 0
            }
            let used = current
            current = ready.removeFirst()
            if used.count == pieceSize { spare.append(used) }
            position = 0
            condition.broadcast()
            condition.unlock()
        }
        let n = min(buffer.count, current.count - position)
        current.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }

    /// Stops the thread (after the piece it is reading) and waits for it. Idempotent.
    func close() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    private func run() {
        while true {
            condition.lock()
            var piece = spare.popLast() ?? []
            condition.unlock()
            if piece.count != pieceSize {
                piece = [UInt8](unsafeUninitializedCapacity: pieceSize) { _, count in count = pieceSize }
            }
            var n = 0
            var error: Error?
            do {
                // Fill the piece (a source may return less than asked) so the queue holds few, full pieces.
                while n < pieceSize {
                    let got = try piece.withUnsafeMutableBytes { try base.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[n...])) }
                    if got == 0 { break }
                    n += got
                }
            } catch let e { error = e }
            let end = n < pieceSize
            piece.removeLast(pieceSize - n)
            condition.lock()
            while ready.count >= maxPieces && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                return
            }
            if !piece.isEmpty { ready.append(piece) }
            if end {
                ended = true
                failure = error
            }
            condition.broadcast()
            condition.unlock()
            if end { return }
        }
    }
}
