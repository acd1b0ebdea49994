import Foundation
import SeqPortModel
@testable import SeqPortJSON
import XCTest

/// Nicolas Seriot's JSONTestSuite (vendored in `Tests/Corpora/json-test-suite`): `y_` files must be accepted,
/// `n_` files refused with a `SeqPortError`, `i_` files may go either way but must not crash.
final class JSONTestSuiteTests: XCTestCase {
    private func corpus() throws -> URL {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("Tests/Corpora/json-test-suite/test_parsing")
        // Vendored with the package: missing is a broken checkout, not a reason to skip.
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path), "JSONTestSuite corpus not found at \(dir.path)")
        return dir
    }

    private func files(_ prefix: String) throws -> [(String, [UInt8])] {
        let dir = try corpus()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
        return try names.map { ($0, Array(try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    private func verdict(_ bytes: [UInt8], chunk: Int = .max) -> Result<Void, Error> {
        Result { try JSONTokenizer.validate(MemorySource(bytes, chunk: chunk)) }
    }

    func testEveryYesFileIsAccepted() throws {
        let yes = try files("y_")
        XCTAssertEqual(yes.count, 95)
        for (name, bytes) in yes {
            if case .failure(let error) = verdict(bytes) { XCTFail("\(name): \(error)") }
            if case .failure(let error) = verdict(bytes, chunk: 1) { XCTFail("\(name) drip-fed: \(error)") }
        }
    }

    func testEveryNoFileIsRefusedWithASeqPortError() throws {
        let no = try files("n_")
        XCTAssertEqual(no.count, 188)
        for (name, bytes) in no {
            for chunk in [Int.max, 1] {
                switch verdict(bytes, chunk: chunk) {
                case .success: XCTFail("\(name) accepted (chunk \(chunk))")
                case .failure(let error): XCTAssertTrue(error is SeqPortError, "\(name): \(error)")
                }
            }
        }
    }

    func testEveryImplementationDefinedFileEndsWithoutCrashing() throws {
        let either = try files("i_")
        XCTAssertEqual(either.count, 35)
        for (name, bytes) in either {
            if case .failure(let error) = verdict(bytes) { XCTAssertTrue(error is SeqPortError, "\(name): \(error)") }
        }
    }

    func testHundredThousandOpeningArraysStopAtTheDepthLimit() throws {
        let bytes = try XCTUnwrap(try files("n_structure_100000_opening_arrays.json").first?.1)
        guard case .failure(let error) = verdict(bytes) else { return XCTFail("accepted") }
        XCTAssertEqual((error as? SeqPortError)?.code, .jsonDepth)
    }

    func testByteOrderMarkBeforeAnObjectIsAccepted() throws {
        let bytes = try XCTUnwrap(try files("i_structure_UTF-8_BOM_empty_object.json").first?.1)
        XCTAssertNoThrow(try JSONTokenizer.validate(MemorySource(bytes)))
    }
}
