/// Texts of a schema or configuration object in further languages: language code → key → text.
///
/// An object's own keys (`title`, `description`, …) are in the document's first language; its
/// `translations` give the same keys in the others:
///
/// ```json
/// {"title": "Contact information", "translations": {"sv": {"title": "Kontaktuppgifter"}}}
/// ```
public struct Translations: Hashable, Sendable, Codable {
    public var byLanguage: [String: [String: String]]

    public init(_ byLanguage: [String: [String: String]] = [:]) { self.byLanguage = byLanguage }

    public init(from decoder: any Decoder) throws {
        byLanguage = try decoder.singleValueContainer().decode([String: [String: String]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(byLanguage)
    }

    public var isEmpty: Bool { byLanguage.isEmpty }

    /// The text of `key` in `language`, or `base` (the first language's text) when there is none.
    public func text(_ key: String, _ base: String, in language: String) -> String {
        guard !base.isEmpty, let t = byLanguage[language]?[key], !t.isEmpty else { return base }
        return t
    }

    /// Whether `key` has a text in `language` (an empty base text needs none).
    public func has(_ key: String, _ base: String, in language: String) -> Bool {
        base.isEmpty || !(byLanguage[language]?[key] ?? "").isEmpty
    }
}

/// Something with texts in several languages that `Schema.missingTranslations` can check.
public protocol Translatable {
    /// The keys of the texts shown to people, with the first language's text.
    var translatableTexts: [(key: String, text: String)] { get }
    /// The texts in further languages (`translations`, empty when absent).
    var translated: Translations { get }
}

extension Translatable {
    /// The text of `key` in `language`, falling back to the first language's text.
    public func text(_ key: String, in language: String) -> String {
        let base = translatableTexts.first { $0.key == key }?.text ?? ""
        return translated.text(key, base, in: language)
    }

    /// The keys without a text in `language`.
    public func missing(in language: String) -> [String] {
        translatableTexts.filter { !translated.has($0.key, $0.text, in: language) }.map(\.key)
    }
}
