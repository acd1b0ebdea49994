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
            case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
                return SeqPortError(.storeConnection, "cannot \(doing): authentication failed (\(psql.code); give the password in PGPASSWORD or a password file)")
            default:
                return SeqPortError(.storeQuery, "PostgreSQL failed to \(doing) (\(psql.code))")
            }
        }
        if error is PostgresDecodingError {
            return SeqPortError(.storeBadData, "PostgreSQL sent a value seqport cannot read while trying to \(doing)")
        }
        // NIO connect errors, TLS handshake errors: the connection never worked or broke.
        return SeqPortError(.storeConnection, "cannot \(doing): \(cause(of: error))")
    }

    /// A short cause for a network or TLS error: the usual ones in words, others abridged to one line.
    static func cause(of error: any Error) -> String {
        let text = String(describing: error)
        let known = [("Connection refused", "connection refused"), ("timed out", "timed out"), ("Timeout", "timed out"),
                     ("No such file", "no server socket there"), ("Network is unreachable", "network unreachable"),
                     ("handshakeFailed", "TLS handshake failed (certificate not trusted or not for this host?)"),
                     ("Connection reset", "connection reset")]
        for (needle, words) in known where text.contains(needle) { return words }
        return String(text.replacingOccurrences(of: "\n", with: " ").prefix(200))
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
