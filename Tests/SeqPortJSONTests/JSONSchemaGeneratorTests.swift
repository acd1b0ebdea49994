import Foundation
import SeqPortModel
@testable import SeqPortJSON
import SeqPortTestSupport
import XCTest

final class JSONSchemaGeneratorTests: XCTestCase {
    private let layout = RecordLayout(name: "contact", fields: [
        Field(name: "id", type: .integer, nullable: false, description: "Contact number"),
        Field(name: "email", type: .string, format: .email),
        Field(name: "kind", type: .enumeration(["home", "work"]), nullable: false),
        Field(name: "amount", type: .decimal),
        Field(name: "born", type: .date),
        Field(name: "at", type: .timestamp, nullable: false),
        Field(name: "ok", type: .boolean),
        Field(name: "note", type: .string, maxLength: 10),
        Field(name: "tier", type: .enumeration(["a"])),
    ])

    private var schema: String {
        JSONSchemaGenerator.document(for: layout, title: "Contact \"details\"", description: "How to reach you")
    }

    func testSchemaIsDeterministicAndEndsWithANewline() {
        XCTAssertEqual(schema, schema)
        XCTAssertTrue(schema.hasSuffix("}\n"))
        XCTAssertFalse(schema.hasSuffix("\n\n"))
    }

    func testSchemaStartsWithTheDraftAndTheArrayShape() {
        XCTAssertTrue(schema.hasPrefix("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": "Contact \\"details\\"",
              "description": "How to reach you",
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "email",
            """), schema)
    }

    func testEachFieldTypeMapsToItsSchema() throws {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
        let items = try XCTUnwrap(root["items"] as? [String: Any])
        XCTAssertEqual(items["required"] as? [String], layout.fields.map(\.name))
        XCTAssertEqual((items["additionalProperties"] as? NSNumber)?.boolValue, false)
        let p = try XCTUnwrap(items["properties"] as? [String: [String: Any]])
        XCTAssertEqual(p["id"]?["type"] as? String, "integer")
        XCTAssertEqual(p["id"]?["description"] as? String, "Contact number")
        XCTAssertEqual((p["id"]?["maximum"] as? NSNumber)?.int64Value, Int64.max)
        XCTAssertEqual((p["id"]?["minimum"] as? NSNumber)?.int64Value, Int64.min)
        XCTAssertEqual(p["email"]?["type"] as? [String], ["string", "null"])
        XCTAssertEqual(p["email"]?["format"] as? String, "email")
        XCTAssertEqual(p["kind"]?["enum"] as? [String], ["home", "work"])
        XCTAssertEqual((p["tier"]?["enum"] as? [Any])?.count, 2)
        XCTAssertTrue((p["tier"]?["enum"] as? [Any])?.last is NSNull)
        XCTAssertEqual(p["amount"]?["pattern"] as? String, "^-?[0-9]+(\\.[0-9]+)?$")
        XCTAssertEqual(p["born"]?["format"] as? String, "date")
        XCTAssertEqual(p["at"]?["type"] as? String, "string")
        XCTAssertEqual(p["at"]?["format"] as? String, "date-time")
        XCTAssertEqual(p["ok"]?["type"] as? [String], ["boolean", "null"])
        XCTAssertNil(p["note"]?["maxLength"], "maxLength counts characters in JSON Schema, ours counts bytes")
    }

    func testSchemaIsReadByOurOwnTokenizer() {
        XCTAssertNoThrow(try JSONTokenizer.validate(MemorySource(schema)))
    }

    func testWrittenFileValidatesAgainstTheSchemaWithPythonJSONSchema() throws {
        try requireJSONSchema()
        let records = [
            Record(["1", "ada@example.org", "home", "-1.50", "1815-12-10", "2024-05-01T10:00:00.5Z", "true", "x\"\n", "a"]),
            Record(["-9223372036854775808", nil, "work", nil, nil, "2024-05-01T10:00:00Z", nil, nil, nil]),
        ]
        let sink = MemorySink()
        var writer = JSONRecordWriter(layout: layout, sink: sink)
        for r in records { try writer.write(r) }
        try writer.finish()
        XCTAssertEqual(try validate(sink.string), 0)
        // The check can fail: an out-of-enum value and a local-time timestamp are refused.
        XCTAssertNotEqual(try validate(sink.string.replacingOccurrences(of: "\"home\"", with: "\"away\"")), 0)
        XCTAssertNotEqual(try validate(sink.string.replacingOccurrences(of: "10:00:00Z", with: "10:00:00+02:00")), 0)
        XCTAssertNotEqual(try validate(sink.string.replacingOccurrences(of: "\"ok\":true", with: "\"ok\":true,\"extra\":1")), 0)
    }

    private func requireJSONSchema() throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import jsonschema"]
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { throw TestTools.missing("python3 is not available") }
        probe.waitUntilExit()
        if probe.terminationStatus != 0 { throw TestTools.missing("python3 cannot import jsonschema (Debian: python3-jsonschema)") }
    }

    /// Runs `jsonschema` (draft 2020-12, formats checked) on `document`; returns the exit status.
    private func validate(_ document: String) throws -> Int32 {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seqport-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let schemaURL = dir.appendingPathComponent("schema.json"), dataURL = dir.appendingPathComponent("data.json")
        try Data(schema.utf8).write(to: schemaURL)
        try Data(document.utf8).write(to: dataURL)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); data = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            errors = list(v.iter_errors(data))
            sys.exit(1 if errors else 0)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, schemaURL.path, dataURL.path]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
