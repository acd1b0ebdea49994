import SeqPortModel

/// `index.html`: a self-contained page a person can read offline (no scripts from elsewhere, no
/// fonts, no requests). Every category is a table with its fields explained; large categories show
/// their first rows and link to the full files.
struct HTMLPage {
    let manifest: Manifest
    let schema: Schema
    let previews: [PagePreview]
    let language: String
    let files: [Manifest.FileEntry]

    var t: PageText { PageText.for(language) }

    func render() -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"\(language)\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(esc(t.title(manifest.controller.name)))</title>\n<style>\(Self.css)</style>\n</head>\n<body>\n"
        h += "<header><h1>\(esc(t.title(manifest.controller.name)))</h1>\n"
        h += "<p>\(esc(t.intro(subject: manifest.subject, at: manifest.generatedAt, scope: manifest.scope)))</p></header>\n<main>\n"
        h += "<nav aria-label=\"\(esc(t.contents))\"><h2>\(esc(t.contents))</h2><ul>\n"
        for c in manifest.categories { h += "<li><a href=\"#\(c.name)\">\(esc(c.title))</a> (\(c.records))</li>\n" }
        h += "<li><a href=\"#rights\">\(esc(t.rightsHeading))</a></li><li><a href=\"#files\">\(esc(t.filesHeading))</a></li></ul></nav>\n"
        for (entry, preview) in zip(manifest.categories, previews) { h += section(entry, preview) }
        h += rights()
        h += filesSection()
        h += "</main>\n<footer><p>\(esc(manifest.generator)) · \(esc(manifest.controller.name)), \(esc(manifest.controller.address))</p></footer>\n"
        h += "</body>\n</html>\n"
        return h
    }

    func section(_ c: Manifest.CategoryEntry, _ p: PagePreview) -> String {
        var h = "<section id=\"\(c.name)\" aria-labelledby=\"h-\(c.name)\">\n<h2 id=\"h-\(c.name)\">\(esc(c.title))</h2>\n"
        h += "<p>\(esc(c.description))</p>\n<dl class=\"facts\">\n"
        h += fact(t.records, "\(c.records)" + (p.earliest.map { " · \($0) – \(p.latest ?? $0)" } ?? ""))
        h += fact(t.purposes, c.purposes.joined(separator: "; "))
        h += fact(t.legalBasis, c.legalBasis.joined(separator: "; "))
        h += fact(t.recipients, c.recipients.joined(separator: "; "))
        h += fact(t.retention, c.retention)
        h += fact(t.source, c.source)
        h += fact(t.correctable, c.rectifiable.isEmpty ? t.none : c.rectifiable.joined(separator: ", "))
        h += "</dl>\n<p class=\"links\">\(esc(t.fullData)): "
        h += BundleFormat.allCases.compactMap { f in c.files[f.rawValue].map { "<a href=\"\(attr($0))\">\(f.rawValue.uppercased())</a>" } }.joined(separator: " · ")
        h += "</p>\n"
        if p.total > p.rows.count { h += "<p>\(esc(t.showingFirst(p.rows.count, of: p.total)))</p>\n" }
        if p.total == 0 { return h + "<p>\(esc(t.empty))</p>\n</section>\n" }
        h += "<div class=\"scroll\"><table>\n<caption>\(esc(c.title))</caption>\n<thead><tr>"
        for f in p.layout.fields { h += "<th scope=\"col\" title=\"\(attr(f.description))\">\(esc(f.name))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for r in p.rows {
            h += "<tr>"
            for (f, v) in zip(p.layout.fields, r.values) { h += "<td>\(cell(f, v))</td>" }
            h += "</tr>\n"
        }
        h += "</tbody></table></div>\n<details><summary>\(esc(t.fieldsHeading))</summary><dl>\n"
        for f in p.layout.fields { h += fact(f.name, f.description + " (" + f.type.name + ", " + f.origin.rawValue + ")") }
        return h + "</dl></details>\n</section>\n"
    }

    func cell(_ field: Field, _ value: Value) -> String {
        guard case .text(let s) = value else { return "<span class=\"null\">\(esc(t.nullText))</span>" }
        if field.type == .file {
            let media = files.first { $0.path == s }?.mediaType ?? ""
            if media.hasPrefix("image/") { return "<a href=\"\(attr(s))\"><img src=\"\(attr(s))\" alt=\"\(attr(field.description))\" width=\"48\" height=\"48\"></a>" }
            return "<a href=\"\(attr(s))\">\(esc(s.split(separator: "/").last.map(String.init) ?? s))</a>"
        }
        if s.isEmpty { return "<span class=\"null\">\(esc(t.emptyText))</span>" }
        let shown = s.count > 300 ? String(s.prefix(300)) + "…" : s
        return esc(shown)
    }

    func rights() -> String {
        let c = manifest.controller
        var h = "<section id=\"rights\" aria-labelledby=\"h-rights\"><h2 id=\"h-rights\">\(esc(t.rightsHeading))</h2>\n"
        h += "<p>\(esc(t.controllerLine(c.name, c.address, c.storageLocation)))</p>\n<ul>\n"
        for line in t.rights(contact: c.contact) { h += "<li>\(esc(line))</li>\n" }
        h += "<li>\(esc(t.complain(c.supervisoryAuthority.name))) <a href=\"\(attr(c.supervisoryAuthority.url))\">\(esc(c.supervisoryAuthority.url))</a></li>\n"
        h += "</ul>\n<p>\(esc(t.correctionHowTo))</p>\n<p>\(esc(t.expiry(manifest.expiresAt)))</p>\n</section>\n"
        return h
    }

    func filesSection() -> String {
        var h = "<section id=\"files\" aria-labelledby=\"h-files\"><h2 id=\"h-files\">\(esc(t.filesHeading))</h2>\n<p>\(esc(t.filesIntro))</p>\n"
        h += "<div class=\"scroll\"><table><caption>\(esc(t.filesHeading))</caption><thead><tr><th scope=\"col\">\(esc(t.fileCol))</th><th scope=\"col\">\(esc(t.bytesCol))</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>\n"
        for f in files { h += "<tr><td><a href=\"\(attr(f.path))\">\(esc(f.path))</a></td><td>\(f.bytes)</td><td><code>\(f.sha256)</code></td></tr>\n" }
        return h + "</tbody></table></div>\n</section>\n"
    }

    func fact(_ k: String, _ v: String) -> String { "<dt>\(esc(k))</dt><dd>\(esc(v))</dd>\n" }

    static let css = """
    body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;line-height:1.5;color:#1a1a1a;background:#fff}
    h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
    table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap}
    th{background:#eef1f5}caption{text-align:left;font-weight:bold;padding:.25rem 0}.scroll{overflow-x:auto}
    .null{color:#555;font-style:italic}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0}
    a{color:#0645ad}
    """
}

/// Escapes text for HTML content.
func esc(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            if c.value < 0x20 && c != "\n" && c != "\t" || c.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
        }
    }
    return out
}

/// Escapes text for an HTML attribute value (the same rules; quotes included).
func attr(_ s: String) -> String { esc(s) }
