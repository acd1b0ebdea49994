import Foundation
import SeqPortBundle
import SeqPortModel

extension HTMLPage {
    /// The Art. 15 facts for the whole bundle: controller, storage, every purpose, legal basis (with
    /// what it means), recipient (with its legal bases and how consent is withdrawn) and source that
    /// any category names (each once, in schema order), retention per category, and security.
    /// Transfers and automated decisions have sections of their own.
    func about(_ h: inout HTML) {
        let c = manifest.controller
        let cats = manifest.categories
        let facts = manifest.art15
        h.raw("<section id=\"about\" aria-labelledby=\"h-about\">\n<h2 id=\"h-about\">"); h.text(t.aboutHeading); h.raw("</h2>\n")
        h.raw("<p>"); h.text(t.aboutIntro(c.name, c.text("address", in: language), c.text("storageLocation", in: language))); h.raw("</p>\n")
        h.raw("<div class=\"grid\">\n")
        h.raw("<div><h3>"); h.text(t.purposesHeading); h.raw("</h3>\n"); schemaList(unique(cats.flatMap(\.purposes)), &h); h.raw("</div>\n")
        h.raw("<div><h3>"); h.text(t.legalBasisHeading); h.raw("</h3>\n")
        if let bases = facts?.legalBases, !bases.isEmpty {
            h.raw("<ul>\n")
            for b in bases {
                let explanation = schema.terms.legalBasis(b.id).map { $0.text("explanation", in: language) } ?? ""
                h.raw("<li>"); schemaText(b.text, &h)
                if !explanation.isEmpty { h.raw(": "); schemaText(explanation, &h) }
                h.raw("</li>\n")
            }
            h.raw("</ul>\n")
        } else {
            schemaList(unique(cats.flatMap(\.legalBasis)), &h)
        }
        h.raw("<p>"); h.text(t.legalBasisNote); h.raw("</p></div>\n")
        h.raw("<div><h3>"); h.text(t.recipientsHeading); h.raw("</h3>\n")
        if let recipients = facts?.recipients, !recipients.isEmpty {
            let bases = Dictionary((facts?.legalBases ?? []).map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
            h.raw("<ul>\n")
            for r in recipients {
                h.raw("<li>"); schemaText(r.text, &h)
                if !r.legalBasis.isEmpty {
                    h.raw("<br>"); h.text(t.recipientBasis); h.raw(" ")
                    for (i, basis) in r.legalBasis.enumerated() {
                        if i > 0 { h.raw(", ") }
                        schemaText(bases[basis] ?? basis, &h)
                    }
                    h.raw(".")
                }
                if let w = r.consentWithdrawal { h.raw(" "); linkingContact(w, c.contact, schema: true, &h) }
                if !r.transfers.isEmpty {
                    h.raw(" <a href=\"#transfers\">"); h.text(t.recipientTransfers(r.transfers.map(\.countryName))); h.raw("</a>")
                }
                h.raw("</li>\n")
            }
            h.raw("</ul>\n")
        } else {
            schemaList(unique(cats.flatMap(\.recipients)), &h)
        }
        h.raw("<p>"); h.text(t.recipientsNote); h.raw("</p></div>\n")
        h.raw("<div><h3>"); h.text(t.retentionHeading); h.raw("</h3>\n<ul>\n")
        for c in cats {
            h.raw("<li>"); categoryLink(c.name, c.title, &h); h.raw(": "); schemaText(c.retention, &h); h.raw("</li>\n")
        }
        h.raw("</ul>\n")
        h.raw("<p>"); h.text(t.retentionNote); h.raw("</p></div>\n")
        h.raw("<div><h3>"); h.text(t.sourcesHeading); h.raw("</h3>\n"); schemaList(unique(cats.map(\.source)), &h); h.raw("</div>\n")
        if let measures = c.security, !measures.isEmpty {
            h.raw("<div><h3>"); h.text(t.securityHeading); h.raw("</h3>\n")
            schemaList(measures.map { $0.text("text", in: language) }, &h)
            h.raw("</div>\n")
        }
        h.raw("<div><h3>"); h.text(t.originHeading); h.raw("</h3>\n<dl>\n")
        for o in Origin.allCases { fact(t.originName(o), &h) { $0.text(t.origin(o)) } }
        h.raw("</dl></div>\n</div>\n</section>\n")
        transfers(&h)
        automated(&h)
    }

    /// Art. 15(2): every transfer outside the EU/EEA, its safeguard and where a copy can be obtained.
    func transfers(_ h: inout HTML) {
        let contact = manifest.controller.contact
        h.raw("<section id=\"transfers\" aria-labelledby=\"h-transfers\">\n<h2 id=\"h-transfers\">"); h.text(t.transfersHeading); h.raw("</h2>\n")
        let all = (manifest.art15?.recipients ?? []).flatMap { r in r.transfers.map { (r, $0) } }
        guard !all.isEmpty else {
            h.raw("<p>"); h.text(t.noTransfers); h.raw("</p>\n</section>\n")
            return
        }
        h.raw("<p>"); h.text(t.transfersIntro); h.raw("</p>\n")
        for (r, x) in all {
            h.raw("<h3>"); schemaText(r.text, &h); h.raw(" – "); schemaText(x.countryName, &h); h.raw("</h3>\n<dl class=\"facts\">\n")
            fact(t.transferCountry, &h) { h in
                schemaText(x.countryName, &h); h.raw(" (<code>"); h.text(x.country); h.raw("</code>)")
            }
            if let d = x.details { fact(t.transferWhat, &h) { schemaText(d, &$0) } }
            fact(t.transferSafeguard, &h) { schemaText(x.safeguard.text, &$0) }
            fact(t.transferCopy, &h) { linkingContact(x.copy, contact, schema: true, &$0) }
            h.raw("</dl>\n")
        }
        h.raw("</section>\n")
    }

    /// Art. 15(1)(h), Art. 22: which derived or inferred fields decisions are based on, the logic
    /// involved, and the significance and envisaged consequences.
    func automated(_ h: inout HTML) {
        let contact = manifest.controller.contact
        h.raw("<section id=\"automated\" aria-labelledby=\"h-automated\">\n<h2 id=\"h-automated\">"); h.text(t.automatedHeading); h.raw("</h2>\n")
        // From the whole schema (art15), so that a portability bundle, which leaves these fields out,
        // still says that decisions are based on them; older manifests list them per category.
        let all = (manifest.art15?.automatedDecisions?.map { ($0.category, $0.categoryTitle, $0.note) }
            ?? manifest.categories.flatMap { c in (c.automated ?? []).map { (c.name, c.title, $0) } })
            .filter { $0.2.decisions || $0.2.profiling }
        let deciding = all.filter { $0.2.decisions }
        h.raw("<p>"); h.text(deciding.isEmpty ? t.noAutomated : t.automatedIntro); h.raw("</p>\n")
        let inBundle = Set(manifest.categories.map(\.name))
        for (name, title, n) in all {
            h.raw("<h3>")
            if inBundle.contains(name) { categoryLink(name, title, &h) } else { schemaText(title, &h) }
            h.raw(": <code>"); h.text(n.field); h.raw("</code></h3>\n<dl class=\"facts\">\n")
            fact(t.decisionsLabel, &h) { h in
                h.text(n.decisions ? t.yes : t.no)
                if n.profiling { h.raw(". "); h.text(t.profilingText) }
            }
            if !n.logic.isEmpty { fact(t.logicLabel, &h) { schemaText(n.logic, &$0) } }
            if !n.significance.isEmpty { fact(t.significanceLabel, &h) { schemaText(n.significance, &$0) } }
            if !n.consequences.isEmpty { fact(t.consequencesLabel, &h) { linkingContact(n.consequences, contact, schema: true, &$0) } }
            h.raw("</dl>\n")
        }
        h.raw("</section>\n")
    }

    /// Each right, how to use it, the complaint route (the controller first, the authority where the
    /// subject lives, the controller's lead authority), and the time to answer.
    func rights(_ h: inout HTML) {
        let c = manifest.controller
        h.raw("<section id=\"rights\" aria-labelledby=\"h-rights\">\n<h2 id=\"h-rights\">"); h.text(t.rightsHeading); h.raw("</h2>\n")
        h.raw("<p>"); h.text(t.rightsIntro); h.raw(" "); mailLink(c.contact, &h); h.raw("</p>\n<dl>\n")
        for r in t.rights(c.contact) {
            h.raw("<dt>"); h.text(r.name); h.raw("</dt><dd>"); linkingContact(r.text, c.contact, &h); h.raw("</dd>\n")
        }
        let authority = c.supervisoryAuthority
        h.raw("<dt>"); h.text(t.complainName); h.raw("</dt><dd>")
        if let route = c.complaints {
            h.raw("<p>"); linkingContact(route.text("contactFirst", in: language), c.contact, schema: true, &h); h.raw("</p>\n")
            h.raw("<p>"); schemaText(route.text("residence", in: language), &h); h.raw(" "); urlLink(route.authoritiesUrl, &h); h.raw("</p>\n")
            h.raw("<p>"); h.text(t.leadAuthority(c.name)); h.raw(" "); schemaText(authority.text("name", in: language), &h); h.raw(": ")
        } else {
            h.raw("<p>"); h.text(t.complain(authority.text("name", in: language))); h.raw(" ")
        }
        urlLink(authority.url, &h); h.raw("</p></dd>\n</dl>\n")
        h.raw("<p>"); h.text(t.answerTime); h.raw("</p>\n</section>\n")
    }

    /// The steps of a correction and the fields that can be corrected.
    func correction(_ h: inout HTML) {
        let contact = manifest.controller.contact
        h.raw("<section id=\"correct\" aria-labelledby=\"h-correct\">\n<h2 id=\"h-correct\">"); h.text(t.correctionHeading); h.raw("</h2>\n<ol>\n")
        for step in t.correctionSteps(contact) { h.raw("<li>"); linkingContact(step, contact, &h); h.raw("</li>\n") }
        h.raw("</ol>\n")
        let editable = manifest.categories.filter { !$0.rectifiable.isEmpty }
        guard !editable.isEmpty else {
            h.raw("</section>\n")
            return
        }
        h.raw("<p>"); h.text(t.correctableListIntro); h.raw("</p>\n<ul>\n")
        for c in editable {
            h.raw("<li>"); categoryLink(c.name, c.title, &h); h.raw(": ")
            codeList(c.rectifiable, &h)
            let csv = c.files[BundleFormat.csv.rawValue] ?? ""
            h.raw(" (<a href=\""); h.attribute(csv); h.raw("\">"); h.text(csv); h.raw("</a>)</li>\n")
        }
        h.raw("</ul>\n</section>\n")
    }

    /// What each kind of file is, how to check checksums, and every file with its size and SHA-256.
    func filesSection(_ h: inout HTML) {
        h.raw("<section id=\"files\" aria-labelledby=\"h-files\">\n<h2 id=\"h-files\">"); h.text(t.filesHeading); h.raw("</h2>\n")
        h.raw("<p>"); h.text(t.filesIntro); h.raw("</p>\n<dl class=\"facts\">\n")
        for kind in t.fileKinds { fact(kind.path, &h) { $0.text(kind.text) } }
        fact(BundleLayout.signature, &h) { $0.text(t.signatureKind) }
        h.raw("</dl>\n")
        if encrypted { h.raw("<p>"); h.text(t.encryptedNote); h.raw("</p>\n") }
        h.raw("<h3 id=\"checksums\">"); h.text(t.checksumHeading); h.raw("</h3>\n<p>"); h.text(t.checksumIntro); h.raw("</p>\n")
        let example = manifest.categories.first?.files[BundleFormat.csv.rawValue] ?? BundleLayout.schemaDocument
        h.raw("<pre><code>"); h.text(t.checksumCommands(example)); h.raw("</code></pre>\n<p>"); h.text(t.checksumManifest); h.raw("</p>\n")
        h.raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"c-files\"><table>\n")
        h.raw("<caption id=\"c-files\">"); h.text(t.fileCol); h.raw(", "); h.text(t.bytesCol); h.raw(", SHA-256</caption>\n")
        h.raw("<thead><tr><th scope=\"col\">"); h.text(t.fileCol); h.raw("</th><th scope=\"col\">"); h.text(t.bytesCol)
        h.raw("</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n")
        for f in files {
            h.raw("<tr><td><a href=\""); h.attribute(f.path); h.raw("\">"); h.text(f.path); h.raw("</a></td><td>"); h.number(f.bytes)
            h.raw("</td><td><code>"); h.text(f.sha256); h.raw("</code></td></tr>\n")
        }
        h.raw("</tbody>\n</table></div>\n</section>\n")
    }

    /// A sentence with the contact address in it turned into a mail link; `schema` texts are marked
    /// with their language as `schemaText` does.
    func linkingContact(_ text: String, _ contact: String, schema: Bool = false, _ h: inout HTML) {
        let marked = schema && language != schemaLanguage
        if marked { h.raw("<span lang=\""); h.attribute(schemaLanguage); h.raw("\">") }
        if contact.isEmpty {
            h.text(text)
        } else {
            for (i, piece) in text.components(separatedBy: contact).enumerated() {
                if i > 0 { mailLink(contact, &h) }
                h.text(piece)
            }
        }
        if marked { h.raw("</span>") }
    }

    /// The items in first-seen order, each once.
    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
