import Foundation
import SeqPortTestSupport
import XCTest
@testable import SeqPortArchive
import SeqPortModel

/// WinZip AES-256 (AE-2) archives (`Specs/encryption.md`): the cipher against known answers, the
/// headers, round trips, wrong passphrases, tampering, and other tools both ways.
final class ZipEncryptionTests: XCTestCase {
    private var dir = ""
    private let passphrase = "correct horse battery staple ✓"

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private var sampleEntries: [(String, [UInt8], Bool)] {
        [
            ("empty.txt", [], true),
            ("schema/naïve ✓.json", Array("{\"a\":1}".utf8), true),
            ("json/usage.json", ZipTestSupport.recordText(600_000), true),
            ("files/photo.bin", ZipTestSupport.randomBytes(150_000), true),
            ("files/stored.bin", ZipTestSupport.randomBytes(70_000, seed: 3), false),
            ("manifest.json", Array("{\"format\":\"seqport-bundle\"}\n".utf8), true),
        ]
    }

    private func encryptedArchive(_ name: String = "enc.zip", passphrase: String? = nil, forceZip64: Bool = false) throws -> String {
        var options = ZipWriter.Options()
        options.chunkSize = 64 << 10
        options.forceZip64 = forceZip64
        options.encryption = ZipEncryption(passphrase: passphrase ?? self.passphrase)
        let path = dir + "/" + name
        try ZipTestSupport.writeArchive(path, sampleEntries, options: options)
        return path
    }

    private func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        guard ZipTestSupport.which("python3") != nil else { throw TestTools.missing("python3 is not installed") }
        let probe = try XCTUnwrap(ZipTestSupport.run("python3", ["-c", "import pyzipper"]))
        guard probe.status == 0 else { throw TestTools.missing("pyzipper is not installed (pip install pyzipper)") }
        return try XCTUnwrap(ZipTestSupport.run("python3", ["-c", script] + arguments))
    }

    // MARK: The cipher

    /// Vectors computed independently with Python's hashlib, hmac and pycryptodome (AES-CTR with a
    /// 128-bit little-endian counter starting at 1), as pyzipper does.
    func testCipherMatchesKnownAnswersFromAnIndependentImplementation() throws {
        let plain = Array("The quick brown fox jumps over the lazy dog. 0123456789".utf8)
        let salt = (0..<16).map { UInt8($0) }
        func encrypt(pieces: [Int]) throws -> (verifier: [UInt8], cipher: [UInt8], mac: [UInt8]) {
            var aes = try WinZipAES(passphrase: Array("seqport-kat".utf8), salt: salt, strength: .aes256)
            var data = plain
            var start = 0
            for size in pieces + [plain.count] where start < plain.count {
                let end = min(plain.count, start + size)
                try data.withUnsafeMutableBytes { try aes.encrypt(UnsafeMutableRawBufferPointer(rebasing: $0[start..<end])) }
                start = end
            }
            return (aes.verifier, data, aes.mac())
        }
        for pieces in [[plain.count], [1, 15, 16, 3], [7, 7, 7, 7, 7, 7, 7, 7]] {
            let result = try encrypt(pieces: pieces)
            XCTAssertEqual(hex(result.verifier), "a1ce")
            XCTAssertEqual(hex(result.cipher), "a986db3ded01ca85418ea1905a26123dbf80876ba6e000b7222dff109f61fcc6"
                                             + "33bd2241c97fa9acd090a1b4553c427f4d1e3213ca7a44", "pieces \(pieces)")
            XCTAssertEqual(hex(result.mac), "b099baae93c073d04833")
        }
        var back = try WinZipAES(passphrase: Array("seqport-kat".utf8), salt: salt, strength: .aes256)
        var data = try encrypt(pieces: [plain.count]).cipher
        try data.withUnsafeMutableBytes { try back.decrypt($0) }
        XCTAssertEqual(data, plain)
        XCTAssertEqual(hex(back.mac()), "b099baae93c073d04833")
    }

    // MARK: Format

    func testEveryEntryIsAE2WithMethod99TheAESExtraAndTheEncryptionFlag() throws {
        let path = try encryptedArchive()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try ZipReader(path: path, passphrase: passphrase)
        XCTAssertEqual(reader.entries.count, sampleEntries.count)
        for (entry, expected) in zip(reader.entries, sampleEntries) {
            XCTAssertTrue(entry.isEncrypted)
            XCTAssertEqual(entry.crc32, 0, "AE-2 stores no CRC-32")
            XCTAssertEqual(entry.aes, AESExtra(vendorVersion: 2, strength: .aes256, method: entry.method))
            if !expected.2 { XCTAssertEqual(entry.compressedSize, UInt64(expected.1.count) + 28, "salt 16 + verifier 2 + MAC 10") }

            var local = LittleEndianReader(bytes, at: Int(entry.localHeaderOffset))
            XCTAssertEqual(local.u32(), 0x0403_4b50)
            XCTAssertEqual(local.u16(), 51, "version needed: 5.1, AES")
            XCTAssertEqual(local.u16(), 0x0801, "flags: encrypted + UTF-8")
            XCTAssertEqual(local.u16(), 99)
            _ = local.u32()
            XCTAssertEqual(local.u32(), 0)
            XCTAssertEqual(UInt64(local.u32()), entry.compressedSize)
            XCTAssertEqual(UInt64(local.u32()), entry.uncompressedSize)
            let nameLength = Int(local.u16()), extraLength = Int(local.u16())
            XCTAssertEqual(extraLength, 11)
            local.offset += nameLength
            XCTAssertEqual(local.take(11), [0x01, 0x99, 7, 0, 2, 0, 0x41, 0x45, 3, UInt8(entry.method), 0])
        }
        let stored = try XCTUnwrap(reader.entry(named: "files/stored.bin"))
        XCTAssertEqual(stored.method, 0)
        XCTAssertEqual(try XCTUnwrap(reader.entry(named: "json/usage.json")).method, 8)
    }

    func testAnEncryptedArchiveRoundTripsEveryEntryAlsoWithZip64() throws {
        for force in [false, true] {
            let path = try encryptedArchive("rt-\(force).zip", forceZip64: force)
            let reader = try ZipReader(path: path, passphrase: passphrase)
            for (name, bytes, _) in sampleEntries {
                let entry = try XCTUnwrap(reader.entry(named: name))
                XCTAssertEqual(try reader.readAll(entry, maxBytes: 1 << 30), bytes, "\(name) zip64 \(force)")
            }
        }
    }

    func testNeitherThePassphraseNorThePlainTextAppearsInTheArchive() throws {
        let path = try encryptedArchive()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertNil(find(Array(passphrase.utf8), in: bytes))
        XCTAssertNil(find(Array("seqport-bundle".utf8), in: bytes))
        XCTAssertNil(find(Array("@example.org".utf8), in: bytes))
        XCTAssertNotNil(find(Array("json/usage.json".utf8), in: bytes), "names stay visible: a ZIP limitation")
        XCTAssertFalse("\(ZipEncryption(passphrase: passphrase))".contains("horse"))
    }

    func testTwoEncryptionsOfTheSameInputDifferButDecryptTheSame() throws {
        let a = Array(try Data(contentsOf: URL(fileURLWithPath: try encryptedArchive("a.zip"))))
        let b = Array(try Data(contentsOf: URL(fileURLWithPath: try encryptedArchive("b.zip"))))
        XCTAssertEqual(a.count, b.count)
        XCTAssertNotEqual(a, b, "random salts")
    }

    // MARK: Refusals

    func testWithoutAPassphraseAnEncryptedArchiveIsRefusedSayingSo() throws {
        let path = try encryptedArchive()
        let error = XCTAssertThrowsCode(.zipEncrypted, try ZipReader(path: path))
        XCTAssertEqual(error?.description, "empty.txt: entry is encrypted (WinZip AES) and no passphrase was given")
    }

    func testAWrongPassphraseIsRefusedNamingTheEntry() throws {
        let path = try encryptedArchive()
        let reader = try ZipReader(path: path, passphrase: "wrong")
        let entry = try XCTUnwrap(reader.entry(named: "json/usage.json"))
        let error = XCTAssertThrowsCode(.zipWrongPassphrase, try reader.readAll(entry, maxBytes: 1 << 30))
        XCTAssertEqual(error?.location.entry, "json/usage.json")
    }

    func testChangedCiphertextOrMACFailsAuthenticationNotInflation() throws {
        let path = try encryptedArchive()
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try ZipReader(path: path, passphrase: passphrase)
        for name in ["json/usage.json", "files/stored.bin", "schema/naïve ✓.json"] {
            let entry = try XCTUnwrap(reader.entry(named: name))
            let dataStart = Int(entry.dataOffset) + 18
            let macStart = Int(entry.dataOffset + entry.compressedSize) - 10
            for position in [dataStart, (dataStart + macStart) / 2, macStart - 1, macStart + 4] {
                var bytes = original
                bytes[position] ^= 0x40
                let changed = dir + "/changed.zip"
                try ZipTestSupport.write(bytes, to: changed)
                let tampered = try ZipReader(path: changed, passphrase: passphrase)
                XCTAssertThrowsCode(.zipAuthFailed, try tampered.readAll(tampered.entry(named: name)!, maxBytes: 1 << 30))
            }
        }
    }

    func testTraditionalZipCryptoIsRefusedEvenWithAPassphrase() throws {
        var entry = HandBuiltZip.Entry("secret.txt", stored: Array("hello".utf8))
        entry.flags |= 1
        let path = dir + "/zipcrypto.zip"
        try ZipTestSupport.write(HandBuiltZip([entry]).bytes(), to: path)
        let error = XCTAssertThrowsCode(.zipEncrypted, try ZipReader(path: path, passphrase: passphrase))
        XCTAssertTrue(error?.message.contains("ZipCrypto") ?? false, "\(String(describing: error))")
    }

    func testAnAESEntryWithoutItsExtraFieldOrWithAnUnknownStrengthIsRefused() throws {
        var entry = HandBuiltZip.Entry("aes.txt", stored: Array("hello".utf8))
        entry.method = 99
        entry.flags |= 1
        let path = dir + "/aes.zip"
        try ZipTestSupport.write(HandBuiltZip([entry]).bytes(), to: path)
        XCTAssertThrowsCode(.zipEncrypted, try ZipReader(path: path, passphrase: passphrase))
        let badStrength: [UInt8] = [0x01, 0x99, 7, 0, 2, 0, 0x41, 0x45, 9, 0, 0]
        entry.localExtra = badStrength
        entry.centralExtra = badStrength
        try ZipTestSupport.write(HandBuiltZip([entry]).bytes(), to: path)
        XCTAssertThrowsCode(.zipEncrypted, try ZipReader(path: path, passphrase: passphrase))
    }

    func testGeneratedPassphrasesCarry140RandomBits() {
        let a = ZipEncryption.generatePassphrase(), b = ZipEncryption.generatePassphrase()
        XCTAssertNotEqual(a, b)
        let groups = a.split(separator: "-")
        XCTAssertEqual(groups.count, 7)
        XCTAssertTrue(groups.allSatisfy { $0.count == 4 && $0.allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) } }, a)
    }

    // MARK: Other tools

    func test7ZipTestsAnEncryptedArchiveAndRefusesAWrongPassword() throws {
        guard let tool = ["7zz", "7z"].first(where: { ZipTestSupport.which($0) != nil }) else {
            throw TestTools.missing("7-Zip is not installed (Debian package 7zip, binary 7zz)")
        }
        for force in [false, true] {
            let path = try encryptedArchive("7z-\(force).zip", forceZip64: force)
            let good = try XCTUnwrap(ZipTestSupport.run(tool, ["t", "-p" + passphrase, path]))
            XCTAssertEqual(good.status, 0, good.output)
            XCTAssertTrue(good.output.contains("Everything is Ok"), good.output)
            let list = try XCTUnwrap(ZipTestSupport.run(tool, ["l", "-slt", "-p" + passphrase, path]))
            XCTAssertTrue(list.output.contains("Method = AES-256 Deflate"), list.output)
            let bad = try XCTUnwrap(ZipTestSupport.run(tool, ["t", "-pwrong", path]))
            XCTAssertNotEqual(bad.status, 0, bad.output)
        }
    }

    func testPyzipperReadsEveryEntry() throws {
        let path = try encryptedArchive()
        let script = """
        import sys, zlib, pyzipper
        with pyzipper.AESZipFile(sys.argv[1]) as z:
            z.setpassword(sys.argv[2].encode())
            for info in z.infolist():
                assert info.compress_type in (0, 8), info.compress_type
                data = z.read(info)
                print(info.filename, len(data), zlib.crc32(data))
        """
        let result = try python(script, [path, passphrase])
        XCTAssertEqual(result.status, 0, result.output)
        let expected = sampleEntries.map { "\($0.0) \($0.1.count) \(ZipTestSupport.crc($0.1))" }.joined(separator: "\n")
        XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), expected)
        let wrong = try python(script, [path, "wrong"])
        XCTAssertNotEqual(wrong.status, 0)
    }

    func testArchivesPyzipperEncryptsAreRead() throws {
        let path = dir + "/pyzipper.zip"
        let script = """
        import sys, pyzipper
        big = ("".join("row %d: Zürich ✓\\n" % i for i in range(40000))).encode()
        for version, name in ((2, "ae2"), (1, "ae1")):
            kwargs = {"nbits": 256, "force_wz_aes_version": version}
            with pyzipper.AESZipFile(sys.argv[1] + "." + name, "w", compression=pyzipper.ZIP_DEFLATED,
                                     encryption=pyzipper.WZ_AES, encryption_kwargs=kwargs) as z:
                z.setpassword(sys.argv[2].encode())
                z.writestr("big.txt", big)
                z.writestr("small.txt", b"hello")
                z.writestr("stored.bin", bytes(range(256)) * 10, compress_type=pyzipper.ZIP_STORED)
                z.writestr("empty.txt", b"")
        with pyzipper.AESZipFile(sys.argv[1] + ".aes128", "w", compression=pyzipper.ZIP_DEFLATED,
                                 encryption=pyzipper.WZ_AES, encryption_kwargs={"nbits": 128}) as z:
            z.setpassword(sys.argv[2].encode())
            z.writestr("small.txt", b"hello")
        print(len(big))
        """
        let result = try python(script, [path, passphrase])
        XCTAssertEqual(result.status, 0, result.output)
        var big: [UInt8] = []
        for i in 0..<40000 { big += Array("row \(i): Zürich ✓\n".utf8) }
        let expected: [String: [UInt8]] = [
            "big.txt": big, "small.txt": Array("hello".utf8),
            "stored.bin": Array(repeating: (0..<256).map { UInt8($0) }, count: 10).flatMap { $0 }, "empty.txt": [],
        ]
        for variant in ["ae2", "ae1"] {
            let reader = try ZipReader(path: path + "." + variant, passphrase: passphrase)
            XCTAssertEqual(reader.entries.count, 4)
            for entry in reader.entries {
                XCTAssertTrue(entry.isEncrypted)
                XCTAssertEqual(entry.aes?.vendorVersion, variant == "ae2" ? 2 : 1)
                XCTAssertEqual(try reader.readAll(entry, maxBytes: 1 << 30), expected[entry.name], "\(variant) \(entry.name)")
            }
            let wrong = try ZipReader(path: path + "." + variant, passphrase: "wrong")
            XCTAssertThrowsCode(.zipWrongPassphrase, try wrong.readAll(wrong.entries[0], maxBytes: 1 << 30))
        }
        let small = try ZipReader(path: path + ".aes128", passphrase: passphrase)
        XCTAssertEqual(small.entries.first?.aes?.strength, .aes128)
        XCTAssertEqual(try small.readAll(small.entries[0], maxBytes: 100), Array("hello".utf8))
    }

    // MARK: Helpers

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle {
            return i
        }
        return nil
    }
}
