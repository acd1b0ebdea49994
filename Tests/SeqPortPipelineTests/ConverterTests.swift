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
            // The path as given, not only its base name: a partner converting many files must find the one.
            XCTAssertEqual(e?.description.hasPrefix(dir + "/f.csv line 2"), true, "\(String(describing: e))")
            XCTAssertEqual(e?.location.field, "rating")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/f.json"), "a failed conversion leaves no output")
    }
}

/// Issue #13, item 2: partner files as partners send them — JSON Lines, `;`, Latin-1, Windows-1252, UTF-16.
final class PartnerInputTests: XCTestCase {
    func convert(_ bytes: [UInt8], name: String, to: ConvertFormat, _ configure: (inout ConvertOptions) -> Void = { _ in }) throws -> String {
        let dir = try temporaryDirectory(self)
        let input = dir + "/" + name
        FileManager.default.createFile(atPath: input, contents: Data(bytes))
        var options = ConvertOptions()
        configure(&options)
        try Converter.convert(path: input, from: ConvertFormat.forPath(name)!, to: to, layout: nil, out: dir + "/out", options: options)
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/out")), as: UTF8.self)
    }

    func testJSONLinesInAndOutRoundTripsEveryValue() throws {
        let lines = "{\"id\":\"1\",\"name\":\"Åsa, \\\"A\\\"\\n\\u0000\"}\n\n{\"name\":null,\"id\":\"2\"}\r\n"
        let json = try convert(Array(lines.utf8), name: "p.ndjson", to: .json)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        XCTAssertEqual(parsed.count, 2)
        XCTAssertEqual(parsed[0]["name"] as? String, "Åsa, \"A\"\n\u{0}")
        XCTAssertTrue(parsed[1]["name"] is NSNull)
        let back = try convert(Array(json.utf8), name: "p.json", to: .jsonl)
        XCTAssertEqual(back, "{\"id\":\"1\",\"name\":\"Åsa, \\\"A\\\"\\n\\u0000\"}\n{\"id\":\"2\",\"name\":null}\n")
        XCTAssertEqual(try convert([], name: "empty.jsonl", to: .jsonl), "", "no lines, no records")
    }

    func testJSONLinesRefusesTwoRecordsOnOneLineAndNonObjects() throws {
        for (text, code) in [("{\"a\":\"1\"} {\"a\":\"2\"}\n", SeqPortError.Code.jsonSyntax), ("{\"a\":\"1\"}\n[1]\n", .jsonNotRecords)] {
            XCTAssertThrowsError(try convert(Array(text.utf8), name: "bad.jsonl", to: .json)) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, code, "\(error)")
                XCTAssertTrue("\(error)".contains("bad.jsonl"), "errors name the file's path: \(error)")
            }
        }
    }

    func testSemicolonsAndWindows1252AreReadAsTheyWereMeant() throws {
        // "Åsa;Café €5" in Windows-1252, with Swedish Excel's ; separator.
        let bytes: [UInt8] = Array("name;note\r\n".utf8) + [0xC5, 0x73, 0x61, 0x3B, 0x43, 0x61, 0x66, 0xE9, 0x20, 0x80, 0x35, 0x0D, 0x0A]
        let json = try convert(bytes, name: "p.csv", to: .jsonl) { $0.delimiter = nil; $0.encoding = .windows1252 }
        XCTAssertEqual(json, "{\"name\":\"Åsa\",\"note\":\"Café €5\"}\n")
        let latin1 = try convert(bytes, name: "p.csv", to: .jsonl) { $0.delimiter = UInt8(ascii: ";"); $0.encoding = .latin1 }
        XCTAssertEqual(latin1, "{\"name\":\"Åsa\",\"note\":\"Café \u{80}5\"}\n", "Latin-1 maps 0x80 to U+0080")
        XCTAssertThrowsError(try convert(bytes + [0x81], name: "p.csv", to: .json) { $0.delimiter = nil; $0.encoding = .windows1252 }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .encodingInvalid, "\(error)")
            XCTAssertTrue("\(error)".contains("byte offset \(bytes.count)"), "\(error)")
        }
        // Without --encoding, Windows-1252 bytes are not UTF-8: refused, never guessed.
        XCTAssertThrowsError(try convert(bytes, name: "p.csv", to: .json) { $0.delimiter = nil }) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .csvInvalidUTF8, "\(error)")
            XCTAssertEqual((error as? SeqPortError)?.location.line, 2)
        }
    }

    func testUTF16IsReadByItsByteOrderMarkInEitherOrder() throws {
        let text = "id,name\r\n1,😀 Åsa\r\n"
        let units = Array(text.utf16)
        let le: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [le, be] {
            XCTAssertEqual(try convert(bytes, name: "u.csv", to: .jsonl), "{\"id\":\"1\",\"name\":\"😀 Åsa\"}\n")
        }
        XCTAssertThrowsError(try convert(Array(le.dropLast()), name: "u.csv", to: .jsonl)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .encodingInvalid, "\(error)")
        }
    }
}

/// `--max-errors`: one run reports every record error up to the limit, with path, line, record and field.
final class MaxErrorsTests: XCTestCase {
    func testEveryBadRecordIsReportedInOneRunUpToTheLimitAndNothingIsWritten() throws {
        let dir = try temporaryDirectory(self)
        let layout = try defaultConfiguration().schema.category(named: "feedback")!.layout(scope: .access)
        var text = "id,submitted_at,rating,comment\r\n"
        for n in 0..<50 { text += "f\(n),2024-01-01T00:00:00Z,\(n % 5 == 0 ? "bad" : "3"),ok\r\n" }
        text += "z,soon,4,ok\r\n"
        let input = dir + "/feedback.csv"
        FileManager.default.createFile(atPath: input, contents: Data(text.utf8))
        var options = ConvertOptions()
        XCTAssertThrowsError(try Converter.convert(path: input, from: .csv, to: .json, layout: layout, out: dir + "/out.json", options: options)) { error in
            guard let failures = error as? ConversionErrors else { return XCTFail("\(error)") }
            XCTAssertEqual(failures.total, 11)
            XCTAssertEqual(failures.errors.map(\.location.record), [1, 6, 11, 16, 21, 26, 31, 36, 41, 46, 51])
            XCTAssertEqual(failures.errors.first?.location.entry, input)
            XCTAssertEqual(failures.errors.last?.location.field, "submitted_at")
            XCTAssertEqual(failures.counts, ["value.type": 11])
            XCTAssertFalse(failures.stopped)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.json"), "nothing is written when a record is bad")
        options.maxErrors = 3
        XCTAssertThrowsError(try Converter.convert(path: input, from: .csv, to: .json, layout: layout, out: dir + "/out.json", options: options)) { error in
            let failures = error as? ConversionErrors
            XCTAssertEqual(failures?.errors.count, 3)
            XCTAssertEqual(failures?.stopped, true)
            XCTAssertTrue(failures?.summary.contains("reading stopped there") == true)
        }
    }
}

/// `--max-errors` for XML read without a mapping: a bad record is skipped to its end and the next is read.
final class XMLMaxErrorsTests: XCTestCase {
    /// Feedback records; records 2, 6 and 10 have a bad rating, record 7 an element no field has.
    func feedbackXML(count: Int = 12) -> String {
        var text = "<feedback xmlns=\"urn:seqport:bundle:1\">\n"
        for n in 0..<count {
            text += "  <record><id>f\(n)</id><submitted_at>2024-01-01T00:00:00Z</submitted_at>"
                + "<rating>\([1, 5, 9].contains(n) ? "bad" : "3")</rating><comment>ok</comment>\(n == 6 ? "<zz>1</zz>" : "")</record>\n"
        }
        return text + "</feedback>\n"
    }

    func testConvertingXMLReportsEveryBadRecordWithItsLineAndWritesNothing() throws {
        let dir = try temporaryDirectory(self)
        let layout = try defaultConfiguration().schema.category(named: "feedback")!.layout(scope: .access)
        let input = dir + "/feedback.xml"
        FileManager.default.createFile(atPath: input, contents: Data(feedbackXML().utf8))
        var options = ConvertOptions()
        XCTAssertThrowsError(try Converter.convert(path: input, from: .xml, to: .csv, layout: layout, out: dir + "/out.csv", options: options)) { error in
            guard let failures = error as? ErrorList else { return XCTFail("\(error)") }
            XCTAssertEqual(failures.total, 4)
            XCTAssertEqual(failures.errors.map(\.location.record), [2, 6, 7, 10])
            XCTAssertEqual(failures.errors.map(\.location.line), [3, 7, 8, 11])
            XCTAssertEqual(failures.errors.map(\.location.field), ["rating", "rating", "zz", "rating"])
            XCTAssertEqual(failures.errors.map(\.location.entry), [input, input, input, input], "the full path")
            XCTAssertEqual(failures.counts, ["value.type": 3, "xml.unknown-field": 1])
            XCTAssertFalse(failures.stopped)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.csv"), "nothing is written when a record is bad")
        // Untyped, only the element no field has is an error.
        XCTAssertThrowsError(try Converter.convert(path: input, from: .xml, to: .csv, layout: nil, out: dir + "/out.csv", options: options)) { error in
            XCTAssertEqual((error as? ErrorList)?.errors.map(\.code), [.xmlUnknownField], "\(error)")
            XCTAssertEqual((error as? ErrorList)?.errors.map(\.location.record), [7])
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.csv"))
        options.maxErrors = 2
        XCTAssertThrowsError(try Converter.convert(path: input, from: .xml, to: .csv, layout: layout, out: dir + "/out.csv", options: options)) { error in
            let failures = error as? ErrorList
            XCTAssertEqual(failures?.errors.map(\.location.record), [2, 6])
            XCTAssertEqual(failures?.stopped, true)
        }
        options.maxErrors = 1
        XCTAssertThrowsError(try Converter.convert(path: input, from: .xml, to: .csv, layout: layout, out: dir + "/out.csv", options: options)) { error in
            XCTAssertEqual((error as? SeqPortError)?.location.record, 2, "one error allowed: the first, as it is: \(error)")
        }
    }

    /// An error that leaves the document unreadable still stops, and joins the errors found before it.
    func testASyntaxErrorAfterBadRecordsEndsTheList() throws {
        let dir = try temporaryDirectory(self)
        let layout = try defaultConfiguration().schema.category(named: "feedback")!.layout(scope: .access)
        let input = dir + "/feedback.xml"
        // Far enough from the bad records that libxml2, which parses ahead, has not reached it before them.
        let broken = feedbackXML(count: 3000).replacingOccurrences(of: "<id>f2900</id>", with: "<id>f2900</idd>")
        FileManager.default.createFile(atPath: input, contents: Data(broken.utf8))
        XCTAssertThrowsError(try Converter.convert(path: input, from: .xml, to: .csv, layout: layout, out: dir + "/out.csv", options: ConvertOptions())) { error in
            guard let failures = error as? ErrorList else { return XCTFail("\(error)") }
            XCTAssertEqual(failures.errors.map(\.code.rawValue), ["value.type", "value.type", "xml.unknown-field", "value.type", "xml.syntax"])
            XCTAssertEqual(failures.errors.last?.location.line, 2902)
            XCTAssertTrue(failures.stopped)
        }
    }
}

/// Issue #13, item 5: `convert` reads and writes vCard (2.1–4.0) and jCard, one record per card.
final class CardConvertTests: XCTestCase {
    func testATakeoutStyleVCardConvertsToJSONLinesAndBackWithEveryPropertyKept() throws {
        let dir = try temporaryDirectory(self)
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Åsa Öberg\r\nN:Öberg;Åsa;;;\r\nitem1.EMAIL;TYPE=INTERNET,HOME:asa@example.se\r\nTEL;TYPE=CELL:+46 70 123 45 67\r\nX-FOO:bar\\, baz\r\nEND:VCARD\r\n"
        FileManager.default.createFile(atPath: dir + "/c.vcf", contents: Data(card.utf8))
        var options = ConvertOptions()
        options.maxErrors = 1
        try Converter.convert(path: dir + "/c.vcf", from: .vcf, to: .jsonl, layout: nil, out: dir + "/c.jsonl", options: options)
        let line = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/c.jsonl")), as: UTF8.self)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        XCTAssertEqual(object["fn"] as? String, "Åsa Öberg")
        XCTAssertEqual(object["item1/email"] as? String, "asa@example.se")
        XCTAssertEqual(object["x-foo"] as? String, "bar, baz", "unknown properties become fields: nothing is dropped")
        try Converter.convert(path: dir + "/c.jsonl", from: .jsonl, to: .vcf, layout: nil, out: dir + "/back.vcf", options: options)
        let back = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/back.vcf")), as: UTF8.self)
        for expected in ["VERSION:4.0", "FN:Åsa Öberg", "item1.EMAIL;TYPE=INTERNET,HOME:asa@example.se", "X-FOO:bar"] {
            XCTAssertTrue(back.contains(expected), "\(expected) in \(back)")
        }
        try Converter.convert(path: dir + "/c.vcf", from: .vcf, to: .jcard, layout: nil, out: dir + "/c.jcard", options: options)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/c.jcard"))))
    }
}
