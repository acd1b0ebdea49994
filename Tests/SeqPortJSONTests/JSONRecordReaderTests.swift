import SeqPortFormatConformance
import SeqPortModel
@testable import SeqPortJSON
import XCTest

final class JSONRecordReaderTests: XCTestCase {
    private func write(_ layout: RecordLayout, _ records: [Record]) throws -> [UInt8] {
        let sink = MemorySink()
        var writer = JSONRecordWriter(layout: layout, sink: sink)
        for r in records { try writer.write(r) }
        try writer.finish()
        return sink.bytes
    }

    private func read(_ bytes: [UInt8], layout: RecordLayout?, chunk: Int = .max, limits: ReaderLimits = .default) throws -> [Record] {
        var reader = JSONRecordReader(source: MemorySource(bytes, chunk: chunk), layout: layout, limits: limits)
        var out: [Record] = []
        while let r = try reader.next() { out.append(r) }
        XCTAssertNil(try reader.next())
        return out
    }

    private func read(_ text: String, layout: RecordLayout?) throws -> [Record] {
        try read(Array(text.utf8), layout: layout)
    }

    private func refusal(_ text: String, layout: RecordLayout?, file: StaticString = #filePath, line: UInt = #line) -> SeqPortError? {
        do {
            _ = try read(Array(text.utf8), layout: layout)
            XCTFail("accepted", file: file, line: line)
        } catch let e as SeqPortError {
            return e
        } catch {
            XCTFail("not a SeqPortError: \(error)", file: file, line: line)
        }
        return nil
    }

    private let layout = RecordLayout(name: "t", fields: [
        Field(name: "id", type: .integer, nullable: false),
        Field(name: "ok", type: .boolean),
        Field(name: "name", type: .string),
    ])

    // MARK: Round trips

    // The awkward values typed, untyped and in every chunk size: Tests/SeqPortFormatConformanceTests.

    func testUntypedLayoutIsEmptyUntilTheFirstRecordThenItsKeysInOrder() throws {
        let records = AwkwardValues.untypedRecords
        let bytes = try write(AwkwardValues.untypedLayout, records)
        var reader = JSONRecordReader(source: MemorySource(bytes), layout: nil)
        XCTAssertEqual(reader.layout.fields, [])
        var out: [Record] = []
        while let r = try reader.next() { out.append(r) }
        XCTAssertEqual(out, records)
        XCTAssertEqual(reader.layout.fields, AwkwardValues.untypedLayout.fields)
        XCTAssertFalse(reader.layout.isTyped)
    }

    func testEmptyArrayHasNoRecords() throws {
        XCTAssertEqual(try read("[]\n", layout: layout), [])
        XCTAssertEqual(try read(" [ ] ", layout: nil), [])
    }

    // MARK: Typed reading

    func testKeysMayComeInAnyOrderAndRecordsFollowTheLayout() throws {
        XCTAssertEqual(try read(#"[{"name":"a","ok":null,"id":-0},{"ok":false,"id":7,"name":null}]"#, layout: layout), [
            Record(["0", nil, "a"]), Record(["7", "false", nil]),
        ])
    }

    func testValuesAreCanonicalized() throws {
        let layout = RecordLayout(name: "t", fields: [Field(name: "at", type: .timestamp)])
        XCTAssertEqual(try read(#"[{"at":"2024-05-01T12:00:00+02:00"}]"#, layout: layout), [Record(["2024-05-01T10:00:00Z"])])
    }

    func testFractionOrExponentInAnIntegerFieldIsATypeError() {
        for number in ["1.0", "1e3", "1E+0"] {
            let e = refusal("[{\"id\":\(number),\"ok\":true,\"name\":\"x\"}]", layout: layout)
            XCTAssertEqual(e?.code, .valueType, number)
            XCTAssertEqual(e?.location, SourceLocation(line: 1, column: 8, record: 1, field: "id"), number)
        }
    }

    func testIntegerOutsideInt64IsARangeError() {
        let e = refusal(#"[{"id":9223372036854775808,"ok":true,"name":"x"}]"#, layout: layout)
        XCTAssertEqual(e?.code, .valueRange)
        XCTAssertEqual(e?.location.field, "id")
        XCTAssertEqual(try read(#"[{"id":-9223372036854775808,"ok":true,"name":"x"}]"#, layout: layout).first?[0], "-9223372036854775808")
    }

    func testWrongJSONKindIsATypeErrorOnItsLine() {
        let cases = [
            #"{"id":"1","ok":true,"name":"x"}"#: "id",
            #"{"id":1,"ok":"true","name":"x"}"#: "ok",
            #"{"id":1,"ok":1,"name":"x"}"#: "ok",
            #"{"id":1,"ok":true,"name":5}"#: "name",
            #"{"id":1,"ok":true,"name":false}"#: "name",
            #"{"id":true,"ok":true,"name":"x"}"#: "id",
        ]
        for (object, field) in cases {
            let e = refusal("[\n{\"id\":1,\"ok\":true,\"name\":\"x\"},\n\(object)\n]", layout: layout)
            XCTAssertEqual(e?.code, .valueType, object)
            XCTAssertEqual(e?.location.line, 3, object)
            XCTAssertEqual(e?.location.record, 2, object)
            XCTAssertEqual(e?.location.field, field, object)
        }
    }

    func testNullInANonNullableFieldIsRefused() {
        let e = refusal(#"[{"id":null,"ok":true,"name":"x"}]"#, layout: layout)
        XCTAssertEqual(e?.code, .valueNull)
        XCTAssertEqual(e?.location, SourceLocation(line: 1, column: 8, record: 1, field: "id"))
    }

    func testFieldRuleErrorsNameThePlaceButNotTheValue() {
        let layout = RecordLayout(name: "t", fields: [Field(name: "email", type: .string, format: .email)])
        let e = refusal("[{\"email\":\"ada@example.org\"},\n  {\"email\":\"secret-not-an-address\"}]", layout: layout)
        XCTAssertEqual(e?.code, .valueFormat)
        XCTAssertEqual(e?.location, SourceLocation(line: 2, column: 12, record: 2, field: "email"))
        XCTAssertFalse(e?.description.contains("secret") ?? true)
    }

    func testMissingKeyNamesTheFieldAndRecord() {
        let e = refusal(#"[{"id":1,"ok":true,"name":"x"},{"id":2,"name":"y"}]"#, layout: layout)
        XCTAssertEqual(e?.code, .jsonMissingKey)
        XCTAssertEqual(e?.location, SourceLocation(line: 1, column: 50, record: 2, field: "ok"))
    }

    func testUnknownKeyIsRefused() {
        let e = refusal(#"[{"id":1,"ok":true,"name":"x","extra":"secret"}]"#, layout: layout)
        XCTAssertEqual(e?.code, .jsonUnknownKey)
        XCTAssertEqual(e?.location, SourceLocation(line: 1, column: 31, record: 1, field: "extra"))
        XCTAssertFalse(e?.description.contains("secret") ?? true)
    }

    func testDuplicateKeyIsRefusedEvenWhenTheValuesAgree() {
        for text in [#"[{"id":1,"id":1,"ok":true,"name":"x"}]"#, #"[{"ok":true,"id":1,"name":"x","ok":true}]"#] {
            let e = refusal(text, layout: layout)
            XCTAssertEqual(e?.code, .jsonDuplicateKey, text)
            XCTAssertEqual(e?.location.record, 1, text)
        }
        XCTAssertEqual(refusal(#"[{"a":1,"a":2}]"#, layout: nil)?.code, .jsonDuplicateKey)
    }

    func testNestedValueIsNotFlat() {
        for value in ["[1]", "{}", "{\"a\":1}"] {
            let e = refusal("[{\"id\":1,\"ok\":true,\"name\":\(value)}]", layout: layout)
            XCTAssertEqual(e?.code, .jsonNotFlat, value)
            XCTAssertEqual(e?.location.field, "name", value)
            XCTAssertEqual(e?.location.column, 27, value)
        }
        XCTAssertEqual(refusal(#"[{"a":[]}]"#, layout: nil)?.code, .jsonNotFlat)
    }

    func testDocumentThatIsNotAnArrayOfObjectsIsNotRecords() {
        for text in [#"{"id":1}"#, "1", "\"x\"", "null"] {
            XCTAssertEqual(refusal(text, layout: layout)?.code, .jsonNotRecords, text)
        }
        let e = refusal(#"[{"id":1,"ok":true,"name":"x"}, 5]"#, layout: layout)
        XCTAssertEqual(e?.code, .jsonNotRecords)
        XCTAssertEqual(e?.location.record, 2)
        XCTAssertEqual(refusal("[[]]", layout: nil)?.code, .jsonNotRecords)
    }

    func testSyntaxErrorInsideARecordNamesTheRecord() {
        let e = refusal("[{\"id\":1,\"ok\":true,\"name\":\"x\"},\n{\"id\":2,,}]", layout: layout)
        XCTAssertEqual(e?.code, .jsonSyntax)
        XCTAssertEqual(e?.location.line, 2)
        XCTAssertEqual(e?.location.column, 9)
        XCTAssertEqual(e?.location.record, 2)
    }

    func testTrailingCommaAndGarbageAfterTheArrayAreRefused() {
        XCTAssertEqual(refusal(#"[{"id":1,"ok":true,"name":"x"},]"#, layout: layout)?.code, .jsonSyntax)
        XCTAssertEqual(refusal(#"[{"id":1,"ok":true,"name":"x"}] []"#, layout: layout)?.code, .jsonSyntax)
        XCTAssertEqual(refusal(#"[{"id":1,"ok":true,"name":"x"}"#, layout: layout)?.code, .jsonTruncated)
    }

    // MARK: Untyped reading

    func testUntypedNumbersAndBooleansBecomeTheirTextAndNullStaysNull() throws {
        var reader = JSONRecordReader(source: MemorySource(#"[{"b":1.50e3,"a":true,"c":null,"d":""}]"#), layout: nil)
        XCTAssertEqual(try reader.next(), Record(["1.50e3", "true", nil, ""]))
        XCTAssertEqual(reader.layout.fields.map(\.name), ["b", "a", "c", "d"])
        XCTAssertEqual(reader.layout.fields, ["b", "a", "c", "d"].map { Field.untyped($0) })
        XCTAssertNil(try reader.next())
    }

    func testUntypedLaterObjectsMustHaveTheFirstObjectsKeys() throws {
        XCTAssertEqual(try read(#"[{"a":1,"b":2},{"b":3,"a":4}]"#, layout: nil), [Record(["1", "2"]), Record(["4", "3"])])
        let missing = refusal(#"[{"a":1,"b":2},{"a":3}]"#, layout: nil)
        XCTAssertEqual(missing?.code, .jsonMissingKey)
        XCTAssertEqual(missing?.location.field, "b")
        XCTAssertEqual(missing?.location.record, 2)
        let unknown = refusal(#"[{"a":1},{"a":3,"c":4}]"#, layout: nil)
        XCTAssertEqual(unknown?.code, .jsonUnknownKey)
        XCTAssertEqual(unknown?.location.field, "c")
    }

    func testUntypedFirstObjectWithTooManyKeysIsRefused() {
        var limits = ReaderLimits()
        limits.maxFields = 2
        XCTAssertThrowsError(try read(Array(#"[{"a":1,"b":2,"c":3}]"#.utf8), layout: nil, limits: limits)) { error in
            XCTAssertEqual((error as? SeqPortError)?.code, .jsonTooManyFields)
        }
    }

    func testReaderStopsAfterTheFirstError() throws {
        var reader = JSONRecordReader(source: MemorySource(#"[{"id":"x","ok":true,"name":"x"}]"#), layout: layout)
        XCTAssertThrowsError(try reader.next())
        XCTAssertNil(try reader.next())
    }

    // MARK: Reading on past one record's errors (--max-errors)

    /// After an error about one record's keys or values the rest of that object is skipped and the next
    /// record is read; a syntax error still ends the reading.
    func testAnErrorInOneRecordLeavesTheNextReadable() throws {
        let text = """
        [{"id":"1","ok":true,"name":"a"},
         {"id":2,"ok":true,"name":[1,{"x":[2,3]}],"extra":{"y":4}},
         {"id":3,"ok":false,"name":"c"},
         {"id":4,"zz":{"deep":[{}]},"ok":true,"name":"d"},
         {"id":5,"ok":true},
         {"id":6,"ok":true,"name":"f"},
         {"id":7,"ok":tru}]
        """
        for chunk in [1, 7, Int.max] {
            var reader = JSONRecordReader(source: MemorySource(Array(text.utf8), chunk: chunk), layout: layout)
            var got: [String] = []
            var errors: [(String, Int?, Bool)] = []
            while true {
                do {
                    guard let r = try reader.next() else { break }
                    got.append(r[0].text ?? "")
                } catch let e as SeqPortError {
                    errors.append((e.code.rawValue, e.location.record, reader.canContinueAfterError))
                    if !reader.canContinueAfterError { break }
                }
            }
            XCTAssertEqual(got, ["3", "6"], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.0), ["value.type", "json.not-flat", "json.unknown-key", "json.missing-key", "json.syntax"], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.1), [1, 2, 4, 5, 7], "chunk \(chunk)")
            XCTAssertEqual(errors.map(\.2), [true, true, true, true, false], "chunk \(chunk)")
            XCTAssertNil(try reader.next(), "nothing after a syntax error")
        }
    }

    /// Names taken at once as plain bytes (`JSONTokenizer.takeName`) and names read token by token give
    /// the same records and errors: escaped names, whitespace, a name the expected one only starts.
    func testNamesTakenAsPlainBytesAgreeWithNamesReadTokenByToken() throws {
        let expected = [Record(["1", "true", "x"]), Record(["2", nil, "y"])]
        for text in [
            #"[{"id":1,"ok":true,"name":"x"},{"id":2,"ok":null,"name":"y"}]"#,
            "[ {\n \"id\" : 1 ,\n \"ok\":true, \"name\":\"x\" },\n{\"\\u0069d\":2,\"o\\u006b\":null,\"name\":\"y\"}]",
        ] {
            XCTAssertEqual(try read(text, layout: layout), expected, text)
            for chunk in [1, 5] { XCTAssertEqual(try read(Array(text.utf8), layout: layout, chunk: chunk), expected, "\(text) chunk \(chunk)") }
        }
        let duplicate = refusal(#"[{"ok":true,"ok":true,"id":1,"name":"x"}]"#, layout: layout)
        XCTAssertEqual(duplicate?.code, .jsonDuplicateKey)
        XCTAssertEqual(duplicate?.location, SourceLocation(line: 1, column: 13, record: 1, field: "ok"))
        let unknown = refusal(#"[{"id":1,"okay":true,"name":"x"}]"#, layout: layout)
        XCTAssertEqual(unknown?.code, .jsonUnknownKey)
        XCTAssertEqual(unknown?.location, SourceLocation(line: 1, column: 10, record: 1, field: "okay"))
        // A name with a byte JSON escapes is never taken as plain bytes; it is still read.
        XCTAssertEqual(try read(#"[{"a\"b":"1"},{"a\"b":"2"}]"#, layout: nil), [Record(["1"]), Record(["2"])])
    }

    /// A value read straight after its name (`JSONTokenizer.advanceToValue`) is refused where the state
    /// machine refuses it, at its byte.
    func testAMissingValueIsRefusedAtItsByte() {
        for (text, code, column) in [(#"[{"id":]}]"#, SeqPortError.Code.jsonSyntax, 8), (#"[{"id": }"#, .jsonSyntax, 9), (#"[{"id":"#, .jsonTruncated, 8)] {
            let e = refusal(text, layout: layout)
            XCTAssertEqual(e?.code, code, text)
            XCTAssertEqual(e?.location.line, 1, text)
            XCTAssertEqual(e?.location.column, column, text)
            XCTAssertEqual(e?.location.record, 1, text)
        }
    }
}
