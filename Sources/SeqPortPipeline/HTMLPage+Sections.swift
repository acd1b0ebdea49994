import SeqPortBundle
import SeqPortModel

extension HTMLPage {
    /// The Art. 15 facts for the whole bundle: controller, storage, every purpose, legal basis (with
    /// what it means), recipient (with its legal bases and how consent is withdrawn) and source that
    /// any category names (each once, in schema order), retention per category, and security.
    /// Transfers and automated decisions have sections of their own.
    func about() -> String {
        let c = manifest.controller
        let cats = manifest.categories
        let facts = manifest.art15
        var h = "<section id=\"about\" aria-labelledby=\"h-about\">\n<h2 id=\"h-about\">\(esc(t.aboutHeading))</h2>\n"
        h += "<p>\(esc(t.aboutIntro(c.name, c.text("address", in: language), c.text("storageLocation", in: language))))</p>\n"
        h += "<div class=\"grid\">\n"
        h += "<div><h3>\(esc(t.purposesHeading))</h3>\n" + schemaList(unique(cats.flatMap(\.purposes))) + "</div>\n"
        h += "<div><h3>\(esc(t.legalBasisHeading))</h3>\n"
        if let bases = facts?.legalBases, !bases.isEmpty {
            h += "<ul>\n"
            for b in bases {
                let explanation = schema.terms.legalBasis(b.id).map { $0.text("explanation", in: language) } ?? ""
                h += "<li>\(schemaText(b.text))" + (explanation.isEmpty ? "" : ": \(schemaText(explanation))") + "</li>\n"
            }
            h += "</ul>\n"
        } else {
            h += schemaList(unique(cats.flatMap(\.legalBasis)))
        }
        h += "<p>\(esc(t.legalBasisNote))</p></div>\n"
        h += "<div><h3>\(esc(t.recipientsHeading))</h3>\n"
        if let recipients = facts?.recipients, !recipients.isEmpty {
            let bases = Dictionary((facts?.legalBases ?? []).map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
            h += "<ul>\n"
            for r in recipients {
                h += "<li>\(schemaText(r.text))"
                if !r.legalBasis.isEmpty {
                    h += "<br>\(esc(t.recipientBasis)) " + r.legalBasis.map { schemaText(bases[$0] ?? $0) }.joined(separator: ", ") + "."
                }
                if let w = r.consentWithdrawal { h += " \(linkingContact(w, c.contact, schema: true))" }
                if !r.transfers.isEmpty {
                    h += " <a href=\"#transfers\">\(esc(t.recipientTransfers(r.transfers.map(\.countryName))))</a>"
                }
                h += "</li>\n"
            }
            h += "</ul>\n"
        } else {
            h += schemaList(unique(cats.flatMap(\.recipients)))
        }
        h += "<p>\(esc(t.recipientsNote))</p></div>\n"
        h += "<div><h3>\(esc(t.retentionHeading))</h3>\n<ul>\n"
        for c in cats { h += "<li><a href=\"#\(attr(anchor(c.name)))\">\(schemaText(c.title))</a>: \(schemaText(c.retention))</li>\n" }
        h += "</ul>\n"
        h += "<p>\(esc(t.retentionNote))</p></div>\n"
        h += "<div><h3>\(esc(t.sourcesHeading))</h3>\n" + schemaList(unique(cats.map(\.source))) + "</div>\n"
        if let measures = c.security, !measures.isEmpty {
            h += "<div><h3>\(esc(t.securityHeading))</h3>\n" + schemaList(measures.map { $0.text("text", in: language) }) + "</div>\n"
        }
        h += "<div><h3>\(esc(t.originHeading))</h3>\n<dl>\n"
        for o in Origin.allCases { h += fact(t.originName(o), esc(t.origin(o))) }
        h += "</dl></div>\n</div>\n</section>\n"
        return h + transfers() + automated()
    }

    /// Art. 15(2): every transfer outside the EU/EEA, its safeguard and where a copy can be obtained.
    func transfers() -> String {
        let contact = manifest.controller.contact
        var h = "<section id=\"transfers\" aria-labelledby=\"h-transfers\">\n<h2 id=\"h-transfers\">\(esc(t.transfersHeading))</h2>\n"
        let all = (manifest.art15?.recipients ?? []).flatMap { r in r.transfers.map { (r, $0) } }
        guard !all.isEmpty else { return h + "<p>\(esc(t.noTransfers))</p>\n</section>\n" }
        h += "<p>\(esc(t.transfersIntro))</p>\n"
        for (r, x) in all {
            h += "<h3>\(schemaText(r.text)) – \(schemaText(x.countryName))</h3>\n<dl class=\"facts\">\n"
            h += fact(t.transferCountry, "\(schemaText(x.countryName)) (<code>\(esc(x.country))</code>)")
            if let d = x.details { h += fact(t.transferWhat, schemaText(d)) }
            h += fact(t.transferSafeguard, schemaText(x.safeguard.text))
            h += fact(t.transferCopy, linkingContact(x.copy, contact, schema: true))
            h += "</dl>\n"
        }
        return h + "</section>\n"
    }

    /// Art. 15(1)(h), Art. 22: which derived or inferred fields decisions are based on, the logic
    /// involved, and the significance and envisaged consequences.
    func automated() -> String {
        let contact = manifest.controller.contact
        var h = "<section id=\"automated\" aria-labelledby=\"h-automated\">\n<h2 id=\"h-automated\">\(esc(t.automatedHeading))</h2>\n"
        // From the whole schema (art15), so that a portability bundle, which leaves these fields out,
        // still says that decisions are based on them; older manifests list them per category.
        let all = (manifest.art15?.automatedDecisions?.map { ($0.category, $0.categoryTitle, $0.note) }
            ?? manifest.categories.flatMap { c in (c.automated ?? []).map { (c.name, c.title, $0) } })
            .filter { $0.2.decisions || $0.2.profiling }
        let deciding = all.filter { $0.2.decisions }
        h += "<p>\(esc(deciding.isEmpty ? t.noAutomated : t.automatedIntro))</p>\n"
        let inBundle = Set(manifest.categories.map(\.name))
        for (name, title, n) in all {
            let heading = inBundle.contains(name) ? "<a href=\"#\(attr(anchor(name)))\">\(schemaText(title))</a>" : schemaText(title)
            h += "<h3>\(heading): <code>\(esc(n.field))</code></h3>\n<dl class=\"facts\">\n"
            h += fact(t.decisionsLabel, esc(n.decisions ? t.yes : t.no) + (n.profiling ? ". \(esc(t.profilingText))" : ""))
            if !n.logic.isEmpty { h += fact(t.logicLabel, schemaText(n.logic)) }
            if !n.significance.isEmpty { h += fact(t.significanceLabel, schemaText(n.significance)) }
            if !n.consequences.isEmpty { h += fact(t.consequencesLabel, linkingContact(n.consequences, contact, schema: true)) }
            h += "</dl>\n"
        }
        return h + "</section>\n"
    }

    /// Each right, how to use it, the complaint route (the controller first, the authority where the
    /// subject lives, the controller's lead authority), and the time to answer.
    func rights() -> String {
        let c = manifest.controller
        let mail = "<a href=\"mailto:\(attr(c.contact))\">\(esc(c.contact))</a>"
        var h = "<section id=\"rights\" aria-labelledby=\"h-rights\">\n<h2 id=\"h-rights\">\(esc(t.rightsHeading))</h2>\n"
        h += "<p>\(esc(t.rightsIntro)) \(mail)</p>\n<dl>\n"
        for r in t.rights(c.contact) { h += "<dt>\(esc(r.name))</dt><dd>\(linkingContact(r.text, c.contact))</dd>\n" }
        let authority = c.supervisoryAuthority
        h += "<dt>\(esc(t.complainName))</dt><dd>"
        if let route = c.complaints {
            h += "<p>\(linkingContact(route.text("contactFirst", in: language), c.contact, schema: true))</p>\n"
            h += "<p>\(schemaText(route.text("residence", in: language))) <a href=\"\(attr(route.authoritiesUrl))\">\(esc(route.authoritiesUrl))</a></p>\n"
            h += "<p>\(esc(t.leadAuthority(c.name))) \(schemaText(authority.text("name", in: language))): "
        } else {
            h += "<p>\(esc(t.complain(authority.text("name", in: language)))) "
        }
        h += "<a href=\"\(attr(authority.url))\">\(esc(authority.url))</a></p></dd>\n</dl>\n"
        return h + "<p>\(esc(t.answerTime))</p>\n</section>\n"
    }

    /// The steps of a correction and the fields that can be corrected.
    func correction() -> String {
        let contact = manifest.controller.contact
        var h = "<section id=\"correct\" aria-labelledby=\"h-correct\">\n<h2 id=\"h-correct\">\(esc(t.correctionHeading))</h2>\n<ol>\n"
        for step in t.correctionSteps(contact) { h += "<li>\(linkingContact(step, contact))</li>\n" }
        h += "</ol>\n"
        let editable = manifest.categories.filter { !$0.rectifiable.isEmpty }
        guard !editable.isEmpty else { return h + "</section>\n" }
        h += "<p>\(esc(t.correctableListIntro))</p>\n<ul>\n"
        for c in editable {
            h += "<li><a href=\"#\(attr(anchor(c.name)))\">\(schemaText(c.title))</a>: "
            h += c.rectifiable.map { "<code>\(esc($0))</code>" }.joined(separator: ", ")
            h += " (<a href=\"\(attr(c.files[BundleFormat.csv.rawValue] ?? ""))\">\(esc(c.files[BundleFormat.csv.rawValue] ?? ""))</a>)</li>\n"
        }
        return h + "</ul>\n</section>\n"
    }

    /// What each kind of file is, how to check checksums, and every file with its size and SHA-256.
    func filesSection() -> String {
        var h = "<section id=\"files\" aria-labelledby=\"h-files\">\n<h2 id=\"h-files\">\(esc(t.filesHeading))</h2>\n"
        h += "<p>\(esc(t.filesIntro))</p>\n<dl class=\"facts\">\n"
        for kind in t.fileKinds { h += fact(kind.path, esc(kind.text)) }
        h += fact(BundleLayout.signature, esc(t.signatureKind))
        h += "</dl>\n"
        if encrypted { h += "<p>\(esc(language == "sv" ? Self.encryptedSV : Self.encryptedEN))</p>\n" }
        h += "<h3 id=\"checksums\">\(esc(t.checksumHeading))</h3>\n<p>\(esc(t.checksumIntro))</p>\n"
        let example = manifest.categories.first?.files[BundleFormat.csv.rawValue] ?? BundleLayout.schemaDocument
        h += "<pre><code>\(esc(t.checksumCommands(example)))</code></pre>\n<p>\(esc(t.checksumManifest))</p>\n"
        h += "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"c-files\"><table>\n"
        h += "<caption id=\"c-files\">\(esc(t.fileCol)), \(esc(t.bytesCol)), SHA-256</caption>\n"
        h += "<thead><tr><th scope=\"col\">\(esc(t.fileCol))</th><th scope=\"col\">\(esc(t.bytesCol))</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n"
        for f in files {
            h += "<tr><td><a href=\"\(attr(f.path))\">\(esc(f.path))</a></td><td>\(f.bytes)</td><td><code>\(esc(f.sha256))</code></td></tr>\n"
        }
        return h + "</tbody>\n</table></div>\n</section>\n"
    }

    /// Escapes a sentence and turns the contact address in it into a mail link; `schema` texts are
    /// marked with their language as `schemaText` does.
    func linkingContact(_ text: String, _ contact: String, schema: Bool = false) -> String {
        let escaped = schema ? schemaText(text) : esc(text)
        guard !contact.isEmpty else { return escaped }
        return escaped.replacingOccurrences(of: esc(contact), with: "<a href=\"mailto:\(attr(contact))\">\(esc(contact))</a>")
    }

    /// The items in first-seen order, each once.
    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    static let encryptedEN = "This bundle is protected with a password (AES-256 encryption, the WinZip format). 7-Zip (Windows, Linux), Keka (macOS) and bsdtar open it; Windows Explorer and macOS Archive Utility cannot. The password was sent to you separately."
    static let encryptedSV = "Paketet är skyddat med lösenord (AES-256-kryptering i WinZip-formatet). 7-Zip (Windows, Linux), Keka (macOS) och bsdtar kan öppna det; Utforskaren i Windows och Arkivverktyget i macOS kan inte. Lösenordet har skickats till dig separat."
}
