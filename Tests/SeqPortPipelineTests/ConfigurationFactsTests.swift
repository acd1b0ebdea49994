import Foundation
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class ConfigurationFactsTests: XCTestCase {
    func testTheSampleConfigurationStatesTheControllersFacts() throws {
        let config = try defaultConfiguration()
        let c = config.controller
        XCTAssertEqual(c.timeZone?.name, "Europe/Stockholm")
        XCTAssertEqual(config.zone?.local("2026-07-01T10:00:00Z")?.offset, "+02:00")
        XCTAssertEqual(c.text("storageLocation", in: "sv"), "Sverige")
        XCTAssertEqual(c.supervisoryAuthority.text("name", in: "sv"), "Integritetsskyddsmyndigheten (IMY)")
        XCTAssertEqual(c.complaints?.contactFirst.contains(c.contact), true, "contact SeqOps first")
        XCTAssertEqual(c.security?.map(\.dpv), ["https://w3id.org/dpv#EncryptionInTransfer", "https://w3id.org/dpv#AccessControlMethod",
                                                "https://w3id.org/dpv#Audit"])
    }

    func testATimeZoneRuleThatIsNotPOSIXIsRefusedInOneLine() throws {
        let dir = try temporaryDirectory(self)
        var json = try String(contentsOfFile: packageRoot + "/Samples/seqport.json", encoding: .utf8)
        json = json.replacingOccurrences(of: "CET-1CEST,M3.5.0,M10.5.0/3", with: "Europe/Stockholm")
            .replacingOccurrences(of: "\"../Specs/schema/seqops.schema.json\"", with: "\"\(packageRoot)/Specs/schema/seqops.schema.json\"")
        try json.write(toFile: dir + "/seqport.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Configuration.load(path: dir + "/seqport.json")) { error in
            let e = error as? SeqPortError
            XCTAssertEqual(e?.code, .configInvalid)
            XCTAssertEqual(e?.message.hasSuffix("controller.timeZone.rule is not a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3"), true)
        }
    }
}
