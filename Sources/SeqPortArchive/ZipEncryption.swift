import SeqPortModel

/// The passphrase of a password-protected archive: WinZip AES (AE-2 written; AE-1 and AE-2 read), as
/// `Specs/encryption.md` describes.
///
/// The passphrase is used as its UTF-8 bytes, exactly (no trimming, no normalisation). Its
/// `description` never shows it, so it cannot leak through string interpolation or a log line.
///
/// ```swift
/// var options = ZipWriter.Options()
/// options.encryption = ZipEncryption(passphrase: "correct horse battery staple")
/// let reader = try ZipReader(path: "bundle.zip", passphrase: "correct horse battery staple")
/// ```
public struct ZipEncryption: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The passphrase's bytes (UTF-8 of the string it was made from).
    public let passphrase: [UInt8]
    /// Key strength written: always AES-256 (WinZip strength 3).
    public var strength: AESStrength { .aes256 }

    /// A passphrase given as text (used as its UTF-8 bytes).
    public init(passphrase: String) { self.passphrase = Array(passphrase.utf8) }

    /// A passphrase given as raw bytes.
    public init(passphrase bytes: [UInt8]) { passphrase = bytes }

    public var description: String { "ZipEncryption(AES-256, passphrase hidden)" }
    public var debugDescription: String { description }
}

/// WinZip AES key strengths (the AES extra field's strength byte).
public enum AESStrength: UInt8, Sendable {
    case aes128 = 1
    case aes192 = 2
    case aes256 = 3

    /// AES key bytes: 16, 24 or 32.
    var keyLength: Int { Int(rawValue) * 8 + 8 }
    /// Salt bytes: half the key length (8, 12 or 16).
    var saltLength: Int { keyLength / 2 }
}

/// The WinZip AES extra field (id 0x9901) of one entry.
struct AESExtra: Hashable, Sendable {
    static let id: UInt16 = 0x9901
    /// 1 (AE-1: the CRC-32 is stored and checked) or 2 (AE-2: the CRC field is 0).
    var vendorVersion: UInt16
    var strength: AESStrength
    /// The real compression method: 0 or 8.
    var method: UInt16

    /// Salt, password verifier and MAC around the encrypted data.
    var overhead: UInt64 { UInt64(strength.saltLength + 2 + WinZipAES.macLength) }

    /// The extra field, header included (11 bytes).
    var bytes: [UInt8] {
        var w = LittleEndianWriter(capacity: 11)
        w.u16(Self.id)
        w.u16(7)
        w.u16(vendorVersion)
        w.append(Array("AE".utf8))
        w.bytes.append(strength.rawValue)
        w.u16(method)
        return w.bytes
    }

    /// Parses the field's 7 data bytes, refusing a malformed field, another vendor, an unknown strength or method.
    static func parse(_ data: [UInt8], entry: String) throws -> AESExtra {
        guard data.count == 7 else {
            throw SeqPortError.zip(.zipBadCentralDirectory, "AES extra field has \(data.count) bytes, not 7", entry: entry)
        }
        var r = LittleEndianReader(data)
        let version = r.u16()
        let vendor = r.take(2)
        let strengthByte = r.take(1)[0]
        let method = r.u16()
        guard vendor == Array("AE".utf8), version == 1 || version == 2 else {
            throw SeqPortError.zip(.zipEncrypted, "AES extra field names an unknown vendor or version", entry: entry)
        }
        guard let strength = AESStrength(rawValue: strengthByte) else {
            throw SeqPortError.zip(.zipEncrypted, "AES key strength \(strengthByte) is not 1, 2 or 3", entry: entry)
        }
        guard method == ZipFormat.methodStored || method == ZipFormat.methodDeflate else {
            throw SeqPortError.zip(.zipUnsupportedMethod, "compression method \(method) under AES is not supported (only 0 and 8)", entry: entry)
        }
        return AESExtra(vendorVersion: version, strength: strength, method: method)
    }
}

extension ZipEncryption {
    /// A new random passphrase: 140 bits from the system's secure generator, as 28 lowercase base32
    /// characters (RFC 4648 alphabet) in groups of four joined by `-`, e.g. `k3xq-7vna-…`.
    public static func generatePassphrase() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var rng = SystemRandomNumberGenerator()
        let characters = (0..<28).map { _ in alphabet[Int.random(in: 0..<32, using: &rng)] }
        return stride(from: 0, to: 28, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }
}
