import Foundation
import SeqPortModel
import SeqPortStore
import SeqPortStoreConformance
import XCTest
@testable import SeqPortPostgres

/// The PostgreSQL server the tests use: `SEQPORT_TEST_POSTGRES_URL` (with `PGPASSWORD` or a password
/// file as usual). Without it the tests are skipped and say why, unless
/// `SEQPORT_TEST_POSTGRES_REQUIRED=1` (CI), where a missing server fails them.
enum PostgresTestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let urlVariable = "SEQPORT_TEST_POSTGRES_URL"
    static let requiredVariable = "SEQPORT_TEST_POSTGRES_REQUIRED"
    static let rootCertificateVariable = "SEQPORT_TEST_POSTGRES_ROOTCERT"

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String { "\(urlVariable) is not set but \(requiredVariable)=1: the PostgreSQL tests must run (.ci/run starts a server)" }
    }

    /// The server's location, or XCTSkip when none is configured (a failure when one is required).
    static func base() throws -> PostgresLocation {
        guard let url = environment[urlVariable], !url.isEmpty else {
            if environment[requiredVariable] == "1" { throw NotConfigured() }
            throw XCTSkip("no PostgreSQL server: set \(urlVariable)=postgres://user@127.0.0.1:5432/postgres (password in PGPASSWORD) to run the PostgreSQL store tests; .ci/run starts one")
        }
        return try PostgresLocation(url: url)
    }

    static var rootCertificate: String? { environment[rootCertificateVariable].flatMap { $0.isEmpty ? nil : $0 } }

    /// A new, empty database for one test, dropped (connections and all) when the test ends.
    static func freshDatabase(_ test: XCTestCase) throws -> PostgresLocation {
        var location = try base()
        let admin = try PostgresStore(location: location, schema: StoreConformance.schema)
        let name = "seqport_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try admin.link.run("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'", doing: "create a test database")
        test.addTeardownBlock {
            _ = try? admin.link.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", doing: "drop a test database")
            admin.close()
        }
        location.database = String(name)
        return location
    }

    /// Runs one statement on a store's own connection.
    static func execute(_ store: any Store, _ sql: String) throws {
        try (store as! PostgresStore).link.run(sql, doing: "run a test statement")
    }

    /// The server process id of a store's connection.
    static func backendPID(_ store: PostgresStore) throws -> Int64 {
        try store.link.run("SELECT pg_backend_pid()::bigint", doing: "test").rows[0].makeRandomAccess()[0].decode(Int64.self)
    }

    /// Ends another connection from outside, as a failover or a DBA would.
    static func terminate(_ pid: Int64) throws {
        let admin = try PostgresStore(location: try base(), schema: StoreConformance.schema)
        defer { admin.close() }
        try admin.link.run("SELECT pg_terminate_backend(\(pid))", doing: "terminate a test connection")
    }
}
