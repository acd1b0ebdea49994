import SeqPortModel

extension HTMLPage {
    /// The Art. 15 facts for the whole bundle: controller, storage, every purpose, legal basis,
    /// recipient and source that any category names (each once, in schema order), retention per category.
    func about() -> String {
        let c = manifest.controller
        let cats = manifest.categories
        var h = "<section id=\"about\" aria-labelledby=\"h-about\">\n<h2 id=\"h-about\">\(esc(t.aboutHeading))</h2>\n"
        h += "<p>\(esc(t.aboutIntro(c.name, c.address, c.storageLocation)))</p>\n"
        h += "<div class=\"grid\">\n"
        h += "<div><h3>\(esc(t.purposesHeading))</h3>\n" + schemaList(unique(cats.flatMap(\.purposes))) + "</div>\n"
        h += "<div><h3>\(esc(t.legalBasisHeading))</h3>\n" + schemaList(unique(cats.flatMap(\.legalBasis)))
        h += "<p>\(esc(t.legalBasisNote))</p></div>\n"
        h += "<div><h3>\(esc(t.recipientsHeading))</h3>\n" + schemaList(unique(cats.flatMap(\.recipients)))
        h += "<p>\(esc(t.recipientsNote))</p></div>\n"
        h += "<div><h3>\(esc(t.retentionHeading))</h3>\n<ul>\n"
        for c in cats { h += "<li><a href=\"#\(attr(anchor(c.name)))\">\(schemaText(c.title))</a>: \(schemaText(c.retention))</li>\n" }
        h += "</ul>\n"
        h += "<p>\(esc(t.retentionNote))</p></div>\n"
        h += "<div><h3>\(esc(t.sourcesHeading))</h3>\n" + schemaList(unique(cats.map(\.source))) + "</div>\n"
        h += "<div><h3>\(esc(t.originHeading))</h3>\n<dl>\n"
        for o in Origin.allCases { h += fact(o.rawValue, esc(t.origin(o))) }
        return h + "</dl></div>\n</div>\n</section>\n"
    }

    /// Each right, how to use it, the supervisory authority, and the time to answer.
    func rights() -> String {
        let c = manifest.controller
        let mail = "<a href=\"mailto:\(attr(c.contact))\">\(esc(c.contact))</a>"
        var h = "<section id=\"rights\" aria-labelledby=\"h-rights\">\n<h2 id=\"h-rights\">\(esc(t.rightsHeading))</h2>\n"
        h += "<p>\(esc(t.rightsIntro)) \(mail)</p>\n<dl>\n"
        for r in t.rights(c.contact) { h += "<dt>\(esc(r.name))</dt><dd>\(linkingContact(r.text, c.contact))</dd>\n" }
        let authority = c.supervisoryAuthority
        h += "<dt>\(esc(t.complainName))</dt><dd>\(esc(t.complain(authority.name))) "
        h += "<a href=\"\(attr(authority.url))\">\(esc(authority.url))</a></dd>\n</dl>\n"
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

    /// Escapes a sentence and turns the contact address in it into a mail link.
    func linkingContact(_ text: String, _ contact: String) -> String {
        guard !contact.isEmpty else { return esc(text) }
        return esc(text).replacingOccurrences(of: esc(contact), with: "<a href=\"mailto:\(attr(contact))\">\(esc(contact))</a>")
    }

    /// The items in first-seen order, each once.
    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    static let encryptedEN = "This bundle is protected with a password (AES-256 encryption, the WinZip format). 7-Zip (Windows, Linux), Keka (macOS) and bsdtar open it; Windows Explorer and macOS Archive Utility cannot. The password was sent to you separately."
    static let encryptedSV = "Paketet är skyddat med lösenord (AES-256-kryptering i WinZip-formatet). 7-Zip (Windows, Linux), Keka (macOS) och bsdtar kan öppna det; Utforskaren i Windows och Arkivverktyget i macOS kan inte. Lösenordet har skickats till dig separat."
}
