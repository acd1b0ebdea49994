import Foundation
import SeqPortModel
import XCTest

final class SchemaTranslationsTests: XCTestCase {
    /// A schema in English and Swedish with one purpose, legal basis, safeguard and recipient.
    func schema(category: String = #""translations":{"sv":{"title":"Kontakt"}}"#,
                field: String = #""translations":{"sv":{"description":"Namnet"}}"#,
                recipient: String = #""translations":{"sv":{"text":"Google"}}"#,
                purposes: String = #"["service"]"#, origin: String = "provided", automated: String = "") -> Data {
        Data("""
        {"name":"t","version":"1","languages":["en","sv"],
         "purposes":[{"id":"service","text":"Service","dpv":"https://w3id.org/dpv#ServiceProvision","translations":{"sv":{"text":"Tjänst"}}}],
         "legalBases":[{"id":"consent","text":"Consent","dpv":"https://w3id.org/dpv#Consent","translations":{"sv":{"text":"Samtycke"}}}],
         "safeguards":[{"id":"scc","text":"Clauses","dpv":"https://w3id.org/dpv#SafeguardForDataTransfer","translations":{"sv":{"text":"Klausuler"}}}],
         "recipients":[{"id":"google","text":"Google","dpv":"https://w3id.org/dpv#ThirdParty","legalBasis":["consent"],
                        "transfers":[{"country":"US","countryName":"the United States","safeguard":"scc","copy":"Ask us",
                                      "translations":{"sv":{"countryName":"USA","copy":"Fråga oss"}}}],\(recipient)}],
         "categories":[{"name":"c","title":"Contact","store":{"table":"c","key":"id","subject":"s"},
                        "purposes":\(purposes),"legalBasis":["consent"],"recipients":["google"],\(category),
                        "fields":[{"name":"id","type":"string","nullable":false},
                                  {"name":"n","type":"string","origin":"\(origin)","description":"The name",\(field)\(automated)}]}]}
        """.utf8)
    }

    func testACompleteSchemaHasNoMissingTexts() throws {
        let s = try Schema.decode(schema())
        XCTAssertEqual(s.missingTranslations(), [])
        XCTAssertEqual(s.languages, ["en", "sv"])
        XCTAssertEqual(s.categories[0].text("title", in: "sv"), "Kontakt")
        XCTAssertEqual(s.categories[0].text("title", in: "en"), "Contact")
        XCTAssertEqual(s.terms.recipient("google")?.transfers.first?.text("countryName", in: "sv"), "USA")
    }

    func testMissingSwedishTextsAreListedByPath() throws {
        let s = try Schema.decode(schema(category: #""description":"About you""#, field: #""format":"email""#, recipient: #""x":1"#))
        XCTAssertEqual(s.missingTranslations(), [
            "recipients.google.text (sv)",
            "categories.c.title (sv)", "categories.c.description (sv)",
            "categories.c.fields.n.description (sv)",
        ])
        XCTAssertEqual(s.categories[0].text("title", in: "sv"), "Contact", "falls back to the first language")
    }

    func testReferencesToUndefinedTermsAreRefused() {
        XCTAssertThrowsError(try Schema.decode(schema(purposes: #"["nope"]"#))) { error in
            XCTAssertEqual((error as? SeqPortError)?.message, #"category "c": purpose "nope" is not defined in the schema"#)
        }
    }

    func testAutomatedDecisionsBelongToDerivedOrInferredFieldsAndEachMustSay() throws {
        let automated = #","automated":{"decisions":true,"logic":"A model","significance":"A check","consequences":"A second factor","translations":{"sv":{"logic":"En modell","significance":"En kontroll","consequences":"En andra faktor"}}}"#
        XCTAssertThrowsError(try Schema.decode(schema(origin: "provided", automated: automated)))
        let inferred = try Schema.decode(schema(origin: "inferred", automated: automated))
        XCTAssertEqual(inferred.categories[0].fields[1].automated?.decisions, true)
        XCTAssertEqual(inferred.categories[0].fields[1].automated?.text("logic", in: "sv"), "En modell")
        XCTAssertEqual(inferred.fieldsWithoutAutomatedUse(), [])
        XCTAssertEqual(try Schema.decode(schema(origin: "inferred")).fieldsWithoutAutomatedUse(), ["categories.c.fields.n"])
        XCTAssertEqual(try Schema.decode(schema(origin: "derived")).fieldsWithoutAutomatedUse(), ["categories.c.fields.n"])
        XCTAssertEqual(try Schema.decode(schema(origin: "observed")).fieldsWithoutAutomatedUse(), [], "the key id is derived but exempt")
    }

    func testTheSchemaDocumentRoundTripsWithItsVocabularyAndTranslations() throws {
        let s = try Schema.decode(schema())
        let again = try Schema.decode(try JSONEncoder().encode(s))
        XCTAssertEqual(again, s)
    }
}
