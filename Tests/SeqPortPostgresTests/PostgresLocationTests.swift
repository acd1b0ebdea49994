import Foundation
import SeqPortModel
import SeqPortStore
import XCTest
@testable import SeqPortPostgres
import PostgresNIO

/// URL, environment and password-file rules (no server needed).
final class PostgresLocationTests: XCTestCase {
    let env = ["HOME": "/nonexistent", "USER": "alice"]

    func testAFullURLIsRead() throws {
        let l = try PostgresLocation(url: "postgres://seqport@db.example.org:6543/crm?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3", environment: env)
        XCTAssertEqual(l.user, "seqport")
        XCTAssertEqual(l.host, "db.example.org")
        XCTAssertEqual(l.port, 6543)
        XCTAssertEqual(l.database, "crm")
        XCTAssertEqual(l.tls, .verifyFull)
        XCTAssertEqual(l.rootCertificatePath, "/etc/ca.pem")
        XCTAssertEqual(l.connectTimeout, 3)
        XCTAssertNil(l.password)
        XCTAssertEqual(l.redacted, "postgres://seqport@db.example.org:6543/crm")
    }

    func testMissingPartsComeFromTheEnvironmentThenLibpqDefaults() throws {
        let fromEnv = try PostgresLocation(url: "postgres://", environment: env.merging(
            ["PGHOST": "pg.internal", "PGPORT": "5433", "PGUSER": "bob", "PGDATABASE": "crm", "PGSSLMODE": "require", "PGPASSWORD": "s3cret"]) { $1 })
        XCTAssertEqual([fromEnv.host, String(fromEnv.port), fromEnv.user, fromEnv.database], ["pg.internal", "5433", "bob", "crm"])
        XCTAssertEqual(fromEnv.tls, .require)
        XCTAssertEqual(fromEnv.password, "s3cret")
        let defaults = try PostgresLocation(url: "postgresql://", environment: env)
        XCTAssertEqual([defaults.host, String(defaults.port), defaults.user, defaults.database], ["localhost", "5432", "alice", "alice"])
        XCTAssertEqual(defaults.tls, .prefer)
        let urlWins = try PostgresLocation(url: "postgres://carol@h1:1/d1", environment: ["PGHOST": "h2", "PGUSER": "dave", "PGPORT": "2", "PGDATABASE": "d2"])
        XCTAssertEqual([urlWins.host, String(urlWins.port), urlWins.user, urlWins.database], ["h1", "1", "carol", "d1"])
    }

    func testAPasswordInTheURLIsRefused() {
        for url in ["postgres://seqport:hunter2@localhost/db", "postgres://seqport@localhost/db?password=hunter2", "postgres://seqport:@localhost/db",
                    "postgres://seqport%3Ahunter2@localhost/db", "postgres://localhost/db?user=seqport%3Ahunter2", "postgres://localhost/db?user=seqport:hunter2"] {
            XCTAssertThrowsError(try PostgresLocation(url: url, environment: env), url) { error in
                let e = error as? SeqPortError
                XCTAssertEqual(e?.code, .storeURL)
                XCTAssertTrue(e?.message.contains("PGPASSWORD") ?? false)
                XCTAssertFalse("\(error)".contains("hunter2"), "the password is not echoed")
            }
        }
    }

    func testBadURLsAreRefusedWithStoreURL() {
        for url in ["postgres://h/db?sslmode=sometimes", "postgres://h:99999/db", "postgres://h:x/db", "postgres://h/db?options=-c%20x", "mysql://h/db",
                    "postgres://[::1/db", "postgres://h/d%ZZb"] {
            XCTAssertThrowsError(try PostgresLocation(url: url, environment: env), url) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, .storeURL, "\(url): \(error)")
            }
        }
    }

    func testIPv6HostsSocketsAndEscapes() throws {
        let v6 = try PostgresLocation(url: "postgres://u@[::1]:5000/my%20db", environment: env)
        XCTAssertEqual(v6.host, "::1")
        XCTAssertEqual(v6.port, 5000)
        XCTAssertEqual(v6.database, "my db")
        XCTAssertEqual(v6.redacted, "postgres://u@[::1]:5000/my db")
        let socket = try PostgresLocation(url: "postgres:///crm?host=/var/run/postgresql", environment: env)
        XCTAssertEqual(socket.unixSocketPath, "/var/run/postgresql/.s.PGSQL.5432")
        XCTAssertNil(v6.unixSocketPath)
    }

    func testThePasswordFileIsUsedOnlyWhenPrivate() throws {
        let dir = NSTemporaryDirectory() + "seqport-pgpass-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/pgpass"
        try """
            # comment
            other:5432:*:u:wrong
            db.example.org:5432:crm:u:pa\\:ss\\\\word
            *:*:*:u:fallback

            """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let e = ["PGPASSFILE": file, "USER": "u"]
        XCTAssertEqual(try PostgresLocation(url: "postgres://u@db.example.org/crm", environment: e).password, "pa:ss\\word")
        XCTAssertEqual(try PostgresLocation(url: "postgres://u@elsewhere/crm", environment: e).password, "fallback")
        XCTAssertEqual(try PostgresLocation(url: "postgres://u@db.example.org/crm", environment: e.merging(["PGPASSWORD": "env"]) { $1 }).password, "env",
                       "PGPASSWORD comes first, as in libpq")
        chmod(file, 0o644)
        XCTAssertNil(try PostgresLocation(url: "postgres://u@db.example.org/crm", environment: e).password, "a file others can read is ignored")
    }

    func testServerErrorsMapToStoreCodes() {
        XCTAssertEqual(PostgresErrors.server(sqlState: "40001", message: "could not serialize", doing: "write").code, .storeConflict)
        XCTAssertEqual(PostgresErrors.server(sqlState: "40P01", message: "deadlock detected", doing: "write").code, .storeConflict)
        XCTAssertEqual(PostgresErrors.server(sqlState: "23505", message: "duplicate key", doing: "write").code, .storeConflict)
        XCTAssertEqual(PostgresErrors.server(sqlState: "3D000", message: "database \"x\" does not exist", doing: "connect").code, .storeMissing)
        XCTAssertEqual(PostgresErrors.server(sqlState: "57P01", message: "terminating connection", doing: "read").code, .storeConnection)
        XCTAssertEqual(PostgresErrors.server(sqlState: "28P01", message: "password authentication failed", doing: "connect").code, .storeConnection)
        XCTAssertEqual(PostgresErrors.server(sqlState: "42P01", message: "relation \"things\" does not exist", doing: "read").code, .storeQuery)
        let valueError = PostgresErrors.server(sqlState: "22P02", message: "invalid input syntax for type bigint: \"alice@example.com\"", doing: "write")
        XCTAssertEqual(valueError.code, .storeQuery)
        XCTAssertFalse(valueError.message.contains("alice"), "messages that quote values are not passed on")
        XCTAssertEqual(SeqPortError.Code.storeConflict.rawValue, "store.conflict")
    }

    // MARK: Timeouts

    func testTimeoutsHaveDefaultsAndURLParameters() throws {
        let defaults = try PostgresLocation(url: "postgres://u@h/d", environment: env)
        XCTAssertEqual(defaults.connectTimeout, 10)
        XCTAssertEqual(defaults.statementTimeout, 60)
        XCTAssertEqual(defaults.readTimeout, 90, "30 s more than statement_timeout, so the server's own cancellation comes first")
        let given = try PostgresLocation(url: "postgres://u@h/d?statement_timeout=5&read_timeout=7", environment: env)
        XCTAssertEqual([given.statementTimeout, given.readTimeout], [5, 7])
        let derived = try PostgresLocation(url: "postgres://u@h/d?statement_timeout=600", environment: env)
        XCTAssertEqual(derived.readTimeout, 630)
        let unlimited = try PostgresLocation(url: "postgres://u@h/d?statement_timeout=0", environment: env)
        XCTAssertEqual([unlimited.statementTimeout, unlimited.readTimeout], [0, 0], "no server limit and no client limit unless read_timeout is given")
        for bad in ["statement_timeout=-1", "statement_timeout=1m", "read_timeout=86401", "read_timeout="] where !bad.hasSuffix("=") {
            XCTAssertThrowsError(try PostgresLocation(url: "postgres://u@h/d?\(bad)", environment: env), bad) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, .storeURL, "\(error)")
                XCTAssertTrue((error as? SeqPortError)?.message.contains("whole number of seconds") ?? false, "\(error)")
            }
        }
    }

    // MARK: Messages in words

    /// A library's type or case name in a message: `authMechanismRequiresPassword`, `PSQLError`, `NIOSSLError`, `connectTimeout(…)`.
    static func internalName(in message: String) -> String? {
        for token in message.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }) {
            let t = String(token)
            if t == "PostgreSQL" { continue }
            if t.hasPrefix("PSQL") || t.hasPrefix("NIO") || t.hasPrefix("BoringSSL") || t.hasSuffix("Error") { return t }
            // camelCase: a lowercase letter followed by an uppercase one (sslmode, PGPASSWORD are fine).
            let scalars = Array(t.unicodeScalars)
            for i in 1..<max(1, scalars.count) where CharacterSet.lowercaseLetters.contains(scalars[i - 1]) && CharacterSet.uppercaseLetters.contains(scalars[i]) {
                return t
            }
        }
        return nil
    }

    static let everyCode: [PSQLError.Code] = [
        .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest, .server, .messageDecodingFailure,
        .unexpectedBackendMessage, .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError, .invalidCommandTag,
        .queryCancelled, .tooManyParameters, .clientClosedConnection, .serverClosedConnection, .connectionError, .uncleanShutdown,
        .poolClosed, .listenFailed, .unlistenFailed,
    ]

    func testEveryPostgresNIOErrorKindIsPutInPlainWords() {
        var seen = Set<String>()
        for code in Self.everyCode {
            let words = PostgresErrors.words(for: code)
            XCTAssertNil(Self.internalName(in: words), "\(code): \(words)")
            let name = String(describing: code)
            XCTAssertTrue(!name.contains(where: \.isUppercase) || !words.contains(name), "\(code): \(words)")
            XCTAssertNotEqual(words, "unexpected client error", "\(code) has its own words")
            seen.insert(words)
        }
        XCTAssertGreaterThan(seen.count, 15, "the kinds are told apart")
        XCTAssertNil(Self.internalName(in: "seqport: store.connection: cannot connect to postgres://u@h:5432/d: timed out (connect_timeout)"),
                     "the check lets seqport's own words through")
        XCTAssertEqual(Self.internalName(in: "authentication failed (authMechanismRequiresPassword)"), "authMechanismRequiresPassword")
    }

    func testNetworkAndTLSErrorsArePutInPlainWords() {
        let errors: [(any Error, String)] = [
            (IOError(errnoCode: ECONNREFUSED, reason: "connect"), "connection refused"),
            (IOError(errnoCode: ECONNRESET, reason: "read"), "connection reset"),
            (IOError(errnoCode: EHOSTUNREACH, reason: "connect"), "host unreachable"),
            (ChannelError.connectTimeout(.seconds(3)), "timed out"),
            (ChannelError.ioOnClosedChannel, "closed"),
            (ChannelError.eof, "closed"),
            (ChannelError.writeHostUnreachable, "network error"),
            (SocketAddressError.unsupported, "cannot use this address"),
            (NIOSSLError.handshakeFailed(.wantRead), "TLS handshake failed"),
            (NIOSSLError.failedToLoadCertificate, "TLS failed"),
            (NSError(domain: "SomeDomain", code: 7, userInfo: nil), "network error"),
        ]
        for (error, expected) in errors {
            let words = PostgresErrors.cause(of: error)
            XCTAssertTrue(words.contains(expected), "\(error): \(words)")
            XCTAssertNil(Self.internalName(in: words), "\(error): \(words)")
            let translated = PostgresErrors.translate(error, doing: "connect to postgres://u@h:5432/d", connecting: true)
            XCTAssertEqual((translated as? SeqPortError)?.code, .storeConnection, "\(error)")
            XCTAssertNil(Self.internalName(in: (translated as? SeqPortError)?.message ?? "?"), "\(translated)")
        }
    }

    func testAStatementTimeoutIsNamed() {
        let e = PostgresErrors.server(sqlState: "57014", message: "canceling statement due to statement timeout", doing: "read table things")
        XCTAssertEqual(e.code, .storeQuery)
        XCTAssertTrue(e.message.contains("statement_timeout"), e.message)
    }
}
