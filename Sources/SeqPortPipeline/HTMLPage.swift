import SeqPortBundle
import SeqPortModel

/// `index.html`: a self-contained page a person can read offline, by double-click in the unzipped
/// folder. No scripts from elsewhere, no fonts, no images other than the subject's own files, no
/// requests; a small inline script adds a filter box to long tables, and the page is complete without it.
///
/// The page shows every category as a table whose headers explain the fields, with a summary line
/// (count, date range) and at most `ExportOptions.previewRows` rows, linking to the full CSV, JSON and
/// XML copies; then the Art. 15 facts, the rights and how to use them, how to ask for a correction,
/// and what every file of the bundle is with its checksum. The same input gives the same bytes.
struct HTMLPage {
    let manifest: Manifest
    let schema: Schema
    let previews: [PagePreview]
    let language: String
    let files: [Manifest.FileEntry]
    /// Whether the bundle's entries are encrypted (`export --encrypt`): the page then says which tools open it.
    var encrypted = false
    /// The controller's time zone (`Configuration.zone`); nil shows times in UTC only.
    var zone: ZoneRule?

    /// The language the schema's texts are in on this page: the page's own when the schema has texts
    /// in it, else the schema's first language (then marked with `lang`).
    var schemaLanguage: String { schema.languages.contains(language) ? language : (schema.languages.first ?? "en") }

    var t: PageText { PageText.for(language) }

    func render() -> String {
        let c = manifest.controller
        var h = "<!DOCTYPE html>\n<html lang=\"\(attr(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">\n"
        h += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        h += "<title>\(esc(t.title(c.name)))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        h += "<header>\n<h1>\(esc(t.title(c.name)))</h1>\n"
        h += "<p class=\"lead\">\(esc(t.intro(manifest.subject, local(manifest.generatedAt), manifest.scope)))</p>\n<dl class=\"facts\">\n"
        h += fact(t.subjectLabel, esc(manifest.subject))
        h += fact(t.generatedLabel, time(manifest.generatedAt, alongside: true))
        h += fact(t.scopeLabel, esc(t.scopeName(manifest.scope)))
        h += fact(t.keptUntilLabel, time(manifest.expiresAt, alongside: true))
        h += "</dl>\n"
        h += "<p class=\"reading\">\(esc(zone != nil ? t.timesNote(c.timeZone?.name ?? "") : t.timesUTCNote)) \(esc(t.controlsNote))</p>\n"
        h += "</header>\n<main>\n"
        h += contents()
        h += about()
        for (entry, preview) in zip(manifest.categories, previews) { h += section(entry, preview) }
        h += rights()
        h += correction()
        h += filesSection()
        h += "</main>\n<footer>\n<p>\(esc(c.name)), \(schemaText(c.text("address", in: language))) · <a href=\"mailto:\(attr(c.contact))\">\(esc(c.contact))</a></p>\n"
        h += "<p>\(esc(t.expiry(local(manifest.expiresAt)))) \(esc(manifest.generator))</p>\n</footer>\n"
        h += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return h
    }

    func contents() -> String {
        var h = "<nav aria-labelledby=\"h-contents\">\n<h2 id=\"h-contents\">\(esc(t.contents))</h2>\n<ol>\n"
        h += "<li><a href=\"#about\">\(esc(t.aboutHeading))</a></li>\n"
        h += "<li><a href=\"#transfers\">\(esc(t.transfersHeading))</a></li>\n<li><a href=\"#automated\">\(esc(t.automatedHeading))</a></li>\n"
        for c in manifest.categories {
            h += "<li><a href=\"#\(attr(anchor(c.name)))\">\(schemaText(c.title))</a> <span class=\"count\">(\(c.records))</span></li>\n"
        }
        h += "<li><a href=\"#rights\">\(esc(t.rightsHeading))</a></li>\n<li><a href=\"#correct\">\(esc(t.correctionHeading))</a></li>\n"
        h += "<li><a href=\"#files\">\(esc(t.filesHeading))</a></li>\n</ol>\n</nav>\n"
        return h
    }

    /// A term and its description; `value` is already HTML.
    func fact(_ term: String, _ value: String) -> String { "<dt>\(esc(term))</dt><dd>\(value)</dd>\n" }

    /// Text from the schema or configuration, marked with its language when the page is in another one.
    func schemaText(_ s: String) -> String {
        language == schemaLanguage ? esc(s) : "<span lang=\"\(attr(schemaLanguage))\">\(esc(s))</span>"
    }

    /// A list of schema texts, one item each.
    func schemaList(_ items: [String]) -> String {
        "<ul>\n" + items.map { "<li>\(schemaText($0))</li>\n" }.joined() + "</ul>\n"
    }

    /// A canonical timestamp as people write it: `2026-01-01T00:00:00Z` becomes `2026-01-01 00:00:00 UTC`;
    /// dates and anything else stay as they are.
    func readable(_ s: String) -> String {
        let u = Array(s.utf8)
        guard u.count == 20, u[10] == UInt8(ascii: "T"), u[19] == UInt8(ascii: "Z") else { return s }
        return String(s.prefix(10)) + " " + String(s.dropFirst(11).prefix(8)) + " UTC"
    }

    /// A canonical timestamp in the controller's time zone with its offset (`2026-07-01 12:00:00 +02:00`),
    /// or `readable` without a zone; dates and anything else stay as they are.
    func local(_ s: String) -> String {
        guard let zone, s.utf8.count >= 20, s.utf8.last == UInt8(ascii: "Z"), let l = zone.local(s) else { return readable(s) }
        return l.time + " " + l.offset
    }

    /// A timestamp as HTML: local time with its offset in a `<time>` element whose title (hover) is
    /// UTC; `alongside` also writes UTC after it. Anything that is not a timestamp is escaped text.
    func time(_ s: String, alongside: Bool = false) -> String {
        let shown = local(s)
        let utc = readable(s)
        guard shown != s else { return esc(s) }
        guard zone != nil else { return "<time datetime=\"\(attr(s))\">\(esc(utc))</time>" }
        let element = "<time datetime=\"\(attr(s))\" title=\"\(attr(utc))\">\(esc(shown))</time>"
        return alongside ? element + " (\(esc(utc)))" : element
    }

    /// The element id of a category's section: `cat-` and the name reduced to safe characters.
    func anchor(_ name: String) -> String { "cat-" + BundleLayout.safe(name) }
}

/// Escapes text for HTML content and attribute values: `& < > " '` become references. Characters
/// that would be invisible or garbled are shown by name, never dropped or turned into U+FFFD: C0
/// controls and DEL by their ASCII names (`CR`, `TAB`, `NUL`, `ESC`, `DEL`), C1 controls and
/// noncharacters as `U+0085` — plain letters, so that every font shows them. Newlines stay; tabs stay
/// unless `visibleTabs`. The name is written `[CR]`, or with `markup` as `<span class="ctl">CR</span>`,
/// which the page draws as a small box (content only, never in an attribute).
func esc(_ s: String, markup: Bool = false, visibleTabs: Bool = false) -> String {
    // Most texts are plain printable ASCII with nothing to escape: returned as they are (a batch
    // renders a page per subject, and this check is most of what escaping costs then).
    let plain = s.utf8.withContiguousStorageIfAvailable { u in
        u.allSatisfy { b in b >= 0x20 && b < 0x7F && b != 0x26 && b != 0x3C && b != 0x3E && b != 0x22 && b != 0x27 || b == 0x0A || (b == 0x09 && !visibleTabs) }
    }
    if plain == true { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    func symbol(_ text: String) {
        out += markup ? "<span class=\"ctl\">" + text + "</span>" : "[" + text + "]"
    }
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\n": out.unicodeScalars.append(c)
        case "\t" where !visibleTabs: out.unicodeScalars.append(c)
        default:
            let v = c.value
            if v < 0x20 {
                symbol(controlNames[Int(v)])
            } else if v == 0x7F {
                symbol("DEL")
            } else if (0x80...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE {
                symbol("U+" + String(v, radix: 16, uppercase: true).leftPadded(to: 4))
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }
    return out
}

/// The ASCII names of the C0 control characters, U+0000 to U+001F.
private let controlNames = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
                            "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"]

/// Escapes text for an HTML attribute value (the same rules; quotes included).
func attr(_ s: String) -> String { esc(s) }

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
