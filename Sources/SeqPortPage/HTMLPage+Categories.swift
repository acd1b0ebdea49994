import SeqPortBundle
import SeqPortModel

extension HTMLPage {
    /// One category: its summary line and facts, links to the full copies, its first rows as a table
    /// whose headers explain the fields, and a table of the fields' meaning and origin.
    func section(_ c: Manifest.CategoryEntry, _ p: PagePreview, _ h: inout HTML) {
        let id = anchor(c.name)
        h.raw("<section id=\""); h.attribute(id); h.raw("\" aria-labelledby=\"h-"); h.attribute(id)
        h.raw("\" data-category=\""); h.attribute(c.name); h.raw("\" data-records=\""); h.number(c.records); h.raw("\">\n")
        h.raw("<h2 id=\"h-"); h.attribute(id); h.raw("\">"); schemaText(c.title, &h); h.raw("</h2>\n<p>"); schemaText(c.description, &h); h.raw("</p>\n")
        h.raw("<p class=\"summary\">"); h.text(t.summary(c.records, p.earliest.map(local), p.latest.map(local))); h.raw("</p>\n<dl class=\"facts\">\n")
        fact(t.purposes, &h) { schemaList(c.purposes, &$0) }
        fact(t.legalBasis, &h) { schemaList(c.legalBasis, &$0) }
        fact(t.recipients, &h) { schemaList(c.recipients, &$0) }
        fact(t.retention, &h) { schemaText(c.retention, &$0) }
        fact(t.source, &h) { schemaText(c.source, &$0) }
        fact(t.correctable, &h) { h in
            if c.rectifiable.isEmpty { h.text(t.none) } else { codeList(c.rectifiable, &h) }
        }
        if !c.rectifiable.isEmpty { fact(t.addRemove, &h) { $0.text(t.addRemoveText(c.allowInsert, c.allowDelete)) } }
        if let notes = c.automated?.filter({ $0.decisions || $0.profiling }), !notes.isEmpty {
            // Art. 15(1)(h): the fields decisions are based on; the details are in the "automated" section.
            fact(t.automatedFact, &h) { h in
                codeList(notes.map(\.field), &h)
                h.raw(": <a href=\"#automated\">"); h.text(t.automatedFactText(notes.contains { $0.decisions })); h.raw("</a>")
            }
        }
        for note in c.redactions ?? [] where note.values > 0 {
            // Art. 15(4): say that other people's data was hidden, where, and why.
            fact(t.hiddenLabel, &h) { h in
                h.text(t.hiddenCount(note.values)); h.raw(" <code>"); h.text(note.field); h.raw("</code>: "); schemaText(note.reason, &h)
            }
        }
        fact(t.fullData, &h) { h in
            var first = true
            for f in BundleFormat.allCases {
                guard let path = c.files[f.rawValue] else { continue }
                if !first { h.raw(" · ") }
                first = false
                let name = f.rawValue.uppercased()
                h.raw("<a href=\""); h.attribute(path); h.raw("\" aria-label=\""); h.attribute(t.formatLink(name, path)); h.raw("\">")
                h.text(name); h.raw("</a>")
            }
        }
        h.raw("</dl>\n")
        guard p.total > 0, !p.rows.isEmpty else {
            h.raw("<p>"); h.text(t.empty); h.raw("</p>\n</section>\n")
            return
        }
        if p.total > p.rows.count { h.raw("<p class=\"note\">"); h.text(t.showingFirst(p.rows.count, p.total)); h.raw("</p>\n") }
        dataTable(c, p, id: id, &h)
        fieldsTable(c, p, &h)
        h.raw("</section>\n")
    }

    /// The first rows; each header cell carries the field's name and description.
    func dataTable(_ c: Manifest.CategoryEntry, _ p: PagePreview, id: String, _ h: inout HTML) {
        if p.rows.count > 5 {
            h.raw("<p class=\"filter\" hidden><label for=\"f-"); h.attribute(id); h.raw("\">"); h.text(t.filterLabel); h.raw("</label>")
            h.raw("<input type=\"search\" id=\"f-"); h.attribute(id); h.raw("\" data-filter=\"b-"); h.attribute(id); h.raw("\"></p>\n")
        }
        h.raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"c-"); h.attribute(id); h.raw("\"><table>\n")
        h.raw("<caption id=\"c-"); h.attribute(id); h.raw("\">"); schemaText(c.title, &h); h.raw(" – ")
        h.text(t.summary(p.total, p.earliest.map(local), p.latest.map(local))); h.raw("</caption>\n<thead><tr>")
        for f in p.layout.fields {
            h.raw("<th scope=\"col\"><code>"); h.text(f.name); h.raw("</code><span class=\"desc\">")
            schemaText(f.text("description", in: language), &h); h.raw("</span></th>")
        }
        h.raw("</tr></thead>\n<tbody id=\"b-"); h.attribute(id); h.raw("\">\n")
        for r in p.rows {
            h.raw("<tr>")
            for (f, v) in zip(p.layout.fields, r.values) { h.raw("<td>"); cell(f, v, c, &h); h.raw("</td>") }
            h.raw("</tr>\n")
        }
        h.raw("</tbody>\n</table></div>\n")
    }

    /// Every field: what it means, where it comes from, whether the subject can correct it.
    func fieldsTable(_ c: Manifest.CategoryEntry, _ p: PagePreview, _ h: inout HTML) {
        h.raw("<details>\n<summary>"); h.text(t.fieldsHeading); h.raw("</summary>\n<div class=\"scroll\"><table>\n")
        h.raw("<thead><tr><th scope=\"col\">"); h.text(t.fieldCol); h.raw("</th><th scope=\"col\">"); h.text(t.meaningCol); h.raw("</th>")
        h.raw("<th scope=\"col\">"); h.text(t.originCol); h.raw("</th><th scope=\"col\">"); h.text(t.correctableCol); h.raw("</th></tr></thead>\n<tbody>\n")
        for f in p.layout.fields {
            h.raw("<tr><th scope=\"row\"><code>"); h.text(f.name); h.raw("</code></th><td>"); schemaText(f.text("description", in: language), &h)
            h.raw("</td>")
            // Art. 15(1)(h) for every derived or inferred field: whether decisions are based on it.
            let automated = f.automated.map { " " + t.decisionsLabel + ": " + ($0.decisions ? t.yes : t.no) + "." } ?? ""
            h.raw("<td>"); h.text(t.origin(f.origin) + automated); h.raw("</td><td>"); h.text(f.rectifiable ? t.yes : t.no); h.raw("</td></tr>\n")
        }
        h.raw("</tbody>\n</table></div>\n</details>\n")
    }

    /// The longest value a cell shows, in characters; longer ones are shortened and say so.
    static let cellLimit = 300

    /// One value: files as a picture or a link, NULL and "" told apart, timestamps in the controller's
    /// time zone, invisible characters shown as symbols, long text shortened with a link to the full copy.
    func cell(_ field: Field, _ value: Value, _ c: Manifest.CategoryEntry, _ h: inout HTML) {
        guard case .text(let s) = value else {
            h.raw("<span class=\"null\">"); h.text(t.nullText(field.name)); h.raw("</span>")
            return
        }
        if field.type == .file {
            let name = s.split(separator: "/").last.map(String.init) ?? s
            let media = files.first { $0.path == s }?.mediaType ?? ""
            if media.hasPrefix("image/") {
                let alt = t.photoAlt(field.name) + ": " + field.text("description", in: language)
                h.raw("<a href=\""); h.attribute(s); h.raw("\"><img class=\"photo\" src=\""); h.attribute(s)
                h.raw("\" alt=\""); h.attribute(alt); h.raw("\"></a>")
                return
            }
            h.raw("<a href=\""); h.attribute(s); h.raw("\" aria-label=\""); h.attribute(t.openFile(name)); h.raw("\">"); h.text(name); h.raw("</a>")
            return
        }
        if s.isEmpty {
            h.raw("<span class=\"null\">"); h.text(t.emptyText(field.name)); h.raw("</span>")
            return
        }
        if field.type == .timestamp { return time(s, &h) }
        // Characters are only counted when the value could be over the limit (UTF-8 bytes ≥ characters).
        let count = s.utf8.count > Self.cellLimit ? s.count : 0
        guard count > Self.cellLimit else { return h.shown(s) }
        let full = c.files[BundleFormat.json.rawValue] ?? ""
        h.shown(String(s.prefix(Self.cellLimit)))
        h.raw("… <a class=\"cut\" href=\""); h.attribute(full); h.raw("\">"); h.text(t.shortened(Self.cellLimit, count, full)); h.raw("</a>")
    }
}
