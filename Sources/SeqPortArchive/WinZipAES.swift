import SeqPortModel
#if canImport(Crypto)
import Crypto
import _CryptoExtras

/// WinZip AES for one entry (`Specs/encryption.md`): PBKDF2-HMAC-SHA1 (1,000 rounds) turns the
/// passphrase and the entry's salt into an AES key, an HMAC key and a 2-byte password verifier; the
/// data is AES in CTR mode with a little-endian counter starting at 1; the MAC is HMAC-SHA1 of the
/// encrypted data, truncated to 10 bytes.
///
/// CTR is built here on the single-block AES permutation, because WinZip's counter is little-endian
/// (BoringSSL's CTR mode counts big-endian). Encrypting and decrypting stream: any split of the data
/// into calls gives the same bytes.
struct WinZipAES {
    static let rounds = 1000
    static let macLength = 10
    static let verifierLength = 2

    private let key: SymmetricKey
    private var hmac: HMAC<Insecure.SHA1>
    private var counter: UInt64 = 0
    private var keystream = [UInt8](repeating: 0, count: 16)
    private var used = 16

    /// The verifier the passphrase gives for this salt; compare it with the stored one before decrypting.
    let verifier: [UInt8]

    /// Derives the keys for `passphrase` and `salt` (whose length must fit `strength`).
    init(passphrase: [UInt8], salt: [UInt8], strength: AESStrength) throws {
        precondition(salt.count == strength.saltLength)
        let n = strength.keyLength
        let material: [UInt8]
        do {
            material = try KDF.Insecure.PBKDF2.deriveKey(from: passphrase, salt: salt, using: .insecureSHA1,
                                                          outputByteCount: 2 * n + 2, unsafeUncheckedRounds: Self.rounds)
                .withUnsafeBytes { Array($0) }
        } catch {
            throw SeqPortError(.internalError, "PBKDF2 key derivation failed: \(error)")
        }
        key = SymmetricKey(data: material[0..<n])
        hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: material[n..<2 * n]))
        verifier = Array(material[(2 * n)...])
    }

    /// A fresh random salt for `strength` from the system's secure generator.
    static func randomSalt(_ strength: AESStrength) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<strength.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    /// Encrypts `buffer` in place and adds the ciphertext to the MAC.
    mutating func encrypt(_ buffer: UnsafeMutableRawBufferPointer) throws {
        try applyKeystream(buffer)
        hmac.update(data: UnsafeRawBufferPointer(buffer))
    }

    /// Adds the ciphertext in `buffer` to the MAC and decrypts it in place.
    mutating func decrypt(_ buffer: UnsafeMutableRawBufferPointer) throws {
        hmac.update(data: UnsafeRawBufferPointer(buffer))
        try applyKeystream(buffer)
    }

    /// Adds ciphertext to the MAC without decrypting it (to authenticate the rest of a damaged entry).
    mutating func authenticate(_ ciphertext: UnsafeRawBufferPointer) {
        hmac.update(data: ciphertext)
    }

    /// The 10-byte MAC of all ciphertext so far.
    func mac() -> [UInt8] {
        Array(hmac.finalize().prefix(Self.macLength))
    }

    /// XORs the keystream into `buffer`: block i (from 1) is AES(key, i as a 16-byte little-endian number).
    private mutating func applyKeystream(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        var i = 0
        while i < count {
            if used == 16 { try nextBlock() }
            if used == 0 && count - i >= 16 {
                // A whole block, 8 bytes at a time.
                keystream.withUnsafeBytes { ks in
                    for half in stride(from: 0, through: 8, by: 8) {
                        let k = ks.loadUnaligned(fromByteOffset: half, as: UInt64.self)
                        let p = (base + i).loadUnaligned(fromByteOffset: half, as: UInt64.self)
                        (base + i).storeBytes(of: p ^ k, toByteOffset: half, as: UInt64.self)
                    }
                }
                used = 16
                i += 16
                continue
            }
            let n = min(16 - used, count - i)
            keystream.withUnsafeBytes { ks in
                for j in 0..<n { buffer[i + j] ^= ks[used + j] }
            }
            used += n
            i += n
        }
    }

    private mutating func nextBlock() throws {
        counter &+= 1
        var c = counter
        for j in 0..<8 {
            keystream[j] = UInt8(truncatingIfNeeded: c)
            c >>= 8
        }
        for j in 8..<16 { keystream[j] = 0 }
        do {
            try AES.permute(&keystream, key: key)
        } catch {
            throw SeqPortError(.internalError, "AES block encryption failed: \(error)")
        }
        used = 0
    }
}
#else
/// Built without swift-crypto (the fuzz targets compile the module's sources bare): no entry can be
/// encrypted or decrypted, and trying says so.
struct WinZipAES {
    static let rounds = 1000
    static let macLength = 10
    static let verifierLength = 2
    let verifier: [UInt8] = []

    init(passphrase: [UInt8], salt: [UInt8], strength: AESStrength) throws {
        throw SeqPortError(.zipEncrypted, "this build of seqport has no AES support (built without swift-crypto)")
    }

    static func randomSalt(_ strength: AESStrength) -> [UInt8] { [UInt8](repeating: 0, count: strength.saltLength) }
    mutating func encrypt(_ buffer: UnsafeMutableRawBufferPointer) throws {}
    mutating func decrypt(_ buffer: UnsafeMutableRawBufferPointer) throws {}
    mutating func authenticate(_ ciphertext: UnsafeRawBufferPointer) {}
    func mac() -> [UInt8] { [] }
}
#endif

extension WinZipAES {
    /// Compares two byte strings in time that does not depend on where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
