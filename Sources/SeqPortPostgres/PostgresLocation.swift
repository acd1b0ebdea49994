import Foundation
import SeqPortModel
import SeqPortStore

/// Where and how to reach a PostgreSQL server: a `postgres://` URL completed by libpq's `PG*`
/// environment variables and password file (`Specs/stores.md`).
///
/// A password is never taken from the URL (it would land in shell history and process lists):
/// a URL with one is refused with `store.url`. It comes from `PGPASSWORD` or the password file
/// (`PGPASSFILE`, else `~/.pgpass`, used only when no group or other permission bits are set).
///
/// ```swift
/// let location = try PostgresLocation(url: "postgres://seqport@db.internal:5432/crm?sslmode=verify-full")
/// ```
public struct PostgresLocation: Hashable, Sendable {
    /// libpq's `sslmode`, reduced to what seqport does with each value.
    public enum TLSMode: String, Hashable, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// Like `prefer` (libpq tries without TLS first; seqport tries TLS first).
        case allow
        /// TLS if the server offers it, without verification; plain otherwise (libpq's default).
        case prefer
        /// TLS always, without verifying the certificate (libpq's `require`).
        case require
        /// TLS, the certificate chain verified, not the host name.
        case verifyCA = "verify-ca"
        /// TLS, chain and host name verified.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    public var tls: TLSMode
    /// A PEM file of trusted roots for `verify-ca` / `verify-full` (`sslrootcert`, `PGSSLROOTCERT`).
    public var rootCertificatePath: String?
    /// Seconds to wait for the connection, TLS and authentication included (`connect_timeout`,
    /// `PGCONNECT_TIMEOUT`); default 10.
    public var connectTimeout: Int
    /// Seconds the server may run one statement before it cancels it (`statement_timeout`, sent to the
    /// server as its `statement_timeout` setting); 0 for no limit; default 60.
    public var statementTimeout: Int
    /// Seconds seqport waits for the server's answer to one statement before it closes the connection
    /// (`read_timeout`; a frozen server or network then fails with `store.connection` instead of
    /// hanging); 0 for no limit; default `statementTimeout + 30`, or 0 when `statementTimeout` is 0.
    public var readTimeout: Int

    /// `statement_timeout` when the URL gives none.
    public static let defaultStatementTimeout = 60
    /// How much longer than `statement_timeout` seqport waits by default, so that a working server's
    /// own cancellation arrives first.
    public static let readTimeoutMargin = 30

    /// A host that starts with `/` is a directory holding the server's Unix socket.
    public var unixSocketPath: String? {
        host.hasPrefix("/") ? host + "/.s.PGSQL.\(port)" : nil
    }

    /// Parses `postgres://[user@][host][:port][/database][?param=value&…]` (also `postgresql://`),
    /// filling what the URL leaves out from `environment` (`PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`, `PGPASSWORD`, `PGPASSFILE`).
    ///
    /// Query parameters: `sslmode`, `sslrootcert`, `connect_timeout`, `statement_timeout`,
    /// `read_timeout`, `host`, `port`, `user`, `dbname`, `application_name` (ignored). Anything else,
    /// or a `password`, throws `store.url`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func fail(_ message: String) -> SeqPortError { SeqPortError(.storeURL, message) }
        var rest: Substring
        if url.hasPrefix("postgres://") {
            rest = url.dropFirst("postgres://".count)
        } else if url.hasPrefix("postgresql://") {
            rest = url.dropFirst("postgresql://".count)
        } else {
            throw fail("a PostgreSQL store URL starts with postgres:// or postgresql://")
        }
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userPart: Substring?
        if let at = rest.lastIndex(of: "@") {
            userPart = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        if let userPart, userPart.contains(":") {
            throw fail("the store URL contains a password; give it in PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass), never on the command line")
        }
        var hostPart = rest
        var portText: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw fail("the store URL has an unterminated [IPv6] host") }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw fail("the store URL's host is malformed") }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }

        var params: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0]) ?? ""
            let value = kv.count == 2 ? (Self.decode(kv[1]) ?? "") : ""
            switch key {
            case "password":
                throw fail("the store URL contains a password; give it in PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass), never on the command line")
            case "sslmode", "sslrootcert", "connect_timeout", "statement_timeout", "read_timeout", "host", "port", "user", "dbname",
                 "application_name":
                params[key] = value
            default:
                throw fail("unknown parameter \"\(key.prefix(40))\" in the store URL (known: sslmode, sslrootcert, connect_timeout, statement_timeout, read_timeout, host, port, user, dbname)")
            }
        }

        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let urlUser = userPart.flatMap { Self.decode($0) }
        let urlHost = Self.decode(hostPart)
        let urlDatabase = Self.decode(path)
        guard urlUser != nil || userPart == nil, urlHost != nil, urlDatabase != nil else {
            throw fail("the store URL has a malformed %-escape")
        }

        user = nonEmpty(params["user"]) ?? nonEmpty(urlUser) ?? nonEmpty(environment["PGUSER"]) ?? Self.currentUserName(environment)
        // A password smuggled in as a %-escaped ':' (seqport%3APW@host) or in ?user= would be printed back
        // in every message naming the store: refuse it like a plain one.
        if user.contains(":") {
            throw fail("the store URL contains a password; give it in PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass), never on the command line")
        }
        host = nonEmpty(params["host"]) ?? nonEmpty(urlHost) ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        database = nonEmpty(params["dbname"]) ?? nonEmpty(urlDatabase) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        let portString = nonEmpty(params["port"]) ?? portText.map(String.init).flatMap(nonEmpty) ?? nonEmpty(environment["PGPORT"]) ?? "5432"
        guard let port = Int(portString), (1...65535).contains(port) else { throw fail("the store URL's port must be a number from 1 to 65535") }
        self.port = port
        let mode = nonEmpty(params["sslmode"]) ?? nonEmpty(environment["PGSSLMODE"]) ?? "prefer"
        guard let tls = TLSMode(rawValue: mode) else {
            throw fail("unknown sslmode \"\(mode.prefix(20))\" (use disable, allow, prefer, require, verify-ca or verify-full)")
        }
        self.tls = tls
        rootCertificatePath = nonEmpty(params["sslrootcert"]) ?? nonEmpty(environment["PGSSLROOTCERT"])
        let timeout = nonEmpty(params["connect_timeout"]) ?? nonEmpty(environment["PGCONNECT_TIMEOUT"]) ?? "10"
        guard let seconds = Int(timeout), seconds >= 0 else { throw fail("connect_timeout must be a whole number of seconds") }
        connectTimeout = seconds == 0 ? 10 : max(2, seconds)
        func timeoutSeconds(_ name: String, default value: Int) throws -> Int {
            guard let text = nonEmpty(params[name]) else { return value }
            guard let n = Int(text), (0...86_400).contains(n) else {
                throw fail("\(name) must be a whole number of seconds from 0 (no limit) to 86400")
            }
            return n
        }
        statementTimeout = try timeoutSeconds("statement_timeout", default: Self.defaultStatementTimeout)
        readTimeout = try timeoutSeconds("read_timeout", default: statementTimeout == 0 ? 0 : statementTimeout + Self.readTimeoutMargin)
        password = nonEmpty(environment["PGPASSWORD"])
            ?? Self.passwordFromFile(environment: environment, host: host, port: port, database: database, user: user)
    }

    /// The location as text without secrets, for messages: `postgres://user@host:port/db`.
    public var redacted: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(h):\(port)/\(database)"
    }

    static func decode(_ s: Substring) -> String? { String(s).removingPercentEncoding }

    static func currentUserName(_ environment: [String: String]) -> String {
        if let u = environment["USER"], !u.isEmpty { return u }
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "postgres"
    }

    /// The password for this connection from a libpq password file, or nil.
    ///
    /// Each line is `host:port:database:user:password`; `*` matches anything; `\:` and `\\` escape.
    /// Like libpq, a file readable by group or others is ignored.
    static func passwordFromFile(environment: [String: String], host: String, port: Int, database: String, user: String) -> String? {
        let path: String
        if let p = environment["PGPASSFILE"], !p.isEmpty {
            path = p
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.pgpass"
        } else {
            return nil
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o077 == 0,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        let lookupHost = host.hasPrefix("/") ? "localhost" : host
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.hasPrefix("#") { continue }
            let fields = splitPassLine(line)
            guard fields.count == 5 else { continue }
            let wanted = [lookupHost, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    static func splitPassLine(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == ":" && fields.count < 4 { fields.append(current); current = ""; continue }
            current.append(ch)
        }
        fields.append(current)
        return fields
    }
}
