import Foundation
import XCTest

/// The package root, found from this file.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The built `seqport` executable, next to the test bundle (SwiftPM puts both in `.build/<config>/`):
/// what the CLI and crash tests run.
public func seqportExecutable() throws -> String {
    let bundle = Bundle.main.bundleURL
    let candidates = [
        bundle.appendingPathComponent("seqport").path,
        bundle.deletingLastPathComponent().appendingPathComponent("seqport").path,
        packageRoot + "/.build/debug/seqport",
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw TestTools.missing("the seqport executable is not built (looked in \(candidates))")
    }
    return found
}

/// A fresh temporary folder named with `prefix`, removed when the test ends.
public func temporaryDirectory(_ test: XCTestCase, prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + prefix + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}
