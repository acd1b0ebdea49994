import Foundation
import XCTest
@testable import SeqPortArchive
import SeqPortModel

/// A corpus of hostile archives, built byte by byte; each is refused with its own code.
final class ZipHostileArchiveTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private typealias Entry = HandBuiltZip.Entry
    private let hello = Array("hello".utf8)

    /// Writes `bytes` and opens them with a reader.
    private func open(_ bytes: [UInt8], limits: ZipLimits = .default) throws -> ZipReader {
        let path = dir + "/h-\(UUID().uuidString).zip"
        try ZipTestSupport.write(bytes, to: path)
        return try ZipReader(path: path, limits: limits)
    }

    @discardableResult
    private func refuse(_ zip: HandBuiltZip, _ code: SeqPortError.Code, limits: ZipLimits = .default,
                        file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
        XCTAssertThrowsCode(code, try open(zip.bytes(), limits: limits), file: file, line: line)
    }

    private func valid() -> [UInt8] {
        HandBuiltZip([Entry("a.txt", stored: hello), Entry("b.txt", stored: hello)]).bytes()
    }

    func testHandBuiltBaselineIsAccepted() throws {
        let reader = try open(valid())
        XCTAssertEqual(try reader.readAll(reader.entries[1], maxBytes: 5), hello)
    }

    // MARK: Names

    func testZipSlipNamesAreRefusedAsUnsafe() {
        for name in ["../x", "a/../../x", "/etc/x", "a\\b", "C:x", "c:/x", "a\0b", "a//b", "./a", "a\u{7}b", "", "tab\tname"] {
            let error = refuse(HandBuiltZip([Entry(name, stored: hello)]), .zipUnsafeName)
            XCTAssertTrue(error?.message.hasPrefix("unsafe name: ") ?? false, name)
            XCTAssertFalse(error?.description.contains("\0") ?? true)
        }
    }

    func testInvalidUTF8NameIsRefused() {
        var entry = Entry("x", stored: hello)
        entry.name = [0x61, 0xC3, 0x28]
        refuse(HandBuiltZip([entry]), .zipNameEncoding)
    }

    func testOverlongNameIsRefused() {
        var limits = ZipLimits()
        limits.maxNameBytes = 16
        refuse(HandBuiltZip([Entry(String(repeating: "a", count: 17), stored: hello)]), .zipNameTooLong, limits: limits)
    }

    func testNamesDifferingOnlyInCaseAreDuplicates() {
        let error = refuse(HandBuiltZip([Entry("A.txt", stored: hello), Entry("a.txt", stored: hello)]), .zipDuplicateName)
        XCTAssertEqual(error?.location.entry, "a.txt")
    }

    func testNFCAndNFDSpellingsAreDuplicates() {
        refuse(HandBuiltZip([Entry("caf\u{E9}.txt", stored: hello), Entry("cafe\u{301}.txt", stored: hello)]), .zipDuplicateName)
    }

    // MARK: Entry kinds and methods

    func testSymlinkEntryIsRefused() {
        var link = Entry("link", stored: Array("/etc/passwd".utf8))
        link.external = 0o120777 << 16
        let error = refuse(HandBuiltZip([link]), .zipSpecialFile)
        XCTAssertEqual(error?.message, "entry is a symbolic link")
    }

    func testDeviceEntryIsRefused() {
        var device = Entry("dev", stored: [])
        device.external = 0o020644 << 16
        refuse(HandBuiltZip([device]), .zipSpecialFile)
    }

    func testDirectoryEntryWithDataIsRefusedButAnEmptyOneIsFine() throws {
        refuse(HandBuiltZip([Entry("dir/", stored: hello)]), .zipDirectoryWithData)
        var dirEntry = Entry("dir/", stored: [])
        dirEntry.external = 0o040755 << 16
        let reader = try open(HandBuiltZip([dirEntry, Entry("dir/a.txt", stored: hello)]).bytes())
        XCTAssertTrue(reader.entries[0].isDirectory)
    }

    func testUnknownCompressionMethodIsRefused() {
        var entry = Entry("a.bz2", stored: hello)
        entry.method = 12
        let error = refuse(HandBuiltZip([entry]), .zipUnsupportedMethod)
        XCTAssertEqual(error?.description, "a.bz2: compression method 12 is not supported (only 0 and 8)")
    }

    func testEncryptedFlagAndAESMethodAreRefused() {
        var flagged = Entry("secret.txt", stored: hello)
        flagged.flags |= 1
        refuse(HandBuiltZip([flagged]), .zipEncrypted)
        var aes = Entry("aes.txt", stored: hello)
        aes.method = 99
        refuse(HandBuiltZip([aes]), .zipEncrypted)
    }

    // MARK: Layout

    func testTwoCentralEntriesPointingAtOneLocalHeaderOverlap() {
        var second = Entry("b.txt", stored: hello)
        second.centralOffset = 0
        refuse(HandBuiltZip([Entry("a.txt", stored: hello), second]), .zipOverlappingEntries)
    }

    func testEntryReachingIntoTheCentralDirectoryIsRefused() {
        var entry = Entry("a.txt", stored: hello)
        entry.compressedSize = 40
        entry.uncompressedSize = 40
        refuse(HandBuiltZip([entry]), .zipOverlapsCentralDirectory)
    }

    func testLocalHeaderNameDisagreeingWithCentralDirectoryIsRefused() {
        var entry = Entry("a.txt", stored: hello)
        entry.localName = Array("b.txt".utf8)
        let error = refuse(HandBuiltZip([entry]), .zipLocalHeaderMismatch)
        XCTAssertEqual(error?.message, "local header disagrees with the central directory: name")
    }

    func testLocalHeaderFlagsDisagreeingWithCentralDirectoryAreRefused() {
        var bytes = valid()
        bytes[7] = 0  // local flags of the first entry (0x0800 little-endian): UTF-8 bit cleared
        XCTAssertThrowsCode(.zipLocalHeaderMismatch, try open(bytes))
    }

    func testTruncatedArchiveIsRefused() {
        let bytes = valid()
        XCTAssertThrowsCode(.zipTruncated, try open(Array(bytes.dropLast(10))))
    }

    func testJunkInFrontIsRefused() {
        XCTAssertThrowsCode(.zipLeadingJunk, try open(Array(repeating: 0x4D, count: 100) + valid()))
    }

    func testJunkBehindIsRefused() {
        XCTAssertThrowsCode(.zipTrailingJunk, try open(valid() + [1, 2, 3]))
    }

    func testCommentLongerThanDeclaredIsRefused() {
        var zip = HandBuiltZip([Entry("a.txt", stored: hello)])
        zip.comment = Array("comment".utf8)
        zip.declaredCommentLength = 3
        refuse(zip, .zipTrailingJunk)
    }

    func testMultiDiskEndRecordIsRefused() {
        var zip = HandBuiltZip([Entry("a.txt", stored: hello)])
        zip.diskNumber = 1
        refuse(zip, .zipMultiDisk)
    }

    func testNonZipIsRefused() {
        XCTAssertThrowsCode(.zipNotAZip, try open(Array("name,email\nAda,ada@example.org\n".utf8)))
        XCTAssertThrowsCode(.zipNotAZip, try open([]))
    }

    func testEndRecordCountDisagreeingWithDirectoryIsRefused() {
        var zip = HandBuiltZip([Entry("a.txt", stored: hello), Entry("b.txt", stored: hello)])
        zip.declaredCount = 1
        refuse(zip, .zipBadCentralDirectory)
    }

    // MARK: Limits and bombs

    func testTooManyEntriesAreRefusedBeforeReadingTheDirectory() {
        var limits = ZipLimits()
        limits.maxEntries = 3
        let zip = HandBuiltZip((0..<4).map { Entry("f\($0).txt", stored: hello) })
        refuse(zip, .zipTooManyEntries, limits: limits)
    }

    func testEntryOverTheSizeLimitIsRefused() {
        var limits = ZipLimits()
        limits.maxEntryUncompressedBytes = 4
        refuse(HandBuiltZip([Entry("a.txt", stored: hello)]), .zipEntryTooLarge, limits: limits)
    }

    func testDeclaredTotalOverTheLimitIsRefused() {
        var limits = ZipLimits()
        limits.maxTotalUncompressedBytes = 8
        refuse(HandBuiltZip([Entry("a.txt", stored: hello), Entry("b.txt", stored: hello)]), .zipTotalTooLarge, limits: limits)
    }

    func testHonestBombIsRefusedByItsDeclaredRatio() throws {
        let bomb = try Entry("zeros.bin", deflated: [UInt8](repeating: 0, count: 50_000_000))
        let error = refuse(HandBuiltZip([bomb]), .zipRatioExceeded)
        XCTAssertEqual(error?.location.entry, "zeros.bin")
    }

    func testBombHidingItsRatioIsStoppedWhileInflatingInBoundedTime() throws {
        var bomb = try Entry("zeros.bin", deflated: [UInt8](repeating: 0, count: 50_000_000))
        bomb.data += ZipTestSupport.randomBytes(1 << 20)  // padding makes the declared ratio look harmless
        bomb.compressedSize = UInt32(bomb.data.count)
        let reader = try open(HandBuiltZip([bomb]).bytes())
        let source = try reader.open(reader.entries[0])
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var produced = 0
        let start = Date()
        XCTAssertThrowsCode(.zipRatioExceeded, try {
            while case let n = try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }), n > 0 { produced += n }
        }())
        XCTAssertLessThan(produced, Int(ZipLimits.default.ratioCheckAfterBytes) + (1 << 20), "stopped soon after the grace")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testDataInflatingPastItsDeclaredSizeIsRefused() throws {
        var liar = try Entry("a.json", deflated: ZipTestSupport.recordText(100_000))
        liar.uncompressedSize = 1_000
        let reader = try open(HandBuiltZip([liar]).bytes())
        let error = XCTAssertThrowsCode(.zipSizeMismatch, try ZipTestSupport.readThrough(reader, reader.entries[0], bufferSize: 4_096))
        XCTAssertEqual(error?.message, "data inflates to more than the declared 1000 bytes")
    }

    func testDataInflatingShortOfItsDeclaredSizeIsRefused() throws {
        var liar = try Entry("a.json", deflated: ZipTestSupport.recordText(1_000))
        liar.uncompressedSize = 2_000
        let reader = try open(HandBuiltZip([liar]).bytes())
        XCTAssertThrowsCode(.zipSizeMismatch, try reader.readAll(reader.entries[0], maxBytes: 10_000))
    }

    func testCRCLieIsRefusedAtTheEndOfTheData() throws {
        var liar = try Entry("a.json", deflated: ZipTestSupport.recordText(10_000))
        liar.crc ^= 0xDEAD
        let reader = try open(HandBuiltZip([liar]).bytes())
        XCTAssertThrowsCode(.zipCRCMismatch, try reader.readAll(reader.entries[0], maxBytes: 10_000))
        var stored = Entry("s.txt", stored: hello)
        stored.crc = 1
        let storedReader = try open(HandBuiltZip([stored]).bytes())
        XCTAssertThrowsCode(.zipCRCMismatch, try ZipTestSupport.readThrough(storedReader, storedReader.entries[0], bufferSize: 1))
    }

    func testCorruptDeflateDataIsRefused() throws {
        var entry = try Entry("a.json", deflated: ZipTestSupport.recordText(10_000))
        for i in 0..<entry.data.count where i % 3 == 0 { entry.data[i] = 0xFF }
        let reader = try open(HandBuiltZip([entry]).bytes())
        XCTAssertThrowsCode(.zipCorruptData, try reader.readAll(reader.entries[0], maxBytes: 10_000))
    }

    // MARK: ZIP64 liars

    func testSentinelSizeWithoutZip64ExtraIsRefused() {
        var entry = Entry("a.txt", stored: hello)
        entry.compressedSize = 0xFFFF_FFFF
        refuse(HandBuiltZip([entry]), .zipBadZip64)
    }

    func testZip64ExtraTooShortForItsSentinelsIsRefused() {
        var entry = Entry("a.txt", stored: hello)
        entry.compressedSize = 0xFFFF_FFFF
        entry.uncompressedSize = 0xFFFF_FFFF
        entry.centralExtra = HandBuiltZip.zip64Extra([5, 5], truncateTo: 12)
        refuse(HandBuiltZip([entry]), .zipBadZip64)
    }

    func testZip64OffsetBeyondTheFileIsRefused() {
        var entry = Entry("a.txt", stored: hello)
        entry.centralOffset = 0xFFFF_FFFF
        entry.centralExtra = HandBuiltZip.zip64Extra([1 << 40])
        refuse(HandBuiltZip([entry]), .zipBadZip64)
    }

    func testZip64EndRecordCountDisagreeingWithTheEndRecordIsRefused() {
        var zip = HandBuiltZip([Entry("a.txt", stored: hello)])
        zip.zip64Count = 2
        refuse(zip, .zipBadZip64)
    }

    func testZip64EndRecordCountDisagreeingWithTheDirectoryIsRefused() {
        var zip = HandBuiltZip([Entry("a.txt", stored: hello)])
        zip.zip64Count = 2
        zip.declaredCount = 0xFFFF
        refuse(zip, .zipBadZip64)
    }

    func testHonestZip64ExtraIsRead() throws {
        var entry = Entry("a.txt", stored: hello)
        entry.compressedSize = 0xFFFF_FFFF
        entry.uncompressedSize = 0xFFFF_FFFF
        entry.centralExtra = HandBuiltZip.zip64Extra([5, 5])
        entry.localExtra = HandBuiltZip.zip64Extra([5, 5])
        var zip = HandBuiltZip([entry])
        zip.zip64Count = 1
        zip.declaredCount = 0xFFFF
        let reader = try open(zip.bytes())
        XCTAssertEqual(reader.entries[0].uncompressedSize, 5)
        XCTAssertEqual(try reader.readAll(reader.entries[0], maxBytes: 5), hello)
    }
}
