import CLibXML2
import SeqPortModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide libxml2 set-up and the helpers every reader and writer shares.
///
/// libxml2 is initialised once (`xmlInitParser`), and a deny-all external entity loader is installed
/// once for the whole process: nothing this module parses (documents, XSDs) may load a DTD, an
/// external entity or an `xs:import` from a file or the network. No state is kept per document.
enum LibXML {
    /// The namespace of every seqport bundle element.
    static let namespace = "urn:seqport:bundle:1"
    /// The XML Schema instance namespace (`xsi:nil`).
    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    private static let initialized: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(denyExternalEntity)
    }()

    /// Initialises libxml2 once and silences its global error output on the calling thread
    /// (libxml2's error handlers are thread-local): errors reach us through structured handlers.
    static func prepare() {
        _ = initialized
        xmlSetStructuredErrorFunc(nil, ignoreError)
    }

    /// How many times libxml2 asked to load an external resource (always refused). For tests.
    static var externalLoadAttempts: Int { loadAttempts.value }
    private static let loadAttempts = AtomicCounter()

    private static let denyExternalEntity: xmlExternalEntityLoader = { _, _, _ in
        LibXML.loadAttempts.increment()
        return nil
    }

    private static let ignoreError: xmlStructuredErrorFunc = { _, _ in }

    /// Whether `name` is an XML name without a colon (an NCName), so it can be an element name.
    static func isNCName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.utf8.contains(0) else { return false }
        return name.withCString { p in
            p.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) { xmlValidateNCName($0, 0) == 0 }
        }
    }

    /// A Swift string from a libxml2 string, or "" for NULL.
    static func string(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }
}

/// A tiny lock-protected counter (Swift 5 mode, no Atomics dependency).
// @unchecked Sendable: `count` is read and written only under `lock`.
final class AtomicCounter: @unchecked Sendable {
    private var count = 0
    private let lock = Lock()
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// A pthread mutex.
// @unchecked Sendable: a pthread mutex is made to be shared; the pointer itself never changes.
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
    deinit { pthread_mutex_destroy(mutex); mutex.deallocate() }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
