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

    /// The language the schema's texts (titles, purposes, recipients) are written in.
    static let schemaLanguage = "en"

    var t: PageText { PageText.for(language) }

    func render() -> String {
        let c = manifest.controller
        var h = "<!DOCTYPE html>\n<html lang=\"\(attr(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">\n"
        h += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        h += "<title>\(esc(t.title(c.name)))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        h += "<header>\n<h1>\(esc(t.title(c.name)))</h1>\n"
        h += "<p class=\"lead\">\(esc(t.intro(manifest.subject, readable(manifest.generatedAt), manifest.scope)))</p>\n<dl class=\"facts\">\n"
        h += fact(t.subjectLabel, esc(manifest.subject))
        h += fact(t.generatedLabel, esc(readable(manifest.generatedAt)))
        h += fact(t.scopeLabel, esc(t.scopeName(manifest.scope)))
        h += fact(t.keptUntilLabel, esc(readable(manifest.expiresAt)))
        h += "</dl>\n</header>\n<main>\n"
        h += contents()
        h += about()
        for (entry, preview) in zip(manifest.categories, previews) { h += section(entry, preview) }
        h += rights()
        h += correction()
        h += filesSection()
        h += "</main>\n<footer>\n<p>\(esc(c.name)), \(esc(c.address)) · <a href=\"mailto:\(attr(c.contact))\">\(esc(c.contact))</a></p>\n"
        h += "<p>\(esc(t.expiry(readable(manifest.expiresAt)))) \(esc(manifest.generator))</p>\n</footer>\n"
        h += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return h
    }

    func contents() -> String {
        var h = "<nav aria-labelledby=\"h-contents\">\n<h2 id=\"h-contents\">\(esc(t.contents))</h2>\n<ol>\n"
        h += "<li><a href=\"#about\">\(esc(t.aboutHeading))</a></li>\n"
        for c in manifest.categories {
            h += "<li><a href=\"#\(attr(anchor(c.name)))\">\(schemaText(c.title))</a> <span class=\"count\">(\(c.records))</span></li>\n"
        }
        h += "<li><a href=\"#rights\">\(esc(t.rightsHeading))</a></li>\n<li><a href=\"#correct\">\(esc(t.correctionHeading))</a></li>\n"
        h += "<li><a href=\"#files\">\(esc(t.filesHeading))</a></li>\n</ol>\n</nav>\n"
        return h
    }

    /// A term and its description; `value` is already HTML.
    func fact(_ term: String, _ value: String) -> String { "<dt>\(esc(term))</dt><dd>\(value)</dd>\n" }

    /// Text from the schema, marked with the schema's language when the page is in another one.
    func schemaText(_ s: String) -> String {
        language == Self.schemaLanguage ? esc(s) : "<span lang=\"\(Self.schemaLanguage)\">\(esc(s))</span>"
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

    /// The element id of a category's section: `cat-` and the name reduced to safe characters.
    func anchor(_ name: String) -> String { "cat-" + BundleLayout.safe(name) }
}

/// Escapes text for HTML content and attribute values: `& < > " '` become references; control
/// characters other than tab and newline (C0, DEL, C1) and noncharacters become U+FFFD.
func esc(_ s: String) -> String {
    // Most texts are plain printable ASCII with nothing to escape: returned as they are (a batch
    // renders a page per subject, and this check is most of what escaping costs then).
    let plain = s.utf8.withContiguousStorageIfAvailable { u in
        u.allSatisfy { b in b >= 0x20 && b < 0x7F && b != 0x26 && b != 0x3C && b != 0x3E && b != 0x22 && b != 0x27 || b == 0x0A || b == 0x09 }
    }
    if plain == true { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\n", "\t": out.unicodeScalars.append(c)
        default:
            let v = c.value
            let control = v < 0x20 || (0x7F...0x9F).contains(v)
            let nonCharacter = (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE
            if control || nonCharacter { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
        }
    }
    return out
}

/// Escapes text for an HTML attribute value (the same rules; quotes included).
func attr(_ s: String) -> String { esc(s) }
