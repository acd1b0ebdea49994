import Foundation
import SeqPortModel
import XCTest

@testable import SeqPortCSV

/// maxogden/csv-spectrum: every `csvs/X.csv`, read untyped, gives exactly `json/X.json`.
final class CSVSpectrumTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Corpora/csv-spectrum").standardizedFileURL

    func testEverySpectrumFileReadsAsItsExpectedJSON() throws {
        let csvs = Self.corpus.appendingPathComponent("csvs")
        let names = try FileManager.default.contentsOfDirectory(atPath: csvs.path).filter { $0.hasSuffix(".csv") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 11, "the corpus is at \(Self.corpus.path)")
        for name in names {
            let base = String(name.dropLast(4))
            let bytes = Array(try Data(contentsOf: csvs.appendingPathComponent(name)))
            let json = try Data(contentsOf: Self.corpus.appendingPathComponent("json/\(base).json"))
            let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [[String: Any]], base)
            let expectedRows: [[String: String]] = expected.map { row in row.mapValues { $0 as? String ?? "<not a string>" } }
            for chunk in [1, .max] {
                let (layout, records) = try CSVTest.read(MemorySource(bytes, chunk: chunk))
                let rows: [[String: String]] = records.map { record in
                    Dictionary(uniqueKeysWithValues: zip(layout.fields.map(\.name), record.values.map { $0.text ?? "<null>" }))
                }
                XCTAssertEqual(rows, expectedRows, "\(base), chunk \(chunk)")
            }
        }
    }
}
