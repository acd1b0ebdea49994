extension Schema {
    /// Every text shown to people that has no text in one of the schema's further `languages`, as
    /// paths such as `categories.contact.fields.phone.description (sv)`, in document order.
    public func missingTranslations() -> [String] {
        var out: [String] = []
        for language in languages.dropFirst() {
            func check(_ item: some Translatable, _ path: String) {
                for key in item.missing(in: language) { out.append("\(path).\(key) (\(language))") }
            }
            for t in terms.purposes { check(t, "purposes.\(t.id)") }
            for t in terms.legalBases { check(t, "legalBases.\(t.id)") }
            for t in terms.safeguards { check(t, "safeguards.\(t.id)") }
            for r in terms.recipients {
                check(r, "recipients.\(r.id)")
                for (i, t) in r.transfers.enumerated() { check(t, "recipients.\(r.id).transfers[\(i)]") }
            }
            for c in categories {
                check(c, "categories.\(c.name)")
                for f in c.fields where !f.secret {
                    check(f, "categories.\(c.name).fields.\(f.name)")
                    if let r = f.redaction { check(r, "categories.\(c.name).fields.\(f.name).redact") }
                    if let a = f.automated { check(a, "categories.\(c.name).fields.\(f.name).automated") }
                }
            }
        }
        return out
    }

    /// Derived or inferred fields that do not say whether automated decisions are based on them
    /// (`automated`, Art. 15(1)(h)); keys and secret fields are exempt.
    public func fieldsWithoutAutomatedUse() -> [String] {
        categories.flatMap { c in
            c.fields.filter { !$0.origin.isPortable && $0.automated == nil && !$0.secret && $0.name != c.store.key }
                .map { "categories.\(c.name).fields.\($0.name)" }
        }
    }
}
