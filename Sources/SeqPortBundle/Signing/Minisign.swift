import Crypto
import Foundation
import SeqPortModel

/// Ed25519 signatures in minisign's formats, so anyone can check a bundle's manifest with
/// `minisign -Vm manifest.json -p KEY.pub` (`Specs/signing.md`).
///
/// Public keys and signatures follow minisign exactly (algorithm `Ed`: the message itself is signed,
/// not a BLAKE2b prehash). The secret key file is seqport's own (minisign's encrypts with scrypt and
/// checks with BLAKE2b, neither of which seqport needs): `untrusted comment:` then base64 of
/// `Ed` + key id (8 bytes) + Ed25519 seed (32 bytes). Keep it at mode 0600.
public enum Minisign {
    static let algorithm: [UInt8] = Array("Ed".utf8)

    /// A public key: the key id and the Ed25519 key.
    public struct PublicKey: Sendable {
        public let keyID: [UInt8]
        public let key: Curve25519.Signing.PublicKey

        /// The id as minisign prints it: the 8 bytes read as a little-endian integer, in upper-case hex.
        public var keyIDText: String { Minisign.idText(keyID) }

        /// Reads a minisign public key file (`untrusted comment:` line, then the base64 line), or the
        /// bare base64 line.
        /// - Throws: `signature.key` when the text is not a public key, and says so when it is a
        ///   secret key (the two have the same length: only the comment tells them apart).
        public init(file text: String) throws {
            if let comment = Minisign.comment(text), comment.contains("secret key") {
                throw SeqPortError(.signatureKey, "this is a secret key; checking a signature needs the public key file (NAME.pub)")
            }
            let bytes = try Minisign.payload(text, what: "public key")
            guard bytes.count == 42, Array(bytes[0..<2]) == Minisign.algorithm else {
                throw SeqPortError(.signatureKey, "not a minisign Ed25519 public key")
            }
            keyID = Array(bytes[2..<10])
            key = try Curve25519.Signing.PublicKey(rawRepresentation: bytes[10..<42])
        }

        init(keyID: [UInt8], key: Curve25519.Signing.PublicKey) {
            self.keyID = keyID
            self.key = key
        }

        /// The file minisign reads.
        public var file: String {
            "untrusted comment: minisign public key \(keyIDText)\n" + Data(Minisign.algorithm + keyID + key.rawRepresentation).base64EncodedString() + "\n"
        }
    }

    /// A secret key: the key id and the Ed25519 private key.
    public struct SecretKey: Sendable {
        public let keyID: [UInt8]
        public let key: Curve25519.Signing.PrivateKey

        /// A new random key pair.
        public static func generate() -> SecretKey {
            var id = [UInt8](repeating: 0, count: 8)
            var rng = SystemRandomNumberGenerator()
            for i in id.indices { id[i] = UInt8.random(in: 0...255, using: &rng) }
            return SecretKey(keyID: id, key: Curve25519.Signing.PrivateKey())
        }

        init(keyID: [UInt8], key: Curve25519.Signing.PrivateKey) {
            self.keyID = keyID
            self.key = key
        }

        /// Reads a secret key file written by `seqport keygen`.
        /// - Throws: `signature.key` for a public key (it would sign with a key nobody holds), a
        ///   minisign secret key (scrypt-encrypted, which seqport does not read), or anything else.
        public init(file text: String) throws {
            let comment = Minisign.comment(text) ?? ""
            if comment.contains("public key") {
                throw SeqPortError(.signatureKey, "this is a public key; signing needs the secret key file (NAME.key from seqport keygen)")
            }
            if comment.contains("minisign") {
                throw SeqPortError(.signatureKey, "a minisign secret key, which seqport cannot use; create a key pair with seqport keygen")
            }
            guard comment.contains("seqport secret key") else {
                throw SeqPortError(.signatureKey, "not a seqport secret key file (its first line must be the comment seqport keygen writes)")
            }
            let bytes = try Minisign.payload(text, what: "secret key")
            guard bytes.count == 42, Array(bytes[0..<2]) == Minisign.algorithm else {
                throw SeqPortError(.signatureKey, "not a seqport Ed25519 secret key file")
            }
            keyID = Array(bytes[2..<10])
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: bytes[10..<42])
        }

        public var publicKey: PublicKey { PublicKey(keyID: keyID, key: key.publicKey) }

        /// The secret key file seqport reads back.
        public var file: String {
            "untrusted comment: seqport secret key \(Minisign.idText(keyID)) (keep this file private)\n"
                + Data(Minisign.algorithm + keyID + key.rawRepresentation).base64EncodedString() + "\n"
        }
    }

    /// A minisign signature file for `message`: the `Ed` signature of the message, and the global
    /// signature over that signature and the trusted comment.
    public static func sign(_ message: [UInt8], with secret: SecretKey, trustedComment: String) throws -> String {
        let signature = try secret.key.signature(for: message)
        let global = try secret.key.signature(for: Array(signature) + Array(trustedComment.utf8))
        return "untrusted comment: signature from seqport secret key \(idText(secret.keyID))\n"
            + Data(algorithm + secret.keyID + signature).base64EncodedString() + "\n"
            + "trusted comment: \(trustedComment)\n"
            + Data(global).base64EncodedString() + "\n"
    }

    /// Checks a minisign signature file over `message`; returns the trusted comment.
    /// Throws `signature.invalid` (or `signature.wrong-key`) saying which check failed.
    @discardableResult
    public static func verify(_ message: [UInt8], signature file: String, key: PublicKey) throws -> String {
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard lines.count >= 4, lines[0].hasPrefix("untrusted comment:"), lines[2].hasPrefix("trusted comment: "),
              let sigBytes = Data(base64Encoded: lines[1]).map(Array.init), let global = Data(base64Encoded: lines[3])
        else { throw SeqPortError(.signatureInvalid, "not a minisign signature file") }
        guard sigBytes.count == 74, Array(sigBytes[0..<2]) == algorithm else {
            throw SeqPortError(.signatureInvalid, "signature algorithm is not Ed (legacy minisign)")
        }
        guard Array(sigBytes[2..<10]) == key.keyID else {
            throw SeqPortError(.signatureWrongKey, "signed with key \(idText(Array(sigBytes[2..<10]))), not with the trusted key \(key.keyIDText)")
        }
        let signature = Array(sigBytes[10..<74])
        guard key.key.isValidSignature(signature, for: message) else {
            throw SeqPortError(.signatureInvalid, "signature does not match: the manifest was changed after signing")
        }
        let trusted = String(lines[2].dropFirst("trusted comment: ".count))
        guard key.key.isValidSignature(global, for: signature + Array(trusted.utf8)) else {
            throw SeqPortError(.signatureInvalid, "the trusted comment was changed after signing")
        }
        return trusted
    }

    /// The text after `untrusted comment:` on the file's first such line, if any.
    static func comment(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("untrusted comment:") }
            .map { String($0.dropFirst("untrusted comment:".count)).trimmingCharacters(in: .whitespaces) }
    }

    static func payload(_ text: String, what: String) throws -> [UInt8] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let line = lines.first(where: { !$0.hasPrefix("untrusted comment:") }),
              let data = Data(base64Encoded: line.trimmingCharacters(in: .whitespaces))
        else { throw SeqPortError(.signatureKey, "cannot read the \(what): no base64 line") }
        return Array(data)
    }

    static func idText(_ id: [UInt8]) -> String {
        id.reversed().map { String(format: "%02X", $0) }.joined()
    }
}

extension SeqPortError.Code {
    public static let signatureKey = Self("signature.key", .usage)
    public static let signatureMissing = Self("signature.missing", .verify)
    public static let signatureInvalid = Self("signature.invalid", .verify)
    public static let signatureWrongKey = Self("signature.wrong-key", .verify)
}
