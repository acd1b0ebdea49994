/// How a field that can carry other people's personal data is hidden in exports (GDPR Art. 15(4):
/// a copy must not adversely affect the rights of others), e.g. a staff member's name shown as
/// their role.
///
/// ```json
/// "redact": {"when": {"field": "author_role", "in": ["staff", "system"]},
///            "with": {"field": "author_role"},
///            "reason": "Our staff's names are their own personal data; their role is shown instead."}
/// ```
public struct Redaction: Hashable, Sendable, Codable {
    /// Redact only records whose `field` holds one of `in`; without it, every record.
    public var when: Condition?
    /// What replaces the value: another field's value, a fixed text, or (neither) NULL.
    public var with: Replacement
    /// Why, in words the page shows the subject.
    public var reason: String
    /// The reason in further languages.
    public var translations: Translations

    public struct Condition: Hashable, Sendable, Codable {
        public var field: String
        public var `in`: [String]
        public init(field: String, in values: [String]) { self.field = field; self.in = values }
    }

    public struct Replacement: Hashable, Sendable, Codable {
        public var field: String?
        public var text: String?
        public init(field: String? = nil, text: String? = nil) { self.field = field; self.text = text }
    }

    public init(when: Condition?, with: Replacement, reason: String, translations: Translations = Translations()) {
        self.when = when
        self.with = with
        self.reason = reason
        self.translations = translations
    }
}

/// Applies a layout's redactions to records, with the field positions worked out once.
public struct Redactor: Sendable {
    struct Rule: Sendable {
        let target: Int
        let condition: (index: Int?, values: Set<String>)?
        let source: Int?
        let text: String?
    }

    let rules: [Rule]
    /// The redacted fields, in layout order, with their redactions.
    public let fields: [(name: String, redaction: Redaction)]

    /// nil when no field of the layout is redacted.
    public init?(layout: RecordLayout) {
        var rules: [Rule] = []
        var fields: [(String, Redaction)] = []
        for (i, f) in layout.fields.enumerated() {
            guard let r = f.redaction else { continue }
            // A condition field missing from the layout (left out of this scope) redacts every record: the safe side.
            let condition = r.when.map { (layout.index(of: $0.field), Set($0.in)) }
            rules.append(Rule(target: i, condition: condition, source: r.with.field.flatMap { layout.index(of: $0) }, text: r.with.text))
            fields.append((f.name, r))
        }
        guard !rules.isEmpty else { return nil }
        self.rules = rules
        self.fields = fields
    }

    /// Redacts the record in place; returns how many values were replaced.
    @discardableResult
    public func apply(_ record: inout Record) -> Int {
        var counts = [Int](repeating: 0, count: rules.count)
        apply(&record, counts: &counts)
        return counts.reduce(0, +)
    }

    /// Redacts the record in place, adding to `counts[i]` for each value the i-th redacted field replaced.
    public func apply(_ record: inout Record, counts: inout [Int]) {
        let original = record
        for (n, rule) in rules.enumerated() {
            if let condition = rule.condition {
                if let index = condition.index {
                    guard let value = original[index].text, condition.values.contains(value) else { continue }
                }
            }
            guard !original[rule.target].isNull else { continue }
            record[rule.target] = rule.source.map { original[$0] } ?? rule.text.map(Value.text) ?? .null
            counts[n] += 1
        }
    }
}

extension Redaction: Translatable {
    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] { [("reason", reason)] }

    enum CodingKeys: String, CodingKey { case when, with, reason, translations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(when: try c.decodeIfPresent(Condition.self, forKey: .when), with: try c.decode(Replacement.self, forKey: .with),
                  reason: try c.decode(String.self, forKey: .reason),
                  translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(when, forKey: .when)
        try c.encode(with, forKey: .with)
        try c.encode(reason, forKey: .reason)
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
    }
}
