import Foundation
import SeqPortModel
import XCTest

final class SchemaTests: XCTestCase {
    func schema(_ fields: String, key: String = "id") -> Data {
        Data("""
        {"name":"t","version":"1","categories":[{"name":"c","store":{"table":"c","key":"\(key)","subject":"s"},"fields":[\(fields)]}]}
        """.utf8)
    }

    func testAValidSchemaDecodesWithItsDefaults() throws {
        let s = try Schema.decode(schema(#"{"name":"id","type":"string","nullable":false},{"name":"n","type":"enum","values":["a"]}"#))
        let c = try XCTUnwrap(s.category(named: "c"))
        XCTAssertEqual(c.fields[1].type, .enumeration(["a"]))
        XCTAssertTrue(c.fields[1].nullable)
        XCTAssertEqual(c.fields[1].origin, .provided)
        XCTAssertFalse(c.fields[1].rectifiable)
        XCTAssertEqual(c.title, "c")
    }

    func testBrokenSchemasAreRefusedWithTheCategoryAndField() {
        let cases: [(Data, String)] = [
            (schema(#"{"name":"id","type":"string"}"#), "must be non-null"),
            (schema(#"{"name":"id","type":"string","nullable":false}"#, key: "nope"), "is not one of its fields"),
            (schema(#"{"name":"id","type":"string","nullable":false},{"name":"Bad","type":"string"}"#), "must match"),
            (schema(#"{"name":"id","type":"string","nullable":false},{"name":"p","type":"string","secret":true,"rectifiable":true}"#), "cannot be rectifiable"),
            (schema(#"{"name":"id","type":"wat","nullable":false}"#), "unknown field type"),
            (schema(#"{"name":"id","type":"string","nullable":false},{"name":"id","type":"string"}"#), "declared twice"),
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try Schema.decode(data)) { error in
                XCTAssertEqual((error as? SeqPortError)?.code, .schemaInvalid)
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    func testPortabilityKeepsOnlyProvidedAndObservedFieldsAndTheKey() throws {
        let s = try Schema.decode(schema(#"{"name":"id","type":"string","nullable":false,"origin":"derived"},{"name":"a","type":"string","origin":"observed"},{"name":"b","type":"string","origin":"inferred"},{"name":"p","type":"string","secret":true}"#))
        let c = s.categories[0]
        XCTAssertEqual(c.exportedFields(scope: .access).map(\.name), ["id", "a", "b"])
        XCTAssertEqual(c.exportedFields(scope: .portability).map(\.name), ["id", "a"])
    }

    func testLocationsDescribeThemselvesInOneLine() {
        let e = SeqPortError(.valueType, "not an integer", at: SourceLocation(entry: "csv/x.csv", line: 4, column: 7, record: 3, field: "n"))
        XCTAssertEqual(e.description, "csv/x.csv line 4 column 7, record 3, field \"n\": not an integer")
        XCTAssertEqual(e.exitStatus, 4)
    }
}
