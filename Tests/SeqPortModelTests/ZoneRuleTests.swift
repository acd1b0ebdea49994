import SeqPortModel
import XCTest

final class ZoneRuleTests: XCTestCase {
    let stockholm = ZoneRule("CET-1CEST,M3.5.0,M10.5.0/3")!

    func testStockholmIsOneHourAheadInWinterAndTwoInSummer() {
        XCTAssertEqual(stockholm.local("2026-01-01T00:00:00Z")?.time, "2026-01-01 01:00:00")
        XCTAssertEqual(stockholm.local("2026-01-01T00:00:00Z")?.offset, "+01:00")
        XCTAssertEqual(stockholm.local("2026-07-01T10:00:00Z")?.time, "2026-07-01 12:00:00")
        XCTAssertEqual(stockholm.local("2026-07-01T10:00:00Z")?.offset, "+02:00")
        XCTAssertEqual(stockholm.local("2026-07-01T10:00:00Z")?.abbreviation, "CEST")
        XCTAssertEqual(stockholm.local("2025-12-31T23:30:00Z")?.time, "2026-01-01 00:30:00", "the local date moves on")
    }

    func testTheChangesHappenAtOneInTheMorningUTCOnTheLastSundaysOfMarchAndOctober() {
        // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        XCTAssertEqual(stockholm.local("2026-03-29T00:59:59Z")?.offset, "+01:00")
        XCTAssertEqual(stockholm.local("2026-03-29T01:00:00Z")?.offset, "+02:00")
        XCTAssertEqual(stockholm.local("2026-03-29T01:00:00Z")?.time, "2026-03-29 03:00:00")
        XCTAssertEqual(stockholm.local("2026-10-25T00:59:59Z")?.offset, "+02:00")
        XCTAssertEqual(stockholm.local("2026-10-25T01:00:00Z")?.offset, "+01:00")
        // 2024: 31 March and 27 October; March with five Sundays.
        XCTAssertEqual(stockholm.local("2024-03-31T01:00:00Z")?.offset, "+02:00")
        XCTAssertEqual(stockholm.local("2024-03-24T12:00:00Z")?.offset, "+01:00")
        XCTAssertEqual(stockholm.local("2024-10-27T00:30:00Z")?.offset, "+02:00")
    }

    func testOtherRulesWestOfUTCWithoutDaylightTimeAndInTheSouthernHemisphere() {
        let newYork = ZoneRule("EST5EDT,M3.2.0,M11.1.0")!
        XCTAssertEqual(newYork.local("2026-01-15T12:00:00Z")?.offset, "-05:00")
        XCTAssertEqual(newYork.local("2026-03-08T07:00:00Z")?.offset, "-04:00")  // second Sunday of March, 02:00 local
        XCTAssertEqual(ZoneRule("UTC0")?.local("2026-07-01T10:00:00Z")?.offset, "+00:00")
        XCTAssertEqual(ZoneRule("<+0530>-5:30")?.local("2026-07-01T10:00:00Z")?.time, "2026-07-01 15:30:00")
        let sydney = ZoneRule("AEST-10AEDT,M10.1.0,M4.1.0/3")!
        XCTAssertEqual(sydney.local("2026-01-15T00:00:00Z")?.offset, "+11:00")
        XCTAssertEqual(sydney.local("2026-07-15T00:00:00Z")?.offset, "+10:00")
    }

    func testWhatIsNotARuleOrATimestampIsRefused() {
        for bad in ["", "Europe/Stockholm", "CET", "CET-1CEST", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,J60,J300"] {
            XCTAssertNil(ZoneRule(bad), bad)
        }
        XCTAssertNil(stockholm.local("2026-01-01"))
    }
}
