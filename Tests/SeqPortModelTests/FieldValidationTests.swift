import SeqPortModel
import XCTest

final class FieldValidationTests: XCTestCase {
    func field(_ type: FieldType, format: TextFormat? = nil, nullable: Bool = true) -> Field {
        Field(name: "f", type: type, nullable: nullable, format: format)
    }

    func testTimestampsWithAnOffsetAreConvertedToUTC() throws {
        let f = field(.timestamp)
        XCTAssertEqual(try f.canonicalize("2024-05-01T12:00:00+02:00"), "2024-05-01T10:00:00Z")
        XCTAssertEqual(try f.canonicalize("2024-01-01T00:30:00.250+01:00"), "2023-12-31T23:30:00.250Z")
        XCTAssertEqual(try f.canonicalize("2024-02-29T23:59:59-00:30"), "2024-03-01T00:29:59Z")
        XCTAssertEqual(try f.canonicalize("2024-05-01T10:00:00Z"), "2024-05-01T10:00:00Z")
        for bad in ["2024-05-01 10:00:00Z", "2024-05-01T10:00:00", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00.1234567890Z"] {
            XCTAssertThrowsError(try f.canonicalize(bad), bad) { XCTAssertEqual(($0 as? SeqPortError)?.code, .valueType) }
        }
    }

    func testIntegersAreCheckedForSyntaxAndRange() throws {
        let f = field(.integer)
        XCTAssertEqual(try f.canonicalize("-42"), "-42")
        XCTAssertEqual(try f.canonicalize("-0"), "0")
        XCTAssertEqual(try f.canonicalize("9223372036854775807"), "9223372036854775807")
        XCTAssertThrowsError(try f.canonicalize("9223372036854775808")) { XCTAssertEqual(($0 as? SeqPortError)?.code, .valueRange) }
        for bad in ["", "01", "+1", "1.0", "1e3", " 1", "٣"] {
            XCTAssertThrowsError(try f.canonicalize(bad), bad) { XCTAssertEqual(($0 as? SeqPortError)?.code, .valueType) }
        }
    }

    func testDecimalsBooleansDatesAndEnumsFollowTheirRules() throws {
        XCTAssertEqual(try field(.decimal).canonicalize("-12.50"), "-12.50")
        XCTAssertThrowsError(try field(.decimal).canonicalize("1e5"))
        XCTAssertThrowsError(try field(.decimal).canonicalize(".5"))
        XCTAssertEqual(try field(.boolean).canonicalize("false"), "false")
        XCTAssertThrowsError(try field(.boolean).canonicalize("1"))
        XCTAssertEqual(try field(.date).canonicalize("2024-02-29"), "2024-02-29")
        XCTAssertThrowsError(try field(.date).canonicalize("2100-02-29"))
        XCTAssertThrowsError(try field(.enumeration(["a", "b"])).canonicalize("c")) { XCTAssertEqual(($0 as? SeqPortError)?.code, .valueEnum) }
    }

    func testTextFormatsAcceptRealValuesAndRefuseOthers() throws {
        let email = field(.string, format: .email)
        XCTAssertNoThrow(try email.canonicalize("åsa.lindström+tag@example.co.uk"))
        for bad in ["no-at", "a@b", "a b@example.com", "@example.com", "a@-x.com", "a@example..com"] {
            XCTAssertThrowsError(try email.canonicalize(bad), bad) { XCTAssertEqual(($0 as? SeqPortError)?.code, .valueFormat) }
        }
        let phone = field(.string, format: .phone)
        XCTAssertNoThrow(try phone.canonicalize("+46 54 123 45 67"))
        XCTAssertThrowsError(try phone.canonicalize("call me"))
        let ip = field(.string, format: .ip)
        for good in ["192.0.2.1", "2001:db8::1", "::1", "::ffff:192.0.2.1", "2001:0db8:0000:0000:0000:0000:0000:0001"] { XCTAssertNoThrow(try ip.canonicalize(good), good) }
        for bad in ["256.0.0.1", "01.2.3.4", "1.2.3", "2001:db8:::1", "gggg::1"] { XCTAssertThrowsError(try ip.canonicalize(bad), bad) }
        XCTAssertNoThrow(try field(.string, format: .country).canonicalize("SE"))
        XCTAssertThrowsError(try field(.string, format: .country).canonicalize("se"))
    }

    func testNullIsRefusedOnlyWhereTheFieldIsNotNullable() throws {
        XCTAssertEqual(try field(.string).canonicalize(Value.null), .null)
        XCTAssertThrowsError(try field(.string, nullable: false).canonicalize(Value.null)) { XCTAssertEqual(($0 as? SeqPortError)?.code, .valueNull) }
        XCTAssertEqual(try field(.string, nullable: false).canonicalize(Value.text("")), .text(""))
    }

    func testErrorsNameTheFieldButNeverTheValue() {
        let secret = "x-very-private@"
        XCTAssertThrowsError(try Field(name: "email", type: .string, format: .email).canonicalize(secret)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("field \"email\""), text)
            XCTAssertFalse(text.contains(secret), text)
        }
    }

    func testTimestampFormattingRoundTripsThroughEpochSeconds() {
        for seconds: Int64 in [0, 1_704_067_200, 951_782_400, 4_102_444_799, -86_401] {
            let text = ValueSyntax.timestamp(epochSeconds: seconds)
            XCTAssertEqual(ValueSyntax.epochSeconds(ofTimestamp: text), seconds, text)
        }
        XCTAssertEqual(ValueSyntax.timestamp(epochSeconds: 951_782_400), "2000-02-29T00:00:00Z")
    }
}
