/// The controller's facts (Art. 13/14/15): who holds the data, where, how it is protected, in which
/// time zone its page shows times, and where to complain. They come from configuration
/// (`Samples/seqport.json`, `Specs/configuration.md`), never from code.
public struct Controller: Hashable, Sendable, Codable, Translatable {
    public var name: String
    public var address: String
    public var country: String
    /// Where to send requests about personal data.
    public var contact: String
    /// Where the data is stored and processed.
    public var storageLocation: String
    /// The controller's lead supervisory authority (Art. 56, Art. 77).
    public var supervisoryAuthority: Authority
    /// The time zone the page shows times in (the files keep UTC); nil means UTC only.
    public var timeZone: ZoneSetting?
    /// How to complain (Art. 77): contact the controller first, the authority where the subject lives.
    public var complaints: Complaints?
    /// How the data is protected (Art. 32), one measure each.
    public var security: [Measure]?
    /// `address` and `storageLocation` in further languages.
    public var translations: Translations?

    public struct Authority: Hashable, Sendable, Codable, Translatable {
        public var name: String
        public var url: String
        /// `name` in further languages.
        public var translations: Translations?
        public init(name: String, url: String, translations: Translations? = nil) {
            self.name = name
            self.url = url
            self.translations = translations
        }
        public var translated: Translations { translations ?? Translations() }
    public var translatableTexts: [(key: String, text: String)] { [("name", name)] }
    }

    /// The complaint route: what the page says before naming the authorities.
    public struct Complaints: Hashable, Sendable, Codable, Translatable {
        /// Why and how to contact the controller first.
        public var contactFirst: String
        /// That the subject may complain to the authority of their country of residence (or work, or
        /// of the infringement), and where to find it.
        public var residence: String
        /// A list of every EU/EEA data protection authority.
        public var authoritiesUrl: String
        public var translations: Translations?
        public init(contactFirst: String, residence: String, authoritiesUrl: String, translations: Translations? = nil) {
            self.contactFirst = contactFirst
            self.residence = residence
            self.authoritiesUrl = authoritiesUrl
            self.translations = translations
        }
        public var translated: Translations { translations ?? Translations() }
    public var translatableTexts: [(key: String, text: String)] { [("contactFirst", contactFirst), ("residence", residence)] }
    }

    /// One security measure in plain words, with its DPV term.
    public struct Measure: Hashable, Sendable, Codable, Translatable {
        public var text: String
        public var dpv: String
        public var translations: Translations?
        public init(text: String, dpv: String, translations: Translations? = nil) {
            self.text = text
            self.dpv = dpv
            self.translations = translations
        }
        public var translated: Translations { translations ?? Translations() }
    public var translatableTexts: [(key: String, text: String)] { [("text", text)] }
    }

    /// An IANA time zone name and its rule as a POSIX TZ string (`CET-1CEST,M3.5.0,M10.5.0/3`), so
    /// that pages are the same on every machine, with or without a time zone database.
    public struct ZoneSetting: Hashable, Sendable, Codable {
        public var name: String
        public var rule: String
        public init(name: String, rule: String) { self.name = name; self.rule = rule }
    }

    public init(name: String, address: String, country: String, contact: String, storageLocation: String, supervisoryAuthority: Authority,
                timeZone: ZoneSetting? = nil, complaints: Complaints? = nil, security: [Measure]? = nil, translations: Translations? = nil) {
        self.name = name
        self.address = address
        self.country = country
        self.contact = contact
        self.storageLocation = storageLocation
        self.supervisoryAuthority = supervisoryAuthority
        self.timeZone = timeZone
        self.complaints = complaints
        self.security = security
        self.translations = translations
    }

    public var translated: Translations { translations ?? Translations() }
    public var translatableTexts: [(key: String, text: String)] { [("address", address), ("storageLocation", storageLocation)] }

    /// Every text without a text in `language`, as paths (`controller.complaints.residence`).
    public func missingTranslations(in language: String) -> [String] {
        var out = missing(in: language).map { "controller.\($0)" }
        out += supervisoryAuthority.missing(in: language).map { "controller.supervisoryAuthority.\($0)" }
        out += (complaints?.missing(in: language) ?? []).map { "controller.complaints.\($0)" }
        for (i, m) in (security ?? []).enumerated() { out += m.missing(in: language).map { "controller.security[\(i)].\($0)" } }
        return out
    }
}
