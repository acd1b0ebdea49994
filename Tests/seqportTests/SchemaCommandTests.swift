import Foundation
import SeqPortTestSupport
import XCTest

/// `seqport schema` checks that every text has each of the schema's languages (issue 14).
final class SchemaCommandTests: XCTestCase {
    func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "seqport-schema-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testTheSampleSchemaHasEveryTextInEnglishAndSwedish() throws {
        let dir = try temporaryFolder()
        let run = try seqport(["schema", "--config", configPath], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasSuffix(": valid (14 categories)\n"), run.stdout)
    }

    func testASchemaMissingSwedishTextsFailsListingThePaths() throws {
        let dir = try temporaryFolder()
        // The sample schema with one category title and one field description left untranslated, and
        // the configuration's complaint route without its Swedish texts.
        var schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Specs/schema/seqops.schema.json"))) as? [String: Any])
        var categories = try XCTUnwrap(schema["categories"] as? [[String: Any]])
        var translations = try XCTUnwrap(categories[0]["translations"] as? [String: [String: String]])
        translations["sv"]?["title"] = nil
        categories[0]["translations"] = translations
        var fields = try XCTUnwrap(categories[0]["fields"] as? [[String: Any]])
        fields[1]["translations"] = nil
        categories[0]["fields"] = fields
        schema["categories"] = categories
        try JSONSerialization.data(withJSONObject: schema).write(to: URL(fileURLWithPath: dir + "/schema.json"))
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any])
        var controller = try XCTUnwrap(config["controller"] as? [String: Any])
        var complaints = try XCTUnwrap(controller["complaints"] as? [String: Any])
        complaints["translations"] = nil
        controller["complaints"] = complaints
        config["controller"] = controller
        config["schema"] = "schema.json"
        config["sample"] = nil
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/seqport.json"))

        let run = try seqport(["schema", "--config", dir + "/seqport.json"], in: dir)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1)[1]) }, [
            "missing text: controller.complaints.contactFirst (sv)",
            "missing text: controller.complaints.residence (sv)",
            "missing text: categories.contact.title (sv)",
            "missing text: categories.contact.fields.full_name.description (sv)",
        ])
        XCTAssertEqual(run.stderr, "seqport: schema.invalid: 4 texts missing, 0 derived or inferred fields without \"automated\" (listed above)\n")
    }
}
