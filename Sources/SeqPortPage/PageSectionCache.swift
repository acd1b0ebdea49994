/// The page's sections that are the same for every subject of one exporter, scope and language — the
/// Art. 15 facts with transfers and automated decisions, the rights, how to correct — rendered once and
/// copied into each page. They depend only on the schema, the configuration (controller), the scope and
/// the language, which an exporter's bundles share: a batch renders them once per job, not per subject
/// (they were about a third of the page's cost). Subject data never goes into them: the previews, counts,
/// times and file list are rendered for each page.
///
/// Use one cache per exporter (its schema and configuration fixed), from one thread at a time.
public final class PageSectionCache {
    private var sections: [Key: HTML] = [:]

    struct Key: Hashable {
        var section: String
        var scope: String
        var language: String
    }

    public init() {}

    /// The section rendered by `render`, once per key.
    func section(_ key: Key, render: (inout HTML) -> Void) -> HTML {
        if let cached = sections[key] { return cached }
        var h = HTML(capacity: 16 << 10)
        render(&h)
        sections[key] = h
        return h
    }

    /// Sections rendered so far (tests).
    var count: Int { sections.count }
}
