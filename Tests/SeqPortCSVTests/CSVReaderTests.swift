import SeqPortModel
import XCTest

@testable import SeqPortCSV

final class CSVReaderTests: XCTestCase {
    let person = RecordLayout(name: "person", fields: [
        Field(name: "id", type: .integer, nullable: false),
        Field(name: "born", type: .date),
        Field(name: "status", type: .enumeration(["active", "closed"])),
        Field(name: "vip", type: .boolean),
        Field(name: "seen", type: .timestamp),
    ])

    private func assertLocation(
        _ error: SeqPortError?, _ code: SeqPortError.Code, line: Int?, column: Int?, record: Int?, field: String?,
        hides secret: String? = nil, file: StaticString = #filePath, at testLine: UInt = #line
    ) {
        guard let error else { return }
        XCTAssertEqual(error.code, code, file: file, line: testLine)
        XCTAssertEqual(
            error.location, SourceLocation(line: line, column: column, record: record, field: field),
            "\(error)", file: file, line: testLine)
        XCTAssertFalse(error.message.isEmpty, file: file, line: testLine)
        XCTAssertFalse(error.message.hasSuffix("."), file: file, line: testLine)
        if let secret {
            XCTAssertFalse(error.description.contains(secret), "\(error) shows the value", file: file, line: testLine)
        }
    }

    // MARK: What is accepted

    func testHeaderIsReadWhenTheReaderIsCreated() throws {
        let reader = try CSVReader(source: MemorySource("a,b\n1,2\n"), layout: nil)
        XCTAssertEqual(reader.layout.fields, [Field.untyped("a"), Field.untyped("b")])
        XCTAssertFalse(reader.layout.isTyped)
    }

    func testLFCRLFMixedLineEndsAndAMissingFinalNewlineAreAccepted() throws {
        let (_, records) = try CSVTest.read("a,b\r\n1,2\n3,4\r\n5,6")
        XCTAssertEqual(records, [["1", "2"], ["3", "4"], ["5", "6"]])
    }

    func testAByteOrderMarkIsSkippedEvenDripFed() throws {
        let (layout, records) = try CSVTest.read("\u{FEFF}a\n1\n", chunk: 1)
        XCTAssertEqual(layout.fields.map(\.name), ["a"])
        XCTAssertEqual(records, [["1"]])
    }

    func testUnquotedEmptyIsNullAndQuotedEmptyIsTheEmptyString() throws {
        let (_, records) = try CSVTest.read("a,b,c\n,\"\",\n\"\",,\"\"")
        XCTAssertEqual(records, [[nil, "", nil], ["", nil, ""]])
    }

    func testQuotedFieldsKeepLineEndsAndEscapedQuotesExactly() throws {
        let (_, records) = try CSVTest.read("a,b\n\"x\r\ny\",\"say \"\"hi\"\"\"\n\"\n\",\"\r\"\r\n")
        XCTAssertEqual(records, [["x\r\ny", "say \"hi\""], ["\n", "\r"]])
    }

    func testABlankLineInASingleColumnFileIsNull() throws {
        let (_, records) = try CSVTest.read("a\n1\n\n2\n")
        XCTAssertEqual(records, [["1"], [nil], ["2"]])
    }

    func testATrailingSeparatorAtTheEndOfInputEndsWithANull() throws {
        let (_, records) = try CSVTest.read("a,b\n1,")
        XCTAssertEqual(records, [["1", nil]])
    }

    func testTypedRecordsComeInLayoutOrderWhateverTheColumnOrder() throws {
        let csv = "seen,vip,status,born,id\n2024-05-01T12:00:00+02:00,true,active,1990-02-28,-0\n,,,,7\n"
        let (layout, records) = try CSVTest.read(csv, layout: person)
        XCTAssertEqual(layout, person)
        XCTAssertEqual(records, [["0", "1990-02-28", "active", "true", "2024-05-01T10:00:00Z"], ["7", nil, nil, nil, nil]])
    }

    func testTheFormulaGuardIsUndoneOnlyOnStringFields() throws {
        let layout = RecordLayout(name: "t", fields: [Field(name: "s", type: .string), Field(name: "f", type: .file)])
        let (_, records) = try CSVTest.read("s,f\n'=1,'=1\n''@x,x\n'a,'\n", layout: layout)
        XCTAssertEqual(records, [["=1", "'=1"], ["'@x", "x"], ["'a", "'"]])
        var reader = try CSVReader(source: MemorySource("s\n'=1\n"), layout: nil, options: .init(formulaGuard: false))
        XCTAssertEqual(try reader.next(), ["'=1"])
    }

    // MARK: Typed values

    func testABadTypedValueNamesLineColumnRecordAndField() {
        let csv = "id,born,status,vip,seen\n1,1990-01-01,active,true,\n2,1990-02-30,active,true,\n"
        assertLocation(
            CSVTest.failure(csv, layout: person), .valueType, line: 3, column: 3, record: 2, field: "born",
            hides: "1990-02-30")
    }

    func testTypedErrorsCarryTheFieldsCode() {
        let header = "id,born,status,vip,seen\n"
        assertLocation(
            CSVTest.failure(header + "x1,,,,\n", layout: person), .valueType, line: 2, column: 1, record: 1, field: "id",
            hides: "x1")
        assertLocation(
            CSVTest.failure(header + "9223372036854775808,,,,\n", layout: person), .valueRange,
            line: 2, column: 1, record: 1, field: "id")
        assertLocation(
            CSVTest.failure(header + "1,,gone,,\n", layout: person), .valueEnum, line: 2, column: 4, record: 1,
            field: "status", hides: "gone")
        assertLocation(
            CSVTest.failure(header + "1,,,yes,\n", layout: person), .valueType, line: 2, column: 5, record: 1,
            field: "vip", hides: "yes")
        assertLocation(
            CSVTest.failure(header + ",,,,\n", layout: person), .valueNull, line: 2, column: 1, record: 1, field: "id")
        assertLocation(
            CSVTest.failure(header + "\"\",,,,\n", layout: person), .valueType, line: 2, column: 1, record: 1,
            field: "id")
    }

    // MARK: Syntax refusals

    func testInvalidUTF8IsRefusedAtItsByte() {
        let header = Array("a,b\n".utf8)
        let cases: [([UInt8], Int)] = [
            (Array("1,x".utf8) + [0xFF] + Array("y\n".utf8), 4),  // never valid
            (Array("1,".utf8) + [0xC0, 0x80, 0x0A], 3),  // overlong NUL
            (Array("1,".utf8) + [0xED, 0xA0, 0x80, 0x0A], 4),  // surrogate
            (Array("1,".utf8) + [0xE2, 0x82, 0x2C, 0x0A], 5),  // truncated before a separator
            (Array("1,\"".utf8) + [0xF0, 0x9F, 0x98, 0x22, 0x0A], 7),  // truncated before a closing quote
        ]
        for (row, column) in cases {
            for chunk in [1, .max] {
                assertLocation(
                    CSVTest.failure(header + row, chunk: chunk), .csvInvalidUTF8, line: 2, column: column, record: 1,
                    field: "b")
            }
        }
        assertLocation(
            CSVTest.failure(header + Array("1,".utf8) + [0xE2, 0x82]), .csvInvalidUTF8, line: 2, column: 5, record: 1,
            field: "b")
        assertLocation(CSVTest.failure([0x61, 0xFF, 0x0A]), .csvInvalidUTF8, line: 1, column: 2, record: nil, field: nil)
    }

    func testABareQuoteInAnUnquotedFieldIsRefused() {
        assertLocation(
            CSVTest.failure("a,b\n1,se\"cret\n"), .csvBareQuote, line: 2, column: 5, record: 1, field: "b",
            hides: "secret")
    }

    func testGarbageAfterAClosingQuoteIsRefused() {
        assertLocation(
            CSVTest.failure("a,b\n1,\"sec\"ret\n", chunk: 1), .csvQuoteGarbage, line: 2, column: 8, record: 1,
            field: "b", hides: "ret")
    }

    func testAnUnterminatedQuoteReportsTheLineWhereItStarted() {
        assertLocation(
            CSVTest.failure("a,b\n1,2\n3,\"secret\nmore\nlines\n"), .csvUnterminatedQuote, line: 3, column: 3,
            record: 2, field: "b", hides: "secret")
    }

    func testACarriageReturnWithoutALineFeedIsRefused() {
        assertLocation(CSVTest.failure("a,b\r1,2\n"), .csvBareCR, line: 1, column: 4, record: nil, field: nil)
        assertLocation(CSVTest.failure("a,b\n1,\"2\"\r"), .csvBareCR, line: 2, column: 6, record: 1, field: "b")
    }

    func testARowWithTooFewFieldsNamesTheFirstMissingOne() {
        assertLocation(CSVTest.failure("a,b,c\n1,2,3\n4,5\n"), .csvFieldCount, line: 3, column: nil, record: 2, field: "c")
    }

    func testARowWithTooManyFieldsIsRefusedAtTheExtraField() {
        assertLocation(CSVTest.failure("a,b\n1,2,3\n"), .csvFieldCount, line: 2, column: 5, record: 1, field: nil)
    }

    func testABlankLineAmongSeveralColumnsIsAFieldCountError() {
        assertLocation(CSVTest.failure("a,b\n1,2\n\n3,4\n"), .csvFieldCount, line: 3, column: nil, record: 2, field: "b")
    }

    func testACellOverTheValueLimitIsRefusedAtTheFirstByteTooMany() {
        var limits = ReaderLimits()
        limits.maxValueBytes = 5
        assertLocation(
            CSVTest.failure("a,b\n1,\"12345\"\n1,123456\n", chunk: 2, limits: limits), .valueTooLong,
            line: 3, column: 8, record: 2, field: "b", hides: "123456")
    }

    func testAnEndlessCellStopsBufferingAtTheLimit() {
        var limits = ReaderLimits()
        limits.maxValueBytes = 1000
        let source = EndlessSource(header: "a\n")
        XCTAssertThrowsError(try CSVTest.read(source, limits: limits)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .valueTooLong)
        }
        XCTAssertLessThanOrEqual(source.served, 2 + CSVScanner.chunkSize)
    }

    func testMoreColumnsThanTheLimitAreRefused() {
        var limits = ReaderLimits()
        limits.maxFields = 3
        assertLocation(CSVTest.failure("a,b,c,d\n", limits: limits), .csvTooManyFields, line: 1, column: 7, record: nil, field: nil)
    }

    // MARK: Header refusals

    func testAnEmptyInputHasNoHeader() {
        for input in ["", "\u{FEFF}", "\n", "\r\n"] {
            assertLocation(CSVTest.failure(input), .csvNoHeader, line: 1, column: nil, record: nil, field: nil)
        }
    }

    func testEmptyAndDuplicateColumnNamesAreRefused() {
        assertLocation(CSVTest.failure("a,,b\n"), .csvHeader, line: 1, column: 3, record: nil, field: nil)
        assertLocation(CSVTest.failure("a,\"\"\n"), .csvHeader, line: 1, column: 3, record: nil, field: nil)
        assertLocation(CSVTest.failure("a,b,a\n1,2,3\n"), .csvHeader, line: 1, column: 5, record: nil, field: "a")
    }

    func testAColumnNameOverTheNameLimitIsRefused() {
        var limits = ReaderLimits()
        limits.maxNameBytes = 4
        assertLocation(CSVTest.failure("abcd,abcde\n", limits: limits), .csvHeader, line: 1, column: 10, record: nil, field: nil)
    }

    func testAHeaderThatDoesNotMatchTheSchemaNamesTheColumn() {
        assertLocation(
            CSVTest.failure("id,born,status,vip,seen,extra\n", layout: person), .csvHeaderMismatch,
            line: 1, column: 25, record: nil, field: "extra")
        assertLocation(
            CSVTest.failure("id,born,vip,seen\n", layout: person), .csvHeaderMismatch,
            line: 1, column: nil, record: nil, field: "status")
        assertLocation(
            CSVTest.failure("id,born,status,vip,seen,id\n", layout: person), .csvHeader,
            line: 1, column: 25, record: nil, field: "id")
    }

    func testErrorsDescribeThePlaceOnOneLine() {
        let error = CSVTest.failure("a,b\n1,se\"cret\n")
        XCTAssertEqual(error?.description, "line 2 column 5, record 1, field \"b\": quote inside an unquoted field")
        XCTAssertEqual(
            error?.within(entry: "csv/contact.csv").description,
            "csv/contact.csv line 2 column 5, record 1, field \"b\": quote inside an unquoted field")
    }
}

/// `CSVReader.Options.spreadsheet`: what spreadsheets save, read as they meant it (Specs/csv.md).
final class CSVSpreadsheetTests: XCTestCase {
    let layout = RecordLayout(name: "t", fields: [
        Field(name: "id", type: .string, nullable: false),
        Field(name: "flag", type: .boolean),
        Field(name: "amount", type: .decimal),
        Field(name: "note", type: .string, nullable: false),
        Field(name: "maybe", type: .string),
    ])

    func read(_ text: String, _ options: CSVReader.Options = .spreadsheet) throws -> (CSVReader, [Record]) {
        var reader = try CSVReader(source: MemorySource(Array(text.utf8), chunk: 3), layout: layout, options: options)
        var records: [Record] = []
        while let r = try reader.next() { records.append(r) }
        return (reader, records)
    }

    func testSemicolonsSwedishBooleansDecimalCommasAndEmptyCells() throws {
        let (reader, records) = try read("\u{FEFF}id;flag;amount;note;maybe\r\na;SANT;12,5;;\r\nb;falskt;-3;x;\r\nc;True;;\"\";y\r\n")
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(records, [Record(["a", "true", "12.5", "", nil]), Record(["b", "false", "-3", "x", nil]), Record(["c", "true", nil, "", "y"])])
    }

    func testTabsAreDetectedAndCommasInsideQuotesDoNotCount() throws {
        let (reader, records) = try read("id\tflag\tamount\tnote\tmaybe\r\n\"a,b,c,d\"\tFALSE\t1.5\tn\tm\r\n")
        XCTAssertEqual(reader.delimiter, 0x09)
        XCTAssertEqual(records, [Record(["a,b,c,d", "false", "1.5", "n", "m"])])
    }

    func testTheStrictReaderStillRefusesWhatOnlySpreadsheetsWrite() {
        XCTAssertThrowsError(try read("id,flag,amount,note,maybe\r\na,TRUE,1,n,m\r\n", .init())) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .valueType, "\(error)")
        }
        XCTAssertThrowsError(try read("id,flag,amount,note,maybe\r\na,true,1,,m\r\n", .init())) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .valueNull, "\(error)")
        }
    }

    func testADecimalCommaIsOnlyReadInASemicolonFile() {
        XCTAssertThrowsError(try read("id,flag,amount,note,maybe\r\na,true,\"12,5\",n,m\r\n")) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .valueType, "\(error)")
        }
    }
}
