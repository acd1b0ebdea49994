import SeqPortBundle
import SeqPortModel

extension HTMLPage {
    /// One category: its summary line and facts, links to the full copies, its first rows as a table
    /// whose headers explain the fields, and a table of the fields' meaning and origin.
    func section(_ c: Manifest.CategoryEntry, _ p: PagePreview) -> String {
        let id = anchor(c.name)
        var h = "<section id=\"\(attr(id))\" aria-labelledby=\"h-\(attr(id))\" data-category=\"\(attr(c.name))\" data-records=\"\(c.records)\">\n"
        h += "<h2 id=\"h-\(attr(id))\">\(schemaText(c.title))</h2>\n<p>\(schemaText(c.description))</p>\n"
        h += "<p class=\"summary\">\(esc(t.summary(c.records, p.earliest.map(local), p.latest.map(local))))</p>\n<dl class=\"facts\">\n"
        h += fact(t.purposes, schemaList(c.purposes))
        h += fact(t.legalBasis, schemaList(c.legalBasis))
        h += fact(t.recipients, schemaList(c.recipients))
        h += fact(t.retention, schemaText(c.retention))
        h += fact(t.source, schemaText(c.source))
        h += fact(t.correctable, c.rectifiable.isEmpty ? esc(t.none) : c.rectifiable.map { "<code>\(esc($0))</code>" }.joined(separator: ", "))
        if !c.rectifiable.isEmpty { h += fact(t.addRemove, esc(t.addRemoveText(c.allowInsert, c.allowDelete))) }
        if let notes = c.automated?.filter({ $0.decisions || $0.profiling }), !notes.isEmpty {
            // Art. 15(1)(h): the fields decisions are based on; the details are in the "automated" section.
            let fields = notes.map { "<code>\(esc($0.field))</code>" }.joined(separator: ", ")
            h += fact(t.automatedFact, "\(fields): <a href=\"#automated\">\(esc(t.automatedFactText(notes.contains { $0.decisions })))</a>")
        }
        for note in c.redactions ?? [] where note.values > 0 {
            // Art. 15(4): say that other people's data was hidden, where, and why.
            let label = language == "sv" ? "Dolt för att skydda andra" : "Hidden to protect others"
            let count = language == "sv" ? "\(note.values) värden i" : "\(note.values) values in"
            h += fact(label, "\(esc(count)) <code>\(esc(note.field))</code>: \(schemaText(note.reason))")
        }
        let links = BundleFormat.allCases.compactMap { f in
            c.files[f.rawValue].map { "<a href=\"\(attr($0))\" aria-label=\"\(attr(t.formatLink(f.rawValue.uppercased(), $0)))\">\(f.rawValue.uppercased())</a>" }
        }
        h += fact(t.fullData, links.joined(separator: " · "))
        h += "</dl>\n"
        guard p.total > 0, !p.rows.isEmpty else { return h + "<p>\(esc(t.empty))</p>\n</section>\n" }
        if p.total > p.rows.count { h += "<p class=\"note\">\(esc(t.showingFirst(p.rows.count, p.total)))</p>\n" }
        h += dataTable(c, p, id: id)
        h += fieldsTable(c, p)
        return h + "</section>\n"
    }

    /// The first rows; each header cell carries the field's name and description.
    func dataTable(_ c: Manifest.CategoryEntry, _ p: PagePreview, id: String) -> String {
        var h = ""
        if p.rows.count > 5 {
            h += "<p class=\"filter\" hidden><label for=\"f-\(attr(id))\">\(esc(t.filterLabel))</label>"
            h += "<input type=\"search\" id=\"f-\(attr(id))\" data-filter=\"b-\(attr(id))\"></p>\n"
        }
        h += "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"c-\(attr(id))\"><table>\n"
        h += "<caption id=\"c-\(attr(id))\">\(schemaText(c.title)) – \(esc(t.summary(p.total, p.earliest.map(local), p.latest.map(local))))</caption>\n<thead><tr>"
        for f in p.layout.fields {
            h += "<th scope=\"col\"><code>\(esc(f.name))</code><span class=\"desc\">\(schemaText(f.text("description", in: language)))</span></th>"
        }
        h += "</tr></thead>\n<tbody id=\"b-\(attr(id))\">\n"
        for r in p.rows {
            h += "<tr>"
            for (f, v) in zip(p.layout.fields, r.values) { h += "<td>\(cell(f, v, c))</td>" }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table></div>\n"
    }

    /// Every field: what it means, where it comes from, whether the subject can correct it.
    func fieldsTable(_ c: Manifest.CategoryEntry, _ p: PagePreview) -> String {
        var h = "<details>\n<summary>\(esc(t.fieldsHeading))</summary>\n<div class=\"scroll\"><table>\n"
        h += "<thead><tr><th scope=\"col\">\(esc(t.fieldCol))</th><th scope=\"col\">\(esc(t.meaningCol))</th>"
        h += "<th scope=\"col\">\(esc(t.originCol))</th><th scope=\"col\">\(esc(t.correctableCol))</th></tr></thead>\n<tbody>\n"
        for f in p.layout.fields {
            h += "<tr><th scope=\"row\"><code>\(esc(f.name))</code></th><td>\(schemaText(f.text("description", in: language)))</td>"
            // Art. 15(1)(h) for every derived or inferred field: whether decisions are based on it.
            let automated = f.automated.map { " " + t.decisionsLabel + ": " + ($0.decisions ? t.yes : t.no) + "." } ?? ""
            h += "<td>\(esc(t.origin(f.origin) + automated))</td><td>\(esc(f.rectifiable ? t.yes : t.no))</td></tr>\n"
        }
        return h + "</tbody>\n</table></div>\n</details>\n"
    }

    /// The longest value a cell shows, in characters; longer ones are shortened and say so.
    static let cellLimit = 300

    /// One value: files as a picture or a link, NULL and "" told apart, timestamps in the controller's
    /// time zone, invisible characters shown as symbols, long text shortened with a link to the full copy.
    func cell(_ field: Field, _ value: Value, _ c: Manifest.CategoryEntry) -> String {
        guard case .text(let s) = value else { return "<span class=\"null\">\(esc(t.nullText(field.name)))</span>" }
        if field.type == .file {
            let name = s.split(separator: "/").last.map(String.init) ?? s
            let media = files.first { $0.path == s }?.mediaType ?? ""
            if media.hasPrefix("image/") {
                let alt = t.photoAlt(field.name) + ": " + field.text("description", in: language)
                return "<a href=\"\(attr(s))\"><img class=\"photo\" src=\"\(attr(s))\" alt=\"\(attr(alt))\"></a>"
            }
            return "<a href=\"\(attr(s))\" aria-label=\"\(attr(t.openFile(name)))\">\(esc(name))</a>"
        }
        if s.isEmpty { return "<span class=\"null\">\(esc(t.emptyText(field.name)))</span>" }
        if field.type == .timestamp { return time(s) }
        let count = s.count
        guard count > Self.cellLimit else { return esc(s, markup: true, visibleTabs: true) }
        let full = c.files[BundleFormat.json.rawValue] ?? ""
        return esc(String(s.prefix(Self.cellLimit)), markup: true, visibleTabs: true)
            + "… <a class=\"cut\" href=\"\(attr(full))\">\(esc(t.shortened(Self.cellLimit, count, full)))</a>"
    }
}
