import Foundation
@testable import SeqPortBundle
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class SchemaArtifactsTests: XCTestCase {
    /// The committed Specs/generated files are what seqport generates from the default schema now;
    /// refresh them with `swift run seqport schema --out Specs/generated`.
    func testCommittedGeneratedSchemasAreNotStale() throws {
        let artifacts = try SchemaArtifacts.specFiles(for: try defaultConfiguration().schema)
        let dir = packageRoot + "/Specs/generated/"
        for a in artifacts {
            let committed = try XCTUnwrap(FileManager.default.contents(atPath: dir + a.path), "\(a.path) is missing; run: swift run seqport schema --out Specs/generated")
            XCTAssertEqual(Array(committed), a.bytes, "\(a.path) is stale; run: swift run seqport schema --out Specs/generated")
        }
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { !$0.hasSuffix("/") && $0.contains(".") }
        XCTAssertEqual(Set(onDisk), Set(artifacts.map(\.path)), "files in Specs/generated that seqport no longer generates")
    }

    func testTheGeneratedSchemaDocumentCarriesNoSecretField() throws {
        let artifacts = try SchemaArtifacts.specFiles(for: try defaultConfiguration().schema)
        for a in artifacts { XCTAssertNil(a.bytes.firstRange(of: Array("password_hash".utf8)), a.path) }
    }

    func testTheDefaultSchemaDescribesThePolicysCategories() throws {
        let schema = try defaultConfiguration().schema
        for name in ["contact", "professional", "technical", "usage_events", "support_tickets", "ticket_messages", "consents",
                     "marketing_preferences", "subscriptions", "invoices", "feedback", "account", "risk_assessments"] {
            XCTAssertNotNil(schema.category(named: name), name)
        }
        XCTAssertTrue(schema.category(named: "account")!.fields.contains { $0.secret })
        XCTAssertFalse(schema.category(named: "invoices")!.isEditable, "invoices are kept for tax law and never rectifiable")
        XCTAssertFalse(schema.category(named: "risk_assessments")!.isExported(scope: .portability))
        XCTAssertTrue(schema.category(named: "contact")!.fields.contains { $0.type == .file })
        XCTAssertTrue(schema.category(named: "ticket_messages")!.fields.contains { $0.type == .file })
        XCTAssertTrue(schema.category(named: "email_addresses")!.allowInsert)
    }
}
