import SeqPortModel

// The Art. 15 facts of `manifest.json` as data (`Specs/bundle.md`, "Art. 15 facts"): texts in the
// bundle's language, every purpose, legal basis, data category, recipient, transfer and safeguard
// with its DPV term IRI (`Specs/dpv-terms.txt`).

extension Manifest {
    /// The DPV term of a transfer of personal data to a third country.
    public static let transferTerm = "https://w3id.org/dpv#CrossBorderTransfer"
    /// The DPV term of the third country a transfer goes to.
    public static let thirdCountryTerm = "https://w3id.org/dpv#ThirdCountry"

    public struct Art15Facts: Codable, Hashable, Sendable {
        /// The vocabulary the `dpv` IRIs come from.
        public var vocabulary: String
        public var purposes: [TermEntry]
        public var legalBases: [TermEntry]
        public var recipients: [RecipientEntry]
        /// Every derived or inferred field of the schema that says whether automated decisions are
        /// based on it — also those a portability bundle leaves out, so that the page stays true.
        public var automatedDecisions: [AutomatedEntry]?
    }

    public struct AutomatedEntry: Codable, Hashable, Sendable {
        public var category: String
        public var categoryTitle: String
        public var note: AutomatedNote
    }

    public struct TermEntry: Codable, Hashable, Sendable {
        public var id: String
        public var text: String
        public var dpv: String
    }

    public struct RecipientEntry: Codable, Hashable, Sendable {
        public var id: String
        public var text: String
        public var dpv: String
        /// The ids of `legalBases` on which it receives the data.
        public var legalBasis: [String]
        public var consentWithdrawal: String?
        public var transfers: [TransferEntry]
    }

    public struct TransferEntry: Codable, Hashable, Sendable {
        /// ISO 3166-1 alpha-2.
        public var country: String
        public var countryName: String
        public var details: String?
        public var safeguard: TermEntry
        /// Where a copy of the safeguard can be obtained.
        public var copy: String
        /// `transferTerm` and `thirdCountryTerm`.
        public var dpv: [String]
    }

    public struct CategoryTerms: Codable, Hashable, Sendable {
        public var personalData: [String]
        public var purposes: [String]
        public var legalBases: [String]
        public var recipients: [String]
    }

    public struct AutomatedNote: Codable, Hashable, Sendable {
        public var field: String
        public var decisions: Bool
        public var profiling: Bool
        public var logic: String
        public var significance: String
        public var consequences: String
        public var dpv: [String]
    }
}

extension Manifest.AutomatedNote {
    public init(field: Field, _ a: AutomatedUse, language: String) {
        self.init(field: field.name, decisions: a.decisions, profiling: a.profiling, logic: a.text("logic", in: language),
                  significance: a.text("significance", in: language), consequences: a.text("consequences", in: language), dpv: a.dpv)
    }
}

extension Manifest.Art15Facts {
    /// The purposes, legal bases and recipients the exported categories name (each once, in the
    /// schema's order), and every field of the schema with automated decisions, in `language`.
    public init(schema: Schema, categories: [Category], language: String) {
        let v = schema.terms
        func used(_ ids: [String], _ all: [String]) -> [String] { all.filter(Set(ids).contains) }
        func entry(_ t: Term) -> Manifest.TermEntry { .init(id: t.id, text: t.text("text", in: language), dpv: t.dpv) }
        let recipientIds = used(categories.flatMap(\.recipients), v.recipients.map(\.id))
        let recipients = recipientIds.compactMap(v.recipient)
        let basisIds = used(categories.flatMap(\.legalBasis) + recipients.flatMap(\.legalBasis), v.legalBases.map(\.id))
        self.init(
            vocabulary: "https://w3id.org/dpv",
            purposes: used(categories.flatMap(\.purposes), v.purposes.map(\.id)).compactMap(v.purpose).map(entry),
            legalBases: basisIds.compactMap(v.legalBasis).map(entry),
            recipients: recipients.map { r in
                let withdrawal = r.text("consentWithdrawal", in: language)
                return Manifest.RecipientEntry(
                    id: r.id, text: r.text("text", in: language), dpv: r.dpv, legalBasis: r.legalBasis,
                    consentWithdrawal: withdrawal.isEmpty ? nil : withdrawal,
                    transfers: r.transfers.map { t in
                        let details = t.text("details", in: language)
                        return Manifest.TransferEntry(
                            country: t.country, countryName: t.text("countryName", in: language), details: details.isEmpty ? nil : details,
                            safeguard: v.safeguard(t.safeguard).map(entry) ?? .init(id: t.safeguard, text: t.safeguard, dpv: ""),
                            copy: t.text("copy", in: language), dpv: [Manifest.transferTerm, Manifest.thirdCountryTerm])
                    })
            })
        let automated = schema.categories.flatMap { c in
            c.fields.compactMap { f in
                f.automated.map { Manifest.AutomatedEntry(category: c.name, categoryTitle: c.text("title", in: language),
                                                          note: Manifest.AutomatedNote(field: f, $0, language: language)) }
            }
        }
        automatedDecisions = automated.isEmpty ? nil : automated
    }
}

extension Manifest.CategoryEntry {
    /// A category's entry with its texts in `language`; `records`, `attachments` and `redactions`
    /// counts come from the export.
    public init(category: Category, layout: RecordLayout, schema: Schema, language: String, records: Int, attachments: [String],
         redactions: [Manifest.RedactionNote]?) {
        let v = schema.terms
        self.init(
            name: category.name, title: category.text("title", in: language), description: category.text("description", in: language),
            records: records,
            files: Dictionary(uniqueKeysWithValues: BundleFormat.allCases.map { ($0.rawValue, BundleLayout.data(category.name, $0)) }),
            fingerprints: category.isEditable ? BundleLayout.fingerprints(category.name) : nil,
            attachments: attachments,
            purposes: category.purposes.map { v.purpose($0)?.text("text", in: language) ?? $0 },
            legalBasis: category.legalBasis.map { v.legalBasis($0)?.text("text", in: language) ?? $0 },
            recipients: category.recipients.map { v.recipient($0)?.text("text", in: language) ?? $0 },
            retention: category.text("retention", in: language), source: category.text("source", in: language),
            rectifiable: layout.fields.filter(\.rectifiable).map(\.name),
            allowInsert: category.allowInsert, allowDelete: category.allowDelete,
            redactions: redactions,
            terms: Manifest.CategoryTerms(personalData: category.personalData, purposes: category.purposes,
                                          legalBases: category.legalBasis, recipients: category.recipients))
        let notes = layout.fields.compactMap { f in f.automated.map { Manifest.AutomatedNote(field: f, $0, language: language) } }
        automated = notes.isEmpty ? nil : notes
    }
}
