import SeqPortZlib
import Foundation
import XCTest
@testable import SeqPortArchive
import SeqPortModel

/// Helpers shared by the archive tests: temp directories, deterministic data, external tools.
enum ZipTestSupport {
    /// A fresh directory under the system temp dir.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "seqport-archive-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Deterministic pseudo-random bytes (xorshift), incompressible.
    static func randomBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed | 1
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return out
    }

    /// Repetitive, compressible text like an export (several records per line).
    static func recordText(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 200)
        var i = 0
        while out.count < count {
            out.append(contentsOf: Array("{\"id\":\(i),\"email\":\"user\(i % 977)@example.org\",\"city\":\"Zürich\",\"note\":\"é ✓ \(i * 7919 % 10007)\"}\n".utf8))
            i += 1
        }
        return Array(out.prefix(count))
    }

    /// Writes an archive of `entries` (name, bytes, compress) to `path` and returns its bytes.
    @discardableResult
    static func writeArchive(_ path: String, _ entries: [(String, [UInt8], Bool)], options: ZipWriter.Options = .init()) throws -> [UInt8] {
        let file = try AtomicFile(finalPath: path)
        let zip = ZipWriter(sink: file.sink, options: options)
        for (name, bytes, compress) in entries {
            let entry = try zip.beginEntry(name, compress: compress)
            var offset = 0
            while offset < bytes.count {  // uneven writes, like a record writer's flushes
                let n = min(bytes.count - offset, 10_000 + offset % 70_001)
                try entry.write(Array(bytes[offset..<offset + n]))
                offset += n
            }
            try entry.finish()
        }
        try zip.finish()
        try file.commit()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Runs a tool; returns (status, stdout+stderr) or nil when it is not installed.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
        guard let path = which(tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func which(_ tool: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Raw deflate of `bytes` at level 9 (for hand-built archives).
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        let deflater = try ChunkDeflater(level: 9)
        return try bytes.withUnsafeBytes { try deflater.compress($0, dictionary: UnsafeRawBufferPointer(start: nil, count: 0), last: true) }
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { CRC32.update(0, $0) }
    }

    /// Reads every byte of `entry` through `read(into:)` calls of `bufferSize` bytes.
    static func readThrough(_ reader: ZipReader, _ entry: ZipEntry, bufferSize: Int = 65_536) throws -> [UInt8] {
        let source = try reader.open(entry)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}

/// Asserts that `body` throws a `SeqPortError` with `code`; returns it.
@discardableResult
func XCTAssertThrowsCode<T>(_ code: SeqPortError.Code, _ body: @autoclosure () throws -> T,
                            file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
    do {
        _ = try body()
        XCTFail("expected \(code), nothing was thrown", file: file, line: line)
    } catch let error as SeqPortError {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected \(code), got \(error)", file: file, line: line)
    }
    return nil
}
