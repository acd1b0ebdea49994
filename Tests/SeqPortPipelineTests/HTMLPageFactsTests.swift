import Foundation
@testable import SeqPortBundle
@testable import SeqPortPage
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

/// The Art. 15 facts of issue 14 on the page, in both languages, taken from the configuration and
/// schema (so the tests follow the sample's wording rather than repeat it).
final class HTMLPageFactsTests: XCTestCase {
    func page(_ language: String, scope: Scope = .access) throws -> (html: String, manifest: Manifest, config: Configuration) {
        let (store, config, dir) = try sampleStore(self, events: 12)
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.language = language
        options.scope = scope
        let result = try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options)
        let all = Dictionary(uniqueKeysWithValues: try entries(of: result.path).map { ($0.name, $0.bytes) })
        return (String(decoding: try XCTUnwrap(all["index.html"]), as: UTF8.self), try Manifest.decode(try XCTUnwrap(all["manifest.json"])), config)
    }

    /// A section's text as a reader sees it: tags removed, references resolved, spaces collapsed.
    func text(of section: String, in html: String) throws -> String {
        let start = try XCTUnwrap(html.range(of: "<section id=\"\(section)\""), section)
        let end = try XCTUnwrap(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return plain(String(html[start.lowerBound..<end.upperBound]))
    }

    func plain(_ html: String) -> String {
        // Inline elements join their text to what is around them; any other tag separates words.
        let inline = ["a", "/a", "span", "/span", "code", "/code", "time", "/time"]
        var out = "", tag = "", inTag = false
        for c in html {
            if c == "<" {
                inTag = true
                tag = ""
            } else if c == ">" {
                inTag = false
                if !inline.contains(String(tag.prefix { $0 != " " })) { out += " " }
            } else if inTag {
                tag.append(c)
            } else {
                out.append(c)
            }
        }
        for (ref, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: ref, with: c)
        }
        return out.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    func squeezed(_ s: String) -> String { s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }

    func testTransfersOutsideTheEEAShowTheCountrySafeguardAndWhereToGetACopy() throws {
        for language in ["en", "sv"] {
            let (html, _, config) = try page(language)
            let section = try text(of: "transfers", in: html)
            let google = try XCTUnwrap(config.schema.terms.recipients.first { !$0.transfers.isEmpty })
            let transfer = google.transfers[0]
            let safeguard = try XCTUnwrap(config.schema.terms.safeguard(transfer.safeguard))
            for expected in [google.text("text", in: language), transfer.text("countryName", in: language), transfer.text("details", in: language),
                             safeguard.text("text", in: language), transfer.text("copy", in: language), transfer.country] {
                XCTAssertTrue(section.contains(squeezed(expected)), "\(language): \(expected)")
            }
            XCTAssertTrue(section.contains(language == "sv" ? "tredjeland" : "third country"), language)
            if language == "sv" { XCTAssertTrue(section.contains("standardavtalsklausuler") || section.contains("Standardavtalsklausuler")) }
            XCTAssertTrue(html.contains("<a href=\"#transfers\">"), "the recipient links to its transfer")
        }
    }

    func testEachRecipientShowsItsLegalBasesAndHowConsentIsWithdrawn() throws {
        for language in ["en", "sv"] {
            let (html, _, config) = try page(language)
            let about = try text(of: "about", in: html)
            let google = try XCTUnwrap(config.schema.terms.recipient("google_recaptcha"))
            let bases = google.legalBasis.compactMap { config.schema.terms.legalBasis($0)?.text("text", in: language) }
            XCTAssertEqual(bases.count, 2)
            let line = (language == "sv" ? "Rättslig grund: " : "Legal basis: ") + bases.joined(separator: ", ") + "."
            XCTAssertTrue(about.contains(google.text("text", in: language) + " " + line), "\(language): \(line)")
            XCTAssertTrue(about.contains(squeezed(google.text("consentWithdrawal", in: language))), language)
            for basis in config.schema.terms.legalBases where about.contains(basis.text("text", in: language) + ":") {
                XCTAssertTrue(about.contains(squeezed(basis.text("explanation", in: language))), "\(language): \(basis.id) explained")
            }
        }
    }

    func testAutomatedDecisionsOnTheFraudScoreShowTheLogicSignificanceAndConsequences() throws {
        for language in ["en", "sv"] {
            let (html, manifest, config) = try page(language)
            let section = try text(of: "automated", in: html)
            let risk = try XCTUnwrap(config.schema.category(named: "risk_assessments"))
            let score = try XCTUnwrap(risk.fields.first { $0.name == "score" }?.automated)
            XCTAssertTrue(score.decisions)
            for key in ["logic", "significance", "consequences"] {
                XCTAssertTrue(section.contains(squeezed(score.text(key, in: language))), "\(language): \(key)")
            }
            XCTAssertTrue(section.contains(language == "sv" ? "profilering" : "profiling"), language)
            XCTAssertTrue(section.contains(language == "sv" ? "Automatiserat individuellt beslutsfattande" : "Automated decisions"), language)
            let entry = try XCTUnwrap(manifest.categories.first { $0.name == "risk_assessments" })
            XCTAssertEqual(entry.automated?.filter(\.decisions).map(\.field), ["score", "band"])
            XCTAssertEqual(entry.automated?.filter { !$0.decisions }.map(\.field), ["assessed_at", "model_version"], "derived fields say no")
            XCTAssertTrue(html.contains("<a href=\"#automated\">"), "the category links to the explanation")
        }
    }

    func testAPortabilityBundleLeavesTheScoreOutButStillSaysDecisionsAreBasedOnIt() throws {
        for language in ["en", "sv"] {
            let (html, manifest, config) = try page(language, scope: .portability)
            XCTAssertNil(manifest.categories.first { $0.name == "risk_assessments" })
            let section = try text(of: "automated", in: html)
            let score = try XCTUnwrap(config.schema.category(named: "risk_assessments")?.fields.first { $0.name == "score" }?.automated)
            XCTAssertTrue(section.contains(squeezed(score.text("logic", in: language))), language)
            XCTAssertFalse(section.contains(PageText.for(language).noAutomated), language)
            XCTAssertEqual(manifest.art15?.automatedDecisions?.filter(\.note.decisions).map(\.note.field), ["score", "band"])
        }
    }

    func testTheComplaintRouteIsSeqOpsFirstThenTheAuthorityWhereYouLiveThenTheLeadAuthority() throws {
        for language in ["en", "sv"] {
            let (html, _, config) = try page(language)
            let rights = try text(of: "rights", in: html)
            let route = try XCTUnwrap(config.controller.complaints)
            let first = try XCTUnwrap(rights.range(of: squeezed(route.text("contactFirst", in: language))), language)
            let residence = try XCTUnwrap(rights.range(of: squeezed(route.text("residence", in: language))), language)
            let lead = try XCTUnwrap(rights.range(of: config.controller.supervisoryAuthority.text("name", in: language)), language)
            XCTAssertTrue(first.lowerBound < residence.lowerBound && residence.lowerBound < lead.lowerBound, language)
            XCTAssertTrue(html.contains("href=\"\(route.authoritiesUrl)\""), language)
            XCTAssertTrue(rights.contains(language == "sv" ? "ansvarig tillsynsmyndighet" : "lead supervisory authority"), language)
        }
    }

    func testTheSecuritySummaryIsShown() throws {
        for language in ["en", "sv"] {
            let (html, _, config) = try page(language)
            let about = try text(of: "about", in: html)
            let measures = try XCTUnwrap(config.controller.security)
            XCTAssertEqual(measures.count, 3)
            for m in measures { XCTAssertTrue(about.contains(squeezed(m.text("text", in: language))), "\(language): \(m.dpv)") }
        }
    }

    func testTimesAreInStockholmWithTheirOffsetAndUTCBesideOrOnHover() throws {
        for language in ["en", "sv"] {
            let (html, manifest, _) = try page(language)
            XCTAssertEqual(manifest.generatedAt, "2026-01-01T00:00:00Z", "files keep UTC")
            XCTAssertTrue(html.contains("<time datetime=\"2026-01-01T00:00:00Z\" title=\"2026-01-01 00:00:00 UTC\">2026-01-01 01:00:00 +01:00</time> (2026-01-01 00:00:00 UTC)"), language)
            XCTAssertTrue(html.contains(language == "sv" ? "Tiderna visas i tidszonen Europe/Stockholm" : "time zone Europe/Stockholm"), language)
        }
    }

    func testAShortenedValueSaysSoAndLinksToTheFullCopyAndControlsAreVisible() throws {
        let (_, manifest, config) = try page("sv")
        let index = try XCTUnwrap(manifest.categories.firstIndex { $0.name == "ticket_messages" })
        let category = try XCTUnwrap(config.schema.category(named: "ticket_messages"))
        let layout = category.layout(scope: .access)
        let long = "Rad ett\r\nRad\ttvå\u{1}" + String(repeating: "x", count: 400)
        let row = Record(layout.fields.map { $0.name == "body" ? .text(long) : ($0.name == "sent_at" ? .text("2026-07-01T10:00:00Z") : .text("a")) })
        let preview = PagePreview(category: category.name, layout: layout, rows: [row], total: 1)
        var entries = manifest.categories.map { _ in PagePreview(category: "", layout: layout, rows: [], total: 0) }
        entries[index] = preview
        let html = HTMLPage(manifest: manifest, schema: config.schema, previews: entries, language: "sv", files: manifest.files,
                            zone: config.zone).render().utf8String
        XCTAssertTrue(html.contains("Rad ett<span class=\"ctl\">CR</span>\nRad<span class=\"ctl\">TAB</span>två<span class=\"ctl\">SOH</span>xxx"))
        XCTAssertTrue(html.contains("… <a class=\"cut\" href=\"json/ticket_messages.json\">(förkortat till de första 300 av 416 tecknen; hela värdet finns i json/ticket_messages.json)</a>"))
        XCTAssertTrue(html.contains("2026-07-01 12:00:00 +02:00"), "summer time")
        XCTAssertFalse(html.contains("\u{FFFD}"))
        XCTAssertTrue(html.contains("CR är en vagnretur"), "the page explains the names")
    }

    /// Words that only English uses; a Swedish page may hold them only inside proper names, field
    /// identifiers, paths, addresses and the subject's own values.
    static let englishWords: Set<String> = [
        "the", "and", "your", "you", "we", "our", "is", "are", "with", "from", "for", "this", "that", "which", "not", "have",
        "has", "will", "can", "may", "it", "an", "of", "to", "by", "on", "or", "at", "as", "when", "where", "what", "how",
        "who", "data", "records", "record", "field", "fields", "shows", "page", "days", "read", "more", "consent", "legal",
        "basis", "interests", "contract", "transfer", "safeguard", "standard", "clauses", "country", "rights", "right",
        "sweden", "united", "states", "authority",
    ]
    /// Proper names and identifiers that may contain such words (none today: the list is explicit so
    /// that adding one is a visible decision).
    static let allowed: Set<String> = []

    func testTheSwedishPageHoldsNoEnglishOutsideNamesIdentifiersAndValues() throws {
        let (html, _, _) = try page("sv")
        var rest = html
        // The subject's values (data tables), code, scripts and styles are not the page's own words.
        for (open, close) in [("<tbody id=\"b-", "</tbody>"), ("<script", "</script>"), ("<style", "</style>"), ("<code", "</code>"), ("<pre", "</pre>")] {
            while let a = rest.range(of: open), let b = rest.range(of: close, range: a.upperBound..<rest.endIndex) {
                rest.removeSubrange(a.lowerBound..<b.upperBound)
            }
        }
        var attributes: [String] = []
        for name in ["alt", "aria-label", "title"] {
            for part in rest.components(separatedBy: " \(name)=\"").dropFirst() {
                attributes.append(String(part.prefix { $0 != "\"" }))
            }
        }
        var found: [String] = []
        for line in (plain(rest) + " " + attributes.map(plain).joined(separator: " ")).split(separator: " ") {
            // Paths, addresses and links are identifiers.
            if line.contains("/") || line.contains("@") || line.contains("://") { continue }
            for word in line.split(whereSeparator: { !$0.isLetter }) {
                let w = word.lowercased()
                if Self.englishWords.contains(w) && !Self.allowed.contains(w) { found.append(String(line)) }
            }
        }
        XCTAssertEqual(found, [], "English on the Swedish page")
    }
}
