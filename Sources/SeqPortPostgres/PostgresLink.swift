import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore

/// One connection to the server, driven synchronously: every call waits on a future of a private
/// one-thread event loop, never on that loop's own thread.
///
/// A lost connection is reported as `store.connection`; the next call connects again.
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
        nextID += 1
        do {
            let c = try PostgresConnection.connect(on: group.next(), configuration: config, id: nextID, logger: logger).wait()
            connection = c
            if readOnly {
                _ = try c.query(PostgresQuery(unsafeSQL: "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"), logger: logger).wait()
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
            throw SeqPortError(.storeConnection, "cannot set up TLS for \(location.redacted): \(error)")
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
            return try c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            if c.isClosed { connection = nil }
            throw PostgresErrors.translate(error, doing: doing, connecting: false)
        }
    }

    /// Whether the connection is still open (after an error, a transaction may need no rollback).
    var isOpen: Bool { connection.map { !$0.isClosed } ?? false }
}
