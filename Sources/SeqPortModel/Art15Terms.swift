/// The Art. 15 vocabulary of a schema: purposes, legal bases, safeguards and recipients, each defined
/// once with its texts and a DPV term (https://w3id.org/dpv), and named by `id` from categories.
/// See `Specs/schema.md` ("Purposes, legal bases, recipients").
public struct Term: Hashable, Sendable, Codable, Translatable {
    /// `[a-z][a-z0-9_]*`; what categories and recipients refer to.
    public var id: String
    /// The text shown to the subject.
    public var text: String
    /// The DPV term's IRI (`https://w3id.org/dpv#Consent`).
    public var dpv: String
    /// A longer explanation (for legal bases: what it means for the subject), may be empty.
    public var explanation: String
    public var translations: Translations

    public init(id: String, text: String, dpv: String, explanation: String = "", translations: Translations = Translations()) {
        self.id = id
        self.text = text
        self.dpv = dpv
        self.explanation = explanation
        self.translations = translations
    }

    enum CodingKeys: String, CodingKey { case id, text, dpv, explanation, translations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), text: try c.decode(String.self, forKey: .text),
                  dpv: try c.decode(String.self, forKey: .dpv),
                  explanation: try c.decodeIfPresent(String.self, forKey: .explanation) ?? "",
                  translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(text, forKey: .text)
        try c.encode(dpv, forKey: .dpv)
        if !explanation.isEmpty { try c.encode(explanation, forKey: .explanation) }
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
    }

    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] { [("text", text), ("explanation", explanation)] }
}

/// A recipient or category of recipients (Art. 15(1)(c)): on which legal bases it receives data, how
/// consent to it is withdrawn, and its transfers outside the EU/EEA (Art. 15(2)).
public struct Recipient: Hashable, Sendable, Codable, Translatable {
    public var id: String
    public var text: String
    /// The DPV term for the kind of recipient (`https://w3id.org/dpv#ThirdParty`).
    public var dpv: String
    /// Ids of the schema's `legalBases` on which this recipient receives or processes the data.
    public var legalBasis: [String]
    /// How the subject withdraws consent for this recipient; empty when consent is not a basis.
    public var consentWithdrawal: String
    public var transfers: [Transfer]
    public var translations: Translations

    public init(id: String, text: String, dpv: String, legalBasis: [String] = [], consentWithdrawal: String = "",
                transfers: [Transfer] = [], translations: Translations = Translations()) {
        self.id = id
        self.text = text
        self.dpv = dpv
        self.legalBasis = legalBasis
        self.consentWithdrawal = consentWithdrawal
        self.transfers = transfers
        self.translations = translations
    }

    enum CodingKeys: String, CodingKey { case id, text, dpv, legalBasis, consentWithdrawal, transfers, translations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), text: try c.decode(String.self, forKey: .text),
                  dpv: try c.decode(String.self, forKey: .dpv),
                  legalBasis: try c.decodeIfPresent([String].self, forKey: .legalBasis) ?? [],
                  consentWithdrawal: try c.decodeIfPresent(String.self, forKey: .consentWithdrawal) ?? "",
                  transfers: try c.decodeIfPresent([Transfer].self, forKey: .transfers) ?? [],
                  translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(text, forKey: .text)
        try c.encode(dpv, forKey: .dpv)
        try c.encode(legalBasis, forKey: .legalBasis)
        if !consentWithdrawal.isEmpty { try c.encode(consentWithdrawal, forKey: .consentWithdrawal) }
        if !transfers.isEmpty { try c.encode(transfers, forKey: .transfers) }
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
    }

    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] { [("text", text), ("consentWithdrawal", consentWithdrawal)] }
}

/// A transfer of personal data to a country outside the EU/EEA (a third country) and its safeguard
/// (Art. 15(2), Art. 44–49).
public struct Transfer: Hashable, Sendable, Codable, Translatable {
    /// ISO 3166-1 alpha-2 code of the third country (`US`).
    public var country: String
    /// The country's name as the page shows it (`the United States`).
    public var countryName: String
    /// Id of one of the schema's `safeguards`.
    public var safeguard: String
    /// What is transferred and why, in plain words; may be empty.
    public var details: String
    /// Where the subject can obtain a copy of the safeguard (Art. 46, Art. 13(1)(f)).
    public var copy: String
    public var translations: Translations

    public init(country: String, countryName: String, safeguard: String, details: String = "", copy: String,
                translations: Translations = Translations()) {
        self.country = country
        self.countryName = countryName
        self.safeguard = safeguard
        self.details = details
        self.copy = copy
        self.translations = translations
    }

    enum CodingKeys: String, CodingKey { case country, countryName, safeguard, details, copy, translations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(country: try c.decode(String.self, forKey: .country), countryName: try c.decode(String.self, forKey: .countryName),
                  safeguard: try c.decode(String.self, forKey: .safeguard),
                  details: try c.decodeIfPresent(String.self, forKey: .details) ?? "",
                  copy: try c.decode(String.self, forKey: .copy),
                  translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(country, forKey: .country)
        try c.encode(countryName, forKey: .countryName)
        try c.encode(safeguard, forKey: .safeguard)
        if !details.isEmpty { try c.encode(details, forKey: .details) }
        try c.encode(copy, forKey: .copy)
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
    }

    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] { [("countryName", countryName), ("details", details), ("copy", copy)] }
}

/// Whether a derived or inferred field feeds automated decisions (Art. 15(1)(h), Art. 22), and if so
/// the logic involved and the significance and envisaged consequences, in plain words.
public struct AutomatedUse: Hashable, Sendable, Codable, Translatable {
    /// Whether decisions about the subject are taken on it by automated means.
    public var decisions: Bool
    /// Whether computing it is profiling (Art. 4(4)): evaluating personal aspects by automated means.
    public var profiling: Bool
    public var logic: String
    public var significance: String
    public var consequences: String
    /// DPV terms of the processing (`https://w3id.org/dpv#AutomatedDecisionMaking`, …).
    public var dpv: [String]
    public var translations: Translations

    public init(decisions: Bool, profiling: Bool = false, logic: String = "", significance: String = "", consequences: String = "",
                dpv: [String] = [], translations: Translations = Translations()) {
        self.decisions = decisions
        self.profiling = profiling
        self.logic = logic
        self.significance = significance
        self.consequences = consequences
        self.dpv = dpv
        self.translations = translations
    }

    enum CodingKeys: String, CodingKey { case decisions, profiling, logic, significance, consequences, dpv, translations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(decisions: try c.decode(Bool.self, forKey: .decisions),
                  profiling: try c.decodeIfPresent(Bool.self, forKey: .profiling) ?? false,
                  logic: try c.decodeIfPresent(String.self, forKey: .logic) ?? "",
                  significance: try c.decodeIfPresent(String.self, forKey: .significance) ?? "",
                  consequences: try c.decodeIfPresent(String.self, forKey: .consequences) ?? "",
                  dpv: try c.decodeIfPresent([String].self, forKey: .dpv) ?? [],
                  translations: try c.decodeIfPresent(Translations.self, forKey: .translations) ?? Translations())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decisions, forKey: .decisions)
        try c.encode(profiling, forKey: .profiling)
        try c.encode(logic, forKey: .logic)
        try c.encode(significance, forKey: .significance)
        try c.encode(consequences, forKey: .consequences)
        try c.encode(dpv, forKey: .dpv)
        if !translations.isEmpty { try c.encode(translations, forKey: .translations) }
    }

    public var translated: Translations { translations }
    public var translatableTexts: [(key: String, text: String)] {
        [("logic", logic), ("significance", significance), ("consequences", consequences)]
    }
}

/// The schema's purposes, legal bases, safeguards and recipients (`Specs/schema.md`).
public struct Art15Vocabulary: Hashable, Sendable {
    public var purposes: [Term]
    public var legalBases: [Term]
    public var safeguards: [Term]
    public var recipients: [Recipient]

    public init(purposes: [Term] = [], legalBases: [Term] = [], safeguards: [Term] = [], recipients: [Recipient] = []) {
        self.purposes = purposes
        self.legalBases = legalBases
        self.safeguards = safeguards
        self.recipients = recipients
    }

    public func purpose(_ id: String) -> Term? { purposes.first { $0.id == id } }
    public func legalBasis(_ id: String) -> Term? { legalBases.first { $0.id == id } }
    public func safeguard(_ id: String) -> Term? { safeguards.first { $0.id == id } }
    public func recipient(_ id: String) -> Recipient? { recipients.first { $0.id == id } }

    func validate() throws {
        func fail(_ message: String) -> SeqPortError { SeqPortError(.schemaInvalid, message) }
        let lists: [(String, [String])] = [("purpose", purposes.map(\.id)), ("legal basis", legalBases.map(\.id)),
                                           ("safeguard", safeguards.map(\.id)), ("recipient", recipients.map(\.id))]
        for (kind, ids) in lists {
            var seen = Set<String>()
            for id in ids {
                guard Schema.isName(id) else { throw fail("\(kind) \"\(id)\": id must match [a-z][a-z0-9_]*") }
                guard seen.insert(id).inserted else { throw fail("\(kind) \"\(id)\" is declared twice") }
            }
        }
        for r in recipients {
            if let unknown = r.legalBasis.first(where: { legalBasis($0) == nil }) {
                throw fail("recipient \"\(r.id)\": legal basis \"\(unknown)\" is not defined in the schema")
            }
            for t in r.transfers {
                guard t.country.utf8.count == 2, t.country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
                    throw fail("recipient \"\(r.id)\": transfer country must be two capital letters (ISO 3166)")
                }
                guard safeguard(t.safeguard) != nil else {
                    throw fail("recipient \"\(r.id)\": safeguard \"\(t.safeguard)\" is not defined in the schema")
                }
            }
        }
    }
}
