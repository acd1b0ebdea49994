import Foundation
import SeqPortModel
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline

/// Independent tools read what seqport writes: unzip, Python's zipfile, 7-Zip, xmllint with the
/// bundle's XSD, and Python's jsonschema with the bundle's JSON Schemas. CI installs them all
/// (.ci/run); on a developer machine without one, that check is skipped with the reason.
final class InteroperabilityTests: XCTestCase {
    var bundle = ""
    var unpacked = ""
    var config: Configuration!

    override func setUpWithError() throws {
        let (store, config, dir) = try sampleStore(self)
        self.config = config
        bundle = try export(store, config, to: dir + "/out").path
        unpacked = dir + "/unpacked"
        for e in try entries(of: bundle) {
            let path = unpacked + "/" + e.name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(e.bytes)))
        }
    }

    func testUnzipTestsTheBundleWithoutWarnings() throws {
        guard let r = try runTool("unzip", ["-t", bundle]) else { throw TestTools.missing("unzip is not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("No errors detected"), r.output)
        XCTAssertFalse(r.output.lowercased().contains("warning"), r.output)
    }

    func testPythonZipfileReadsEveryEntry() throws {
        let script = "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.namelist()))"
        guard let r = try runTool("python3", ["-c", script, bundle]) else { throw TestTools.missing("python3 is not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(Int(r.output.trimmingCharacters(in: .whitespacesAndNewlines)), try entries(of: bundle).count)
    }

    func testSevenZipTestsTheBundleWithoutWarnings() throws {
        guard let r = try runTool("7z", ["t", bundle]) ?? runTool("7zz", ["t", bundle]) else { throw TestTools.missing("7-Zip (Debian package 7zip) is not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("Everything is Ok"), r.output)
        XCTAssertFalse(r.output.contains("WARNING"), r.output)
    }

    func testEveryXMLCopyIsValidAgainstTheBundleXSDWithXmllint() throws {
        for c in config.schema.categories {
            guard let r = try runTool("xmllint", ["--noout", "--nonet", "--schema", unpacked + "/schema/bundle.xsd", unpacked + "/xml/\(c.name).xml"]) else {
                throw TestTools.missing("xmllint (Debian package libxml2-utils) is not installed")
            }
            XCTAssertEqual(r.status, 0, "\(c.name): \(r.output)")
        }
    }

    func testEveryJSONCopyIsValidAgainstItsJSONSchemaWithPythonJsonschema() throws {
        let script = """
        import json,sys,jsonschema
        root=sys.argv[1]
        for name in sys.argv[2:]:
            schema=json.load(open(f"{root}/schema/json/{name}.schema.json"))
            jsonschema.Draft202012Validator.check_schema(schema)
            data=json.load(open(f"{root}/json/{name}.json"))
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
        print("ok")
        """
        guard try runTool("python3", ["-c", "import jsonschema"])?.status == 0 else { throw TestTools.missing("Python's jsonschema is not installed") }
        let r = try XCTUnwrap(try runTool("python3", ["-c", script, unpacked] + config.schema.categories.map(\.name)))
        XCTAssertEqual(r.status, 0, r.output)
    }
}
