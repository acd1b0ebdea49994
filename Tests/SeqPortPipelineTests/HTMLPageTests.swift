import Foundation
@testable import SeqPortBundle
@testable import SeqPortPage
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class HTMLPageTests: XCTestCase {
    /// Exports s-00001 of a small sample store and returns its page and manifest.
    func exportedPage(language: String? = nil, previewRows: Int = 50, events: Int = 40) throws -> (html: String, manifest: Manifest, config: Configuration) {
        let (store, config, dir) = try sampleStore(self, events: events)
        var options = ExportOptions()
        options.generatedAt = fixedTime
        options.language = language
        options.previewRows = previewRows
        let result = try Exporter(store: store, configuration: config).export(subject: "s-00001", to: dir + "/out", options: options)
        let all = Dictionary(uniqueKeysWithValues: try entries(of: result.path).map { ($0.name, $0.bytes) })
        let html = String(decoding: try XCTUnwrap(all["index.html"]), as: UTF8.self)
        return (html, try Manifest.decode(try XCTUnwrap(all["manifest.json"])), config)
    }

    func testEscapingTurnsMarkupQuotesAndControlCharactersIntoVisibleText() {
        XCTAssertEqual(esc("<script>alert(\"x\")</script> & 'y'"), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        XCTAssertEqual(esc("a\u{0}b\u{7}c\u{7F}d\u{85}e\u{FFFF}f\r\n"), "a[NUL]b[BEL]c[DEL]d[U+0085]e[U+FFFF]f[CR]\n")
        XCTAssertEqual(esc("line\nnext\ttab Åsa 😀 שלום"), "line\nnext\ttab Åsa 😀 שלום")
        XCTAssertFalse(esc("a\u{1}\u{9F}\u{FFFE}").contains("\u{FFFD}"), "never the replacement character")
    }

    func testValueCellsShowCarriageReturnsTabsAndControlsByNameInABox() {
        XCTAssertEqual(esc("a\r\nb\tc\u{1B}", markup: true, visibleTabs: true),
                       "a<span class=\"ctl\">CR</span>\nb<span class=\"ctl\">TAB</span>c<span class=\"ctl\">ESC</span>")
        XCTAssertEqual(esc("plain text", markup: true, visibleTabs: true), "plain text")
        XCTAssertEqual(attr("a\u{D}\"<"), "a[CR]&quot;&lt;", "no markup inside attribute values")
    }

    func testHostileValuesAnywhereStayText() throws {
        let (_, exported, config) = try exportedPage()
        let evil = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'\u{1}"
        var manifest = exported
        manifest.subject = evil
        manifest.controller.name = evil
        manifest.controller.contact = evil
        manifest.controller.supervisoryAuthority.url = "javascript:\(evil)"
        manifest.categories[0].title = evil
        manifest.categories[0].purposes = [evil]
        manifest.categories[0].rectifiable = [evil]
        // The Art. 15 facts of the configuration and schema go through the same escaper.
        manifest.controller.complaints?.contactFirst = evil
        manifest.controller.complaints?.authoritiesUrl = evil
        manifest.controller.security?[0].text = evil
        manifest.controller.timeZone?.name = evil
        let google = try XCTUnwrap(manifest.art15?.recipients.firstIndex { !$0.transfers.isEmpty })
        manifest.art15?.recipients[google].text = evil
        manifest.art15?.recipients[google].consentWithdrawal = evil
        manifest.art15?.recipients[google].transfers[0].copy = evil
        manifest.art15?.recipients[google].transfers[0].safeguard.text = evil
        manifest.art15?.legalBases[0].text = evil
        manifest.art15?.automatedDecisions?[0].note.decisions = true
        manifest.art15?.automatedDecisions?[0].note.logic = evil
        let category = try XCTUnwrap(config.schema.category(named: manifest.categories[0].name))
        let layout = category.layout(scope: .access)
        let row = Record(layout.fields.map { _ in .text(evil) })
        var preview = PagePreview(category: category.name, layout: layout, rows: [row], total: 1)
        preview.observe(row)
        let html = HTMLPage(manifest: manifest, schema: config.schema, previews: [preview], language: "en", files: manifest.files,
                            zone: config.zone).render().utf8String
        XCTAssertEqual(html.components(separatedBy: "<script").count, 2, "only the page's own script")
        XCTAssertFalse(html.contains("<img src=x"))
        XCTAssertFalse(html.contains("\"><script>"))
        XCTAssertFalse(html.contains("\u{1}"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    func testTheSameInputGivesTheSameBytes() throws {
        let a = try exportedPage()
        let b = try exportedPage()
        XCTAssertEqual(a.html, b.html)
    }

    func testEveryCategoryHasASectionWithItsCountAndLinksToItsCopies() throws {
        let (html, manifest, _) = try exportedPage()
        XCTAssertEqual(manifest.categories.count, 14)
        for c in manifest.categories {
            XCTAssertTrue(html.contains("data-category=\"\(c.name)\" data-records=\"\(c.records)\""), c.name)
            for path in c.files.values { XCTAssertTrue(html.contains("href=\"\(path)\""), path) }
        }
        for f in manifest.files where f.path != BundleLayout.index {
            XCTAssertTrue(html.contains("<code>\(f.sha256)</code>"), f.path)
        }
    }

    func testALargeCategoryShowsItsSummaryAndOnlyItsFirstRows() throws {
        let (html, _, _) = try exportedPage(previewRows: 10, events: 40)
        XCTAssertTrue(html.contains("This page shows the first 10 of 40 records"))
        let usage = try XCTUnwrap(html.components(separatedBy: "data-category=\"usage_events\"").last?.components(separatedBy: "</section>").first)
        XCTAssertEqual(usage.components(separatedBy: "<tbody id=").last?.components(separatedBy: "</tbody>").first?.components(separatedBy: "<tr>").count, 11)
        XCTAssertTrue(usage.contains("40 records, from "))
        XCTAssertTrue(usage.contains("<input type=\"search\""))
    }

    func testTheSwedishPageDeclaresItsLanguageAndShowsTheSchemasSwedishTexts() throws {
        let (sv, manifest, _) = try exportedPage(language: "sv")
        XCTAssertEqual(manifest.language, "sv")
        XCTAssertTrue(sv.hasPrefix("<!DOCTYPE html>\n<html lang=\"sv\">"))
        // The rights and bases in the words of dataskyddsförordningen.
        for phrase in ["Rätt till tillgång", "Rätt till rättelse", "Rätt till radering", "Rätt till begränsning av behandling",
                       "Rätt till dataportabilitet", "Rätt att göra invändningar", "Rätt att inge klagomål till en tillsynsmyndighet",
                       "Samtycke", "Berättigat intresse", "Fullgörande av avtal", "Rättslig förpliktelse", "tredjeland",
                       "Standardavtalsklausuler", "Automatiserat individuellt beslutsfattande och profilering",
                       "Integritetsskyddsmyndigheten (IMY)"] {
            XCTAssertTrue(sv.contains(phrase), phrase)
        }
        for phrase in ["Dina rättigheter", "Så begär du rättelse", "Filerna i paketet", "Integritetsskyddsmyndigheten", "Sverige",
                       "<h2 id=\"h-cat-contact\">Kontaktuppgifter</h2>"] {
            XCTAssertTrue(sv.contains(phrase), phrase)
        }
        XCTAssertFalse(sv.contains("<span lang=\"en\">"), "every schema text has a Swedish text")
        XCTAssertEqual(manifest.categories.first?.title, "Kontaktuppgifter")
        let (en, _, _) = try exportedPage(language: "en")
        XCTAssertTrue(en.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(en.contains("Your rights and how to use them"))
        XCTAssertFalse(en.contains("<span lang="))
    }

    func testThePageIsSelfContainedAndItsImagesHaveTextAlternatives() throws {
        let (html, _, _) = try exportedPage()
        XCTAssertFalse(html.contains("src=\"http"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("@import"))
        XCTAssertTrue(html.contains("connect-src 'none'"))
        let images = html.components(separatedBy: "<img ").dropFirst()
        XCTAssertFalse(images.isEmpty)
        for img in images { XCTAssertTrue(img.contains(" alt=\"Picture from the field"), String(img.prefix(200))) }
        for phrase in ["Google LLC (reCAPTCHA)", "Sweden", "helpdesk@seqops.io", "Integritetsskyddsmyndigheten", "sha256sum", "manifest.json.minisig"] {
            XCTAssertTrue(html.contains(phrase), phrase)
        }
    }

    func testCountsHaveTheirThousandsGroupedAsEachLanguageWritesThem() {
        XCTAssertEqual(PageText.grouped(1_000_000, ","), "1,000,000")
        XCTAssertEqual(PageText.grouped(999, ","), "999")
        XCTAssertEqual(PageText.grouped(1234, "\u{A0}"), "1\u{A0}234")
        XCTAssertEqual(PageText.en.summary(1_000_000, "2025-01-01", "2025-12-31"), "1,000,000 records, from 2025-01-01 to 2025-12-31.")
        XCTAssertEqual(PageText.sv.summary(1, nil, nil), "1 post.")
    }

    func testTimestampsReadAsPeopleWriteThem() throws {
        let (_, manifest, config) = try exportedPage()
        let page = HTMLPage(manifest: manifest, schema: config.schema, previews: [], language: "en", files: [])
        XCTAssertEqual(page.readable("2026-01-01T00:00:00Z"), "2026-01-01 00:00:00 UTC")
        XCTAssertEqual(page.readable("2026-01-01"), "2026-01-01")
    }
}
