import Foundation
import SeqPortTestSupport
import XCTest
@testable import SeqPortArchive
import SeqPortModel

/// Other tools accept what ZipWriter writes (`unzip`, Python's `zipfile`, 7-Zip when installed).
final class ZipInteropTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws { dir = try ZipTestSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func archives() throws -> [String] {
        let entries: [(String, [UInt8], Bool)] = [
            ("empty.txt", [], true),
            ("schema/naïve ✓.json", Array("{\"a\":1}".utf8), true),
            ("json/usage.json", ZipTestSupport.recordText(2_500_000), true),
            ("files/photo.bin", ZipTestSupport.randomBytes(700_000), true),
            ("files/stored.bin", ZipTestSupport.randomBytes(70_000, seed: 3), false),
        ]
        var options = ZipWriter.Options()
        options.chunkSize = 64 << 10
        var forced = options
        forced.forceZip64 = true
        try ZipTestSupport.writeArchive(dir + "/plain.zip", entries, options: options)
        try ZipTestSupport.writeArchive(dir + "/zip64.zip", entries, options: forced)
        return [dir + "/plain.zip", dir + "/zip64.zip"]
    }

    func testUnzipTestsArchivesWithoutWarnings() throws {
        guard ZipTestSupport.which("unzip") != nil else { throw TestTools.missing("unzip is not installed (Debian package unzip)") }
        for path in try archives() {
            let result = try XCTUnwrap(ZipTestSupport.run("unzip", ["-t", path]))
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains("No errors detected"), result.output)
            XCTAssertFalse(result.output.lowercased().contains("warning"), result.output)
        }
    }

    func testPythonZipfileReadsArchivesAndFindsNoBadCRC() throws {
        guard ZipTestSupport.which("python3") != nil else { throw TestTools.missing("python3 is not installed") }
        let script = """
        import sys, zipfile, warnings, zlib
        warnings.simplefilter("error")
        with zipfile.ZipFile(sys.argv[1]) as z:
            assert z.testzip() is None
            for info in z.infolist():
                data = z.read(info)
                assert zlib.crc32(data) == info.CRC
            print(len(z.infolist()), sum(len(z.read(i)) for i in z.infolist()))
        """
        for path in try archives() {
            let result = try XCTUnwrap(ZipTestSupport.run("python3", ["-c", script, path]))
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "5 3270007")
        }
    }

    func test7ZipTestsArchives() throws {
        guard let tool = ["7z", "7zz"].first(where: { ZipTestSupport.which($0) != nil }) else {
            throw TestTools.missing("7-Zip is not installed (Debian package 7zip provides 7z and 7zz)")
        }
        for path in try archives() {
            let result = try XCTUnwrap(ZipTestSupport.run(tool, ["t", path]))
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains("Everything is Ok"), result.output)
            XCTAssertFalse(result.output.contains("WARNING"), result.output)
        }
    }

    func testReaderAcceptsPythonArchivesWithDataDescriptorsAndZip64() throws {
        guard ZipTestSupport.which("python3") != nil else { throw TestTools.missing("python3 is not installed") }
        // Writing to a pipe makes zipfile use data descriptors; force_zip64 gives ZIP64 local extras
        // and 8-byte descriptor sizes.
        let script = """
        import sys, zipfile
        class Pipe:
            def __init__(self, f): self.f = f
            def write(self, b): return self.f.write(b)
            def flush(self): self.f.flush()
        with open(sys.argv[1], "wb") as raw:
            with zipfile.ZipFile(Pipe(raw), "w", zipfile.ZIP_DEFLATED) as z:
                with z.open("json/a.json", "w", force_zip64=True) as f:
                    f.write(b"{\\"k\\": 1}\\n" * 50000)
                with z.open("b.txt", "w") as f:
                    f.write(b"hello")
                z.writestr("c.txt", b"stored", compress_type=zipfile.ZIP_STORED)
        """
        let path = dir + "/py.zip"
        let result = try XCTUnwrap(ZipTestSupport.run("python3", ["-c", script, path]))
        XCTAssertEqual(result.status, 0, result.output)
        let reader = try ZipReader(path: path)
        XCTAssertEqual(reader.entries.map(\.name), ["json/a.json", "b.txt", "c.txt"])
        XCTAssertNotEqual(reader.entries[0].flags & 0x08, 0, "expected a data descriptor")
        let a = try reader.readAll(reader.entries[0], maxBytes: 1 << 20)
        XCTAssertEqual(a, Array(String(repeating: "{\"k\": 1}\n", count: 50_000).utf8))
        XCTAssertEqual(try reader.readAll(reader.entries[1], maxBytes: 100), Array("hello".utf8))
        XCTAssertEqual(try reader.readAll(reader.entries[2], maxBytes: 100), Array("stored".utf8))

        // A data descriptor that disagrees with the central directory is refused.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let descriptor = try XCTUnwrap(bytes.firstRange(of: [0x50, 0x4b, 0x07, 0x08])).lowerBound
        bytes[descriptor + 4] ^= 0xFF
        try ZipTestSupport.write(bytes, to: dir + "/py-lie.zip")
        let error = XCTAssertThrowsCode(.zipLocalHeaderMismatch, try ZipReader(path: dir + "/py-lie.zip"))
        XCTAssertEqual(error?.location.entry, "json/a.json")
    }

    func testSixtyFiveThousandEntriesGetZip64EndRecordsThatToolsRead() throws {
        let sink = MemorySink()
        let zip = ZipWriter(sink: sink)
        let count = 0xFFFF + 1
        for i in 0..<count { try zip.addEntry("f/\(i)", bytes: [UInt8(i & 0xFF)]) }
        try zip.finish()
        let path = dir + "/many.zip"
        try ZipTestSupport.write(sink.bytes, to: path)
        let tail = Array(sink.bytes.suffix(22 + 20 + 56))
        XCTAssertEqual(LittleEndianReader.u32(tail, at: 0), ZipFormat.zip64EndSignature)
        var limits = ZipLimits()
        limits.maxEntries = 100_000
        let reader = try ZipReader(path: path, limits: limits)
        XCTAssertEqual(reader.entries.count, count)
        XCTAssertEqual(try reader.readAll(XCTUnwrap(reader.entry(named: "f/65535")), maxBytes: 1), [0xFF])
        XCTAssertThrowsCode(.zipTooManyEntries, try ZipReader(path: path))
        if ZipTestSupport.which("python3") != nil {
            let result = try XCTUnwrap(ZipTestSupport.run("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.infolist()))", path]))
            XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "\(count)")
        }
        if ZipTestSupport.which("unzip") != nil {
            let result = try XCTUnwrap(ZipTestSupport.run("unzip", ["-tq", path]))
            XCTAssertEqual(result.status, 0, result.output)
        }
    }
}
