import Foundation
@testable import SeqPortBundle
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

/// The manifest's Art. 15 facts as data: DPV IRIs from the term list kept in Specs/dpv-terms.txt.
final class ManifestArt15Tests: XCTestCase {
    /// The IRIs of Specs/dpv-terms.txt.
    func termList() throws -> Set<String> {
        let text = try String(contentsOfFile: packageRoot + "/Specs/dpv-terms.txt", encoding: .utf8)
        return Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { String($0.split(separator: "\t")[0]) })
    }

    func manifest(_ language: String) throws -> (Manifest, Any) {
        let (store, config, dir) = try sampleStore(self, events: 5)
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.language = language
        let result = try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options)
        let bytes = try XCTUnwrap(try entries(of: result.path).first { $0.name == "manifest.json" }?.bytes)
        return (try Manifest.decode(bytes), try JSONSerialization.jsonObject(with: Data(bytes)))
    }

    /// Every string in a JSON value that starts with the DPV namespace.
    func dpvIRIs(_ value: Any) -> [String] {
        switch value {
        case let s as String: return s.hasPrefix("https://w3id.org/dpv") && s != "https://w3id.org/dpv" ? [s] : []
        case let a as [Any]: return a.flatMap(dpvIRIs)
        case let d as [String: Any]: return d.values.flatMap(dpvIRIs)
        default: return []
        }
    }

    func testTheTermListIsWellFormed() throws {
        let terms = try termList()
        XCTAssertGreaterThan(terms.count, 30)
        for iri in terms {
            XCTAssertTrue(iri.hasPrefix("https://w3id.org/dpv#") || iri.hasPrefix("https://w3id.org/dpv/pd#"), iri)
        }
    }

    func testEveryIRIInTheManifestIsADPVTermOfTheList() throws {
        let terms = try termList()
        for language in ["en", "sv"] {
            let (_, json) = try manifest(language)
            let iris = dpvIRIs(json)
            XCTAssertGreaterThan(Set(iris).count, 25, language)
            for iri in iris { XCTAssertTrue(terms.contains(iri), "\(language): \(iri) is not in Specs/dpv-terms.txt") }
        }
    }

    func testEveryPurposeLegalBasisCategoryRecipientTransferAndSafeguardHasATerm() throws {
        let (m, _) = try manifest("en")
        let facts = try XCTUnwrap(m.art15)
        XCTAssertEqual(facts.vocabulary, "https://w3id.org/dpv")
        let purposes = Set(facts.purposes.map(\.id)), bases = Set(facts.legalBases.map(\.id)), recipients = Set(facts.recipients.map(\.id))
        for c in m.categories {
            let terms = try XCTUnwrap(c.terms, c.name)
            XCTAssertFalse(terms.personalData.isEmpty, c.name)
            XCTAssertEqual(terms.purposes.count, c.purposes.count, c.name)
            XCTAssertTrue(Set(terms.purposes).isSubset(of: purposes) && Set(terms.legalBases).isSubset(of: bases)
                          && Set(terms.recipients).isSubset(of: recipients), c.name)
        }
        for r in facts.recipients { XCTAssertTrue(Set(r.legalBasis).isSubset(of: bases), r.id) }
        for t in facts.purposes + facts.legalBases { XCTAssertFalse(t.dpv.isEmpty, t.id) }
        let transfer = try XCTUnwrap(facts.recipients.flatMap(\.transfers).first)
        XCTAssertEqual(transfer.country, "US")
        XCTAssertEqual(transfer.dpv, [Manifest.transferTerm, Manifest.thirdCountryTerm])
        XCTAssertEqual(transfer.safeguard.dpv, "https://w3id.org/dpv#SafeguardForDataTransfer")
        let google = try XCTUnwrap(facts.recipients.first { $0.id == "google_recaptcha" })
        XCTAssertEqual(Set(facts.legalBases.filter { google.legalBasis.contains($0.id) }.map(\.dpv)),
                       ["https://w3id.org/dpv#Consent", "https://w3id.org/dpv#LegitimateInterest"])
        XCTAssertNotNil(google.consentWithdrawal)
        XCTAssertEqual(m.controller.timeZone?.name, "Europe/Stockholm")
        XCTAssertEqual(m.controller.complaints?.authoritiesUrl.hasPrefix("https://"), true)
        XCTAssertEqual(m.controller.security?.count, 3)
    }

    func testTheManifestsTextsAreInTheBundlesLanguage() throws {
        let (en, _) = try manifest("en")
        let (sv, _) = try manifest("sv")
        XCTAssertEqual(en.formatVersion, "1.1")
        XCTAssertEqual(en.art15?.legalBases.first { $0.id == "contract" }?.text, "Contractual necessity")
        XCTAssertEqual(sv.art15?.legalBases.first { $0.id == "contract" }?.text, "Fullgörande av avtal (artikel 6.1 b)")
        XCTAssertEqual(sv.art15?.recipients.flatMap(\.transfers).first?.countryName, "USA")
        XCTAssertEqual(en.art15?.purposes.map(\.dpv), sv.art15?.purposes.map(\.dpv), "the same terms in every language")
        XCTAssertEqual(sv.categories.first { $0.name == "ticket_messages" }?.redactions?.first?.reason.hasPrefix("Namnen på vår personal"), true)
    }

    func testTheSampleConfigurationAndSchemaHaveEveryTextInBothLanguages() throws {
        let config = try defaultConfiguration()
        XCTAssertEqual(config.schema.languages, ["en", "sv"])
        XCTAssertEqual(config.missingTranslations(), [])
        XCTAssertEqual(config.schema.fieldsWithoutAutomatedUse(), [])
    }

    func testAConfigurationWithoutSwedishTextsListsWhatIsMissing() throws {
        var config = try defaultConfiguration()
        config.controller.complaints?.translations = nil
        config.schema.categories[0].translations = Translations()
        XCTAssertEqual(Array(config.missingTranslations().prefix(2)), ["controller.complaints.contactFirst (sv)", "controller.complaints.residence (sv)"])
        XCTAssertTrue(config.missingTranslations().contains("categories.contact.title (sv)"))
    }
}
