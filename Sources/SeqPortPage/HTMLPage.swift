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
public struct HTMLPage {
    let manifest: Manifest
    let schema: Schema
    let previews: [PagePreview]
    let language: String
    let files: [Manifest.FileEntry]
    /// Whether the bundle's entries are encrypted (`export --encrypt`): the page then says which tools open it.
    var encrypted = false
    /// The controller's time zone (`Configuration.zone`); nil shows times in UTC only.
    var zone: ZoneRule?
    /// Sections alike in every page of one exporter, scope and language, rendered once (a batch).
    var sections: PageSectionCache?
    /// The page's words in its language (looked up once: a copy holds every text and closure).
    let t: PageText
    /// The language the schema's texts are in on this page: the page's own when the schema has texts
    /// in it, else the schema's first language (then marked with `lang`).
    let schemaLanguage: String

    public init(manifest: Manifest, schema: Schema, previews: [PagePreview], language: String, files: [Manifest.FileEntry],
                encrypted: Bool = false, zone: ZoneRule? = nil, sections: PageSectionCache? = nil) {
        self.manifest = manifest
        self.schema = schema
        self.previews = previews
        self.language = language
        self.files = files
        self.encrypted = encrypted
        self.zone = zone
        self.sections = sections
        t = PageText.for(language)
        schemaLanguage = schema.languages.contains(language) ? language : (schema.languages.first ?? "en")
    }

    /// The page's bytes (UTF-8).
    public func render() -> [UInt8] {
        let c = manifest.controller
        var h = HTML(capacity: 96 << 10)
        h.raw("<!DOCTYPE html>\n<html lang=\""); h.attribute(language); h.raw("\">\n<head>\n<meta charset=\"utf-8\">\n")
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\""); Self.contentSecurityPolicy(&h); h.raw("\">\n")
        h.raw("<meta name=\"referrer\" content=\"no-referrer\">\n")
        h.raw("<title>"); h.text(t.title(c.name)); h.raw("</title>\n<style>\n"); h.raw(Self.css); h.raw("</style>\n</head>\n<body>\n")
        h.raw("<header>\n<h1>"); h.text(t.title(c.name)); h.raw("</h1>\n")
        h.raw("<p class=\"lead\">"); h.text(t.intro(manifest.subject, local(manifest.generatedAt), manifest.scope)); h.raw("</p>\n<dl class=\"facts\">\n")
        fact(t.subjectLabel, &h) { $0.text(manifest.subject) }
        fact(t.generatedLabel, &h) { time(manifest.generatedAt, alongside: true, &$0) }
        fact(t.scopeLabel, &h) { $0.text(t.scopeName(manifest.scope)) }
        fact(t.keptUntilLabel, &h) { time(manifest.expiresAt, alongside: true, &$0) }
        h.raw("</dl>\n")
        h.raw("<p class=\"reading\">"); h.text(zone != nil ? t.timesNote(c.timeZone?.name ?? "") : t.timesUTCNote)
        h.raw(" "); h.text(t.controlsNote); h.raw("</p>\n")
        h.raw("</header>\n<main>\n")
        contents(&h)
        alike("about", &h) { about(&$0) }
        for (entry, preview) in zip(manifest.categories, previews) { section(entry, preview, &h) }
        alike("rights", &h) { rights(&$0) }
        alike("correction", &h) { correction(&$0) }
        filesSection(&h)
        h.raw("</main>\n<footer>\n<p>"); h.text(c.name); h.raw(", "); schemaText(c.text("address", in: language), &h)
        h.raw(" · "); mailLink(c.contact, &h); h.raw("</p>\n")
        h.raw("<p>"); h.text(t.expiry(local(manifest.expiresAt))); h.raw(" "); h.text(manifest.generator); h.raw("</p>\n</footer>\n")
        h.raw("<script>"); h.raw(Self.script); h.raw("</script>\n</body>\n</html>\n")
        return h.bytes
    }

    /// A section that depends only on the schema, the controller, the scope and the language (never on
    /// the subject's records or files): from the cache when there is one.
    func alike(_ name: String, _ h: inout HTML, _ render: (inout HTML) -> Void) {
        guard let sections else { return render(&h) }
        h.append(sections.section(.init(section: name, scope: manifest.scope.rawValue, language: language), render: render))
    }

    func contents(_ h: inout HTML) {
        h.raw("<nav aria-labelledby=\"h-contents\">\n<h2 id=\"h-contents\">"); h.text(t.contents); h.raw("</h2>\n<ol>\n")
        h.raw("<li><a href=\"#about\">"); h.text(t.aboutHeading); h.raw("</a></li>\n")
        h.raw("<li><a href=\"#transfers\">"); h.text(t.transfersHeading); h.raw("</a></li>\n<li><a href=\"#automated\">")
        h.text(t.automatedHeading); h.raw("</a></li>\n")
        for c in manifest.categories {
            h.raw("<li>"); categoryLink(c.name, c.title, &h); h.raw(" <span class=\"count\">("); h.number(c.records); h.raw(")</span></li>\n")
        }
        h.raw("<li><a href=\"#rights\">"); h.text(t.rightsHeading); h.raw("</a></li>\n<li><a href=\"#correct\">")
        h.text(t.correctionHeading); h.raw("</a></li>\n")
        h.raw("<li><a href=\"#files\">"); h.text(t.filesHeading); h.raw("</a></li>\n</ol>\n</nav>\n")
    }

    /// A term and its description, which `value` writes.
    func fact(_ term: String, _ h: inout HTML, _ value: (inout HTML) -> Void) {
        h.raw("<dt>"); h.text(term); h.raw("</dt><dd>"); value(&h); h.raw("</dd>\n")
    }

    /// Text from the schema or configuration, marked with its language when the page is in another one.
    func schemaText(_ s: String, _ h: inout HTML) {
        if language == schemaLanguage {
            h.text(s)
        } else {
            h.raw("<span lang=\""); h.attribute(schemaLanguage); h.raw("\">"); h.text(s); h.raw("</span>")
        }
    }

    /// A list of schema texts, one item each.
    func schemaList(_ items: [String], _ h: inout HTML) {
        h.raw("<ul>\n")
        for item in items { h.raw("<li>"); schemaText(item, &h); h.raw("</li>\n") }
        h.raw("</ul>\n")
    }

    /// A link to a category's section, with its title.
    func categoryLink(_ name: String, _ title: String, _ h: inout HTML) {
        h.raw("<a href=\"#"); h.attribute(anchor(name)); h.raw("\">"); schemaText(title, &h); h.raw("</a>")
    }

    /// A `mailto:` link showing the address.
    func mailLink(_ address: String, _ h: inout HTML) {
        h.raw("<a href=\"mailto:"); h.attribute(address); h.raw("\">"); h.text(address); h.raw("</a>")
    }

    /// A link showing its own address.
    func urlLink(_ url: String, _ h: inout HTML) {
        h.raw("<a href=\""); h.attribute(url); h.raw("\">"); h.text(url); h.raw("</a>")
    }

    /// Field names as code, separated by commas.
    func codeList(_ names: [String], _ h: inout HTML) {
        for (i, name) in names.enumerated() {
            if i > 0 { h.raw(", ") }
            h.raw("<code>"); h.text(name); h.raw("</code>")
        }
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
    func time(_ s: String, alongside: Bool = false, _ h: inout HTML) {
        let shown = local(s)
        let utc = readable(s)
        guard shown != s else { return h.text(s) }
        h.raw("<time datetime=\""); h.attribute(s)
        guard zone != nil else {
            h.raw("\">"); h.text(utc); h.raw("</time>")
            return
        }
        h.raw("\" title=\""); h.attribute(utc); h.raw("\">"); h.text(shown); h.raw("</time>")
        if alongside { h.raw(" ("); h.text(utc); h.raw(")") }
    }

    /// The element id of a category's section: `cat-` and the name reduced to safe characters.
    func anchor(_ name: String) -> String { "cat-" + BundleLayout.safe(name) }
}
