import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore

/// One connection to the server, driven synchronously: every call waits on a future of a private
/// one-thread event loop, never on that loop's own thread.
///
/// A lost connection is reported as `store.connection`; the next call connects again. So is a server
/// that does not answer a statement within `location.readTimeout` seconds: the connection is closed
/// (a frozen server, a dead network path without a reset) instead of waiting for ever.
final class PostgresLink {
    let location: PostgresLocation
    let readOnly: Bool
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var connection: PostgresConnection?
    private let logger: Logger = {
        var logger = Logger(label: "seqport.postgres")
        logger.logLevel = .critical
        return logger
    }()
    private var nextID = 0
    /// Set while a transaction is open: a lost connection must then fail, never silently reconnect
    /// (the rest of the transaction would run outside it).
    var inTransaction = false

    init(location: PostgresLocation, readOnly: Bool) throws {
        self.location = location
        self.readOnly = readOnly
        _ = try open()
    }

    deinit {
        close()
        try? group.syncShutdownGracefully()
    }

    func close() {
        if let c = connection { try? c.close().wait() }
        connection = nil
    }

    /// The open connection, connecting (again) when there is none.
    func open() throws -> PostgresConnection {
        if let c = connection, !c.isClosed { return c }
        connection = nil
        if inTransaction {
            throw SeqPortError(.storeConnection, "connection to PostgreSQL lost in the middle of a transaction; the server rolled it back")
        }
        var config: PostgresConnection.Configuration
        if let socket = location.unixSocketPath {
            config = .init(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
        } else {
            config = .init(host: location.host, port: location.port, username: location.user, password: location.password,
                           database: location.database, tls: try tls())
        }
        config.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        config.options.additionalStartupParameters = [("application_name", "seqport")]
        if location.statementTimeout > 0 {
            config.options.additionalStartupParameters.append(("statement_timeout", String(location.statementTimeout * 1000)))
        }
        nextID += 1
        do {
            let c = try PostgresConnection.connect(on: group.next(), configuration: config, id: nextID, logger: logger).wait()
            connection = c
            if readOnly {
                _ = try answer(c, c.query(PostgresQuery(unsafeSQL: "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"), logger: logger),
                               doing: "connect to \(location.redacted)")
            }
            return c
        } catch {
            throw PostgresErrors.translate(error, doing: "connect to \(location.redacted)", connecting: true)
        }
    }

    /// The TLS settings for `sslmode` (libpq's meanings: `require` encrypts without verifying).
    func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable: return .disable
        case .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = location.rootCertificatePath, location.tls == .verifyCA || location.tls == .verifyFull {
            tls.trustRoots = .file(root)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            let root = location.rootCertificatePath.map { " (is sslrootcert \($0) a readable PEM file?)" } ?? ""
            throw SeqPortError(.storeConnection, "cannot set up TLS for \(location.redacted): \(PostgresErrors.cause(of: error))\(root)")
        }
        switch location.tls {
        case .allow, .prefer: return .prefer(context)
        default: return .require(context)
        }
    }

    /// Runs one statement and collects its rows (callers keep result sets small: cursors fetch in pages).
    @discardableResult
    func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), doing: String) throws -> PostgresQueryResult {
        let c = try open()
        do {
            return try answer(c, c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger), doing: doing)
        } catch {
            if c.isClosed { connection = nil }
            throw PostgresErrors.translate(error, doing: doing, connecting: false)
        }
    }

    /// Waits for a statement's answer, at most `location.readTimeout` seconds (0: no limit); past that
    /// the connection is closed and the wait ends with `store.connection`.
    private func answer<T>(_ c: PostgresConnection, _ future: EventLoopFuture<T>, doing: String) throws -> T {
        let seconds = location.readTimeout
        guard seconds > 0 else { return try future.wait() }
        let expired = ExpiryFlag()
        let timer = c.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
            expired.set()
            let _: EventLoopFuture<Void> = c.close()
        }
        defer { timer.cancel() }
        do {
            return try future.wait()
        } catch {
            if expired.isSet {
                // The close the timer started may not have finished (`isClosed` still false): forget this
                // connection now, so the next call connects again instead of using the one being closed.
                if connection === c { connection = nil }
                throw SeqPortError(.storeConnection, "PostgreSQL did not answer within \(seconds) s while trying to \(doing) "
                    + "(read_timeout); the connection was closed")
            }
            throw error
        }
    }

    /// Whether the connection is still open (after an error, a transaction may need no rollback).
    var isOpen: Bool { connection.map { !$0.isClosed } ?? false }
}

/// Set once by a read timeout's timer on the event loop, read by the waiting thread.
// @unchecked Sendable: `value` is read and written only under `lock`.
private final class ExpiryFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
