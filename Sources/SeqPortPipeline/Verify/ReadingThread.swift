import Foundation

/// An object whose `run()` a thread of its own calls (`ReadingThread`).
protocol ThreadRunning: AnyObject {
    func run()
}

/// Starting and stopping the pthread a reading helper (`PrefetchingReader`, `BatchReadAhead`) reads on:
/// the thread holds a reference to its object while `run()` runs, so the object lives until the thread
/// has finished with it.
enum ReadingThread {
    /// Starts a thread that calls `body.run()`; nil when none can be started.
    static func start(_ body: some ThreadRunning) -> pthread_t? {
        let box = Unmanaged.passRetained(body as AnyObject).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { raw in
            let me = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue()
            (me as? any ThreadRunning)?.run()
            return nil
        }, box) == 0 else {
            Unmanaged<AnyObject>.fromOpaque(box).release()
            return nil
        }
        return thread
    }

    /// Tells the thread to stop (`cancel`, under `condition`, which is then broadcast so a waiting thread
    /// sees it), waits for it to end and forgets it. Idempotent.
    static func stop(_ thread: inout pthread_t?, under condition: NSCondition, cancel: () -> Void) {
        condition.lock()
        cancel()
        condition.broadcast()
        condition.unlock()
        if let running = thread {
            finish(running)
            thread = nil
        }
    }

    /// Waits for `thread` to end. When called on the thread itself (the object's `deinit` ran there, as
    /// the thread held the last reference) it detaches it instead: joining itself would fail and leak it.
    static func finish(_ thread: pthread_t) {
        if pthread_equal(thread, pthread_self()) != 0 { pthread_detach(thread) } else { pthread_join(thread, nil) }
    }
}
