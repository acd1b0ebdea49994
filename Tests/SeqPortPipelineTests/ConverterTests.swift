import Foundation
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class ConverterTests: XCTestCase {
    let spectrum = packageRoot + "/Tests/Corpora/csv-spectrum"

    /// Every csv-spectrum file converted with `seqport convert FILE --to json` gives its expected JSON.
    func testEveryCsvSpectrumFileConvertsToItsExpectedJSON() throws {
        let dir = try temporaryDirectory(self)
        let names = try FileManager.default.contentsOfDirectory(atPath: spectrum + "/csvs").filter { $0.hasSuffix(".csv") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 11)
        for name in names {
            let base = (name as NSString).deletingPathExtension
            let out = dir + "/\(base).json"
            try Converter.convert(path: spectrum + "/csvs/" + name, from: .csv, to: .json, layout: nil, out: out)
            let got = try JSONSerialization.jsonObject(with: try XCTUnwrap(FileManager.default.contents(atPath: out))) as? [[String: String]]
            let expected = try JSONSerialization.jsonObject(with: try XCTUnwrap(FileManager.default.contents(atPath: spectrum + "/json/\(base).json"))) as? [[String: String]]
            XCTAssertNotNil(got, base)
            XCTAssertEqual(got, expected, base)
        }
    }

    /// CSV → XML → JSON → CSV keeps every value and NULL, untyped, as partner files need.
    func testAnUntypedPartnerFileSurvivesAChainOfConversions() throws {
        let dir = try temporaryDirectory(self)
        let csv = "\u{FEFF}id,note,empty\r\n1,\"a,\"\"b\"\"\r\nc\",\r\n2,\"'=x\",\"\"\r\n"
        FileManager.default.createFile(atPath: dir + "/partner.csv", contents: Data(csv.utf8))
        try Converter.convert(path: dir + "/partner.csv", from: .csv, to: .xml, layout: nil, out: dir + "/partner.xml")
        try Converter.convert(path: dir + "/partner.xml", from: .xml, to: .json, layout: nil, out: dir + "/partner.json")
        try Converter.convert(path: dir + "/partner.json", from: .json, to: .csv, layout: nil, out: dir + "/back.csv")
        XCTAssertEqual(String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: dir + "/back.csv")), as: UTF8.self), csv)
    }

    func testATypedConversionRefusesABadValueNamingFileLineAndField() throws {
        let dir = try temporaryDirectory(self)
        let layout = try defaultConfiguration().schema.category(named: "feedback")!.layout(scope: .access)
        FileManager.default.createFile(atPath: dir + "/f.csv", contents: Data("id,submitted_at,rating,comment\r\nx,2024-01-01T00:00:00Z,five,ok\r\n".utf8))
        XCTAssertThrowsError(try Converter.convert(path: dir + "/f.csv", from: .csv, to: .json, layout: layout, out: dir + "/f.json")) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .valueType)
            XCTAssertEqual(e?.description.hasPrefix("f.csv line 2"), true, "\(String(describing: e))")
            XCTAssertEqual(e?.location.field, "rating")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/f.json"), "a failed conversion leaves no output")
    }
}
