import Foundation
import PostgresNIO
import SeqPortModel
import SeqPortStore

/// Maps postgres-nio and server errors to `store.*` codes, one line each.
///
/// Server messages are quoted only for SQLSTATE classes that name objects, not values (42 syntax
/// and missing tables or columns, 3D missing database, 28 authentication); for the others the
/// message says what failed and the SQLSTATE, since PostgreSQL quotes offending values there.
enum PostgresErrors {
    static func translate(_ error: any Error, doing: String, connecting: Bool) -> any Error {
        if error is SeqPortError { return error }
        if let psql = error as? PSQLError {
            if psql.code == .server, let info = psql.serverInfo {
                return server(sqlState: info[.sqlState] ?? "?????", message: info[.message] ?? "", doing: doing)
            }
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
                let cause = psql.underlying.map { ": \(Self.cause(of: $0))" } ?? ""
                return SeqPortError(.storeConnection, connecting
                    ? "cannot \(doing)\(cause)"
                    : "connection to PostgreSQL lost while trying to \(doing)\(cause)")
            case .sslUnsupported:
                return SeqPortError(.storeConnection, "cannot \(doing): the server does not offer TLS, which sslmode asks for")
            case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
                return SeqPortError(.storeConnection, "cannot \(doing): TLS setup failed")
            case .authMechanismRequiresPassword:
                return SeqPortError(.storeConnection, "cannot \(doing): the server asks for a password and none was given (set PGPASSWORD or use a password file)")
            case .unsupportedAuthMechanism, .saslError:
                return SeqPortError(.storeConnection, "cannot \(doing): authentication failed (\(words(for: psql.code)); check the user and the password in PGPASSWORD or the password file)")
            default:
                return SeqPortError(connecting ? .storeConnection : .storeQuery, "PostgreSQL failed to \(doing) (\(words(for: psql.code)))")
            }
        }
        if error is PostgresDecodingError {
            return SeqPortError(.storeBadData, "PostgreSQL sent a value seqport cannot read while trying to \(doing)")
        }
        // NIO connect errors, TLS handshake errors: the connection never worked or broke.
        return SeqPortError(.storeConnection, "cannot \(doing): \(cause(of: error))")
    }

    /// A short cause for a network or TLS error, in words: never a library's type or case name.
    static func cause(of error: any Error) -> String {
        switch error {
        case let psql as PSQLError:
            if let underlying = psql.underlying { return cause(of: underlying) }
            return words(for: psql.code)
        case let io as IOError:
            return systemError(io.errnoCode)
        case let channel as ChannelError:
            switch channel {
            case .connectTimeout: return "timed out (connect_timeout)"
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed: return "the connection was closed"
            default: return "network error"
            }
        case let connection as NIOConnectionError:
            if let first = connection.connectionErrors.first { return cause(of: first.error) }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil { return "host name not found" }
            return "no address to connect to"
        case is SocketAddressError.UnknownHost:
            return "host name not found"
        case is SocketAddressError:
            return "cannot use this address"
        case let ssl as NIOSSLError:
            if case .handshakeFailed = ssl { return "TLS handshake failed (certificate not trusted or not for this host?)" }
            return "TLS failed"
        case is BoringSSLError, is NIOSSLExtraError:
            return "TLS failed"
        default:
            break
        }
        let text = String(describing: error)
        let known = [("Connection refused", "connection refused"), ("timed out", "timed out"), ("Timeout", "timed out"),
                     ("No such file", "no server socket there"), ("Network is unreachable", "network unreachable"),
                     ("handshakeFailed", "TLS handshake failed (certificate not trusted or not for this host?)"),
                     ("Connection reset", "connection reset")]
        for (needle, words) in known where text.contains(needle) { return words }
        return "network error"
    }

    /// An operating-system error number in words (`connection refused`).
    static func systemError(_ number: Int32) -> String {
        switch number {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset"
        case ETIMEDOUT: return "timed out"
        case ENETUNREACH: return "network unreachable"
        case EHOSTUNREACH: return "host unreachable"
        case ENOENT: return "no server socket there"
        case EACCES, EPERM: return "permission denied"
        case EPIPE: return "the connection was closed"
        default: return String(cString: strerror(number)).lowercased()
        }
    }

    /// What a postgres-nio error kind means, in words.
    static func words(for code: PSQLError.Code) -> String {
        switch code {
        case .sslUnsupported: return "the server does not offer TLS"
        case .failedToAddSSLHandler: return "TLS setup failed"
        case .receivedUnencryptedDataAfterSSLRequest: return "the server answered the TLS request without TLS"
        case .server: return "the server reported an error"
        case .messageDecodingFailure: return "the server sent a message seqport cannot read"
        case .unexpectedBackendMessage: return "the server sent an unexpected message"
        case .unsupportedAuthMechanism: return "the server asks for an authentication method seqport does not support"
        case .authMechanismRequiresPassword: return "the server asks for a password and none was given"
        case .saslError: return "the SCRAM password exchange failed"
        case .invalidCommandTag: return "the server sent an unexpected command tag"
        case .queryCancelled: return "the statement was canceled"
        case .tooManyParameters: return "a statement has too many parameters"
        case .clientClosedConnection: return "the connection was closed by seqport"
        case .serverClosedConnection: return "the server closed the connection"
        case .connectionError: return "network error"
        case .uncleanShutdown: return "the connection broke"
        case .poolClosed: return "the connection pool is closed"
        case .listenFailed, .unlistenFailed: return "a notification channel failed"
        default: return "unexpected client error"
        }
    }

    static func server(sqlState: String, message: String, doing: String) -> SeqPortError {
        let oneLine = message.replacingOccurrences(of: "\n", with: " ").prefix(300)
        switch sqlState {
        case "40001":
            return SeqPortError(.storeConflict, "a concurrent transaction changed the same data (serialization failure); nothing was applied")
        case "40P01":
            return SeqPortError(.storeConflict, "a concurrent transaction changed the same data (deadlock); nothing was applied")
        case "23505":
            return SeqPortError(.storeConflict, "a row with the same key already exists (\(doing)); nothing was applied")
        case "55P03":
            return SeqPortError(.storeLocked, "PostgreSQL rows are locked by another transaction (\(doing))")
        case "3D000":
            return SeqPortError(.storeMissing, "cannot \(doing): \(oneLine)")
        case "57014":
            return SeqPortError(.storeQuery, "PostgreSQL canceled the statement while trying to \(doing) (statement_timeout reached, or canceled by an administrator)")
        case "25006":
            return SeqPortError(.storeQuery, "cannot \(doing): the store was opened read-only")
        case "22021", "22P05":
            return SeqPortError(.storeBadData, "PostgreSQL cannot store a character of a value (\(doing); text may not contain U+0000)")
        default:
            break
        }
        switch sqlState.prefix(2) {
        case "08", "57":
            return SeqPortError(.storeConnection, "connection to PostgreSQL lost while trying to \(doing) (SQLSTATE \(sqlState))")
        case "28":
            return SeqPortError(.storeConnection, "cannot \(doing): \(oneLine)")
        case "42":
            return SeqPortError(.storeQuery, "PostgreSQL failed to \(doing): \(oneLine)")
        case "53":
            return SeqPortError(.storeQuery, "PostgreSQL is out of resources while trying to \(doing) (SQLSTATE \(sqlState))")
        default:
            return SeqPortError(.storeQuery, "PostgreSQL failed to \(doing) (SQLSTATE \(sqlState))")
        }
    }
}
