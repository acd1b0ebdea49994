import Foundation
import SeqPortTestSupport
import XCTest

/// Where the configuration and the store come from: `--config`, `SEQPORT_CONFIG`, `SEQPORT_STORE`, and
/// with none of them the sample configuration seqport came with, from any folder.
final class CLIConfigurationTests: XCTestCase {
    var dir = ""
    /// Neither variable set (an empty value counts as unset), whatever the test runner's environment.
    let unset = ["SEQPORT_CONFIG": "", "SEQPORT_STORE": ""]

    override func setUpWithError() throws {
        dir = try temporaryDirectory(self)
    }

    func testWithNeitherTheSampleConfigurationWorksFromAnyFolder() throws {
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/Samples"))
        let sample = try seqport(["sample", "--subjects", "1", "--events", "1", "--out", dir + "/s.sqlite"], in: dir, environment: unset,
                                 currentDirectory: dir)
        XCTAssertEqual(sample.status, 0, sample.stderr)
        let schema = try seqport(["schema"], in: dir, environment: unset, currentDirectory: dir)
        XCTAssertEqual(schema.status, 0, schema.stderr)
        XCTAssertTrue(schema.stdout.contains("valid"), schema.stdout)
    }

    func testSEQPORT_CONFIGIsReadAndConfigWinsOverIt() throws {
        let missing = dir + "/nowhere.json"
        let run = try seqport(["schema"], in: dir, environment: ["SEQPORT_CONFIG": missing], currentDirectory: dir)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix("seqport: config.invalid: "), run.stderr)
        XCTAssertTrue(run.stderr.contains(missing), run.stderr)
        let given = try seqport(["schema", "--config", packageRoot + "/Samples/seqport.json"], in: dir, environment: ["SEQPORT_CONFIG": missing],
                                currentDirectory: dir)
        XCTAssertEqual(given.status, 0, given.stderr)
    }

    func testSEQPORT_STOREIsTheStoreWhenNoneIsGiven() throws {
        let store = dir + "/store.sqlite"
        XCTAssertEqual(try seqport(["sample", "--config", configPath, "--subjects", "2", "--events", "2", "--out", store], in: dir).status, 0)
        var environment = unset
        environment["SEQPORT_STORE"] = store
        let export = try seqport(["export", "--config", configPath, "--subject", "s-00002", "--out", dir + "/b"], in: dir, environment: environment)
        XCTAssertEqual(export.status, 0, export.stderr)
        let bundle = export.stdout.trimmingCharacters(in: .newlines)
        XCTAssertTrue(bundle.hasSuffix("seqport-s-00002-access.zip"), bundle)
        let plan = try seqport(["import", bundle, "--config", configPath], in: dir, environment: environment)
        XCTAssertEqual(plan.status, 0, plan.stderr)

        let noStore = try seqport(["import", bundle, "--config", configPath], in: dir, environment: unset)
        XCTAssertEqual(noStore.status, 2, noStore.stderr)
        XCTAssertEqual(noStore.stderr, "seqport: usage: give --store or set SEQPORT_STORE\n")
        // With SEQPORT_STORE there is no default subject: the sample subject belongs to the sample store.
        let noSubject = try seqport(["export", "--config", configPath, "--out", dir + "/c"], in: dir, environment: environment)
        XCTAssertEqual(noSubject.status, 2, noSubject.stderr)
    }
}
