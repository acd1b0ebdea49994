import SeqPortModel

/// The words of `index.html`, one value per language (`PageText+English.swift`, `PageText+Swedish.swift`).
///
/// Texts that come from the schema (category titles, purposes, recipients) are shown as the schema
/// writes them; everything the page itself says is here.
struct PageText: Sendable {
    // Header and contents.
    var title: @Sendable (String) -> String
    var intro: @Sendable (_ subject: String, _ generatedAt: String, _ scope: Scope) -> String
    var subjectLabel, generatedLabel, scopeLabel, keptUntilLabel: String
    var scopeName: @Sendable (Scope) -> String
    var contents: String
    /// How times and invisible characters are shown.
    var timesNote: @Sendable (_ zone: String) -> String
    var timesUTCNote, controlsNote: String

    // The Art. 15 overview.
    var aboutHeading: String
    var aboutIntro: @Sendable (_ controller: String, _ address: String, _ storage: String) -> String
    var purposesHeading, legalBasisHeading, legalBasisNote, recipientsHeading, recipientsNote: String
    var retentionHeading, retentionNote, sourcesHeading, originHeading: String
    var origin: @Sendable (Origin) -> String
    var originName: @Sendable (Origin) -> String
    var securityHeading, recipientBasis: String
    var recipientTransfers: @Sendable (_ countries: [String]) -> String

    // Transfers outside the EU/EEA (Art. 15(2)) and automated decisions (Art. 15(1)(h)).
    var transfersHeading, transfersIntro, noTransfers, transferCountry, transferWhat, transferSafeguard, transferCopy: String
    var automatedHeading, automatedIntro, noAutomated, decisionsLabel, profilingText, logicLabel, significanceLabel, consequencesLabel: String
    var automatedFact: String
    var automatedFactText: @Sendable (_ decisions: Bool) -> String

    // One category.
    var summary: @Sendable (_ count: Int, _ earliest: String?, _ latest: String?) -> String
    var purposes, legalBasis, recipients, retention, source, correctable, addRemove, none: String
    var addRemoveText: @Sendable (_ insert: Bool, _ delete: Bool) -> String
    var fullData: String
    var formatLink: @Sendable (_ format: String, _ category: String) -> String
    var empty: String
    var showingFirst: @Sendable (_ shown: Int, _ total: Int) -> String
    var filterLabel: String
    var fieldsHeading, fieldCol, meaningCol, originCol, correctableCol, yes, no: String
    var nullText, emptyText, photoAlt: @Sendable (String) -> String
    var shortened: @Sendable (_ shown: Int, _ total: Int, _ file: String) -> String
    var openFile: @Sendable (String) -> String

    // Rights, correction, files.
    var rightsHeading, rightsIntro: String
    var rights: @Sendable (_ contact: String) -> [(name: String, text: String)]
    var complainName: String
    var complain: @Sendable (_ authority: String) -> String
    var leadAuthority: @Sendable (_ controller: String) -> String
    var answerTime: String
    var correctionHeading: String
    var correctionSteps: @Sendable (_ contact: String) -> [String]
    var correctableListIntro: String
    var filesHeading, filesIntro: String
    var fileKinds: [(path: String, text: String)]
    var signatureKind: String
    var checksumHeading, checksumIntro, checksumManifest: String
    var checksumCommands: @Sendable (_ examplePath: String) -> String
    var fileCol, bytesCol: String
    var expiry: @Sendable (String) -> String
    /// Said under the files when the bundle is encrypted (`export --encrypt`).
    var encryptedNote: String
    /// Art. 15(4): a category's values hidden to protect other people.
    var hiddenLabel: String
    var hiddenCount: @Sendable (_ values: Int) -> String

    static func `for`(_ language: String) -> PageText { language == "sv" ? sv : en }

    /// A count with its thousands grouped: `grouped(1000000, ",")` is `1,000,000`. No locale is
    /// consulted, so the page is the same on every machine.
    static func grouped(_ n: Int, _ separator: String) -> String {
        let digits = Array(String(n.magnitude))
        var out = n < 0 ? "-" : ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
            out.append(d)
        }
        return out
    }
}
