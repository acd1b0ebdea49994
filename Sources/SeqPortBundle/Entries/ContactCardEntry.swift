import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortVCard

/// The subject's contact card (`vcard/contact.vcf`, vCard 4.0, `Specs/vcard.md`) as export writes it,
/// when the schema names the categories it is made from (`Schema.card`). It takes no records as the
/// categories stream (those have file paths where the card needs the stored photo): at the end it reads
/// the contact and its e-mail addresses from the store. A contact the card cannot carry (a control
/// character in a name) gets no card, and the manifest's `notes` say why: the data is in every other copy.
final class ContactCardEntryWriter: SharedEntryWriter {
    let path: String
    let mediaType: String
    let context: SharedEntryContext

    init(path: String, mediaType: String, context: SharedEntryContext) {
        self.path = path
        self.mediaType = mediaType
        self.context = context
    }

    func beginCategory(_ category: Category, layout: RecordLayout) throws -> (any RecordWriter)? { nil }

    func partsOfLastCategory() -> [String]? { nil }

    func finish(into zip: ZipWriter) throws -> SharedEntryOutput {
        var notes: [String] = []
        guard let card = try card(notes: &notes) else { return SharedEntryOutput(notes: notes) }
        try zip.addEntry(path, bytes: card)
        return SharedEntryOutput(files: [.init(path: path, bytes: card.count, sha256: sha256Hex(card), mediaType: mediaType)])
    }

    /// The card's bytes; nil (with a note when there is something to say) when the subject gets none.
    func card(notes: inout [String]) throws -> [UInt8]? {
        let schema = context.schema, scope = context.scope
        guard let mapping = schema.card, let contact = schema.category(named: mapping.contact), contact.isExported(scope: scope) else { return nil }
        let contactLayout = contact.layout(scope: scope)
        var contacts: [Record] = []
        try context.records(contact, contactLayout) { contacts.append($0) }
        guard contacts.count == 1 else {
            if contacts.count > 1 { notes.append("\(path) is not written: the subject has \(contacts.count) contact records, a card holds one") }
            return nil
        }
        var emails: [Record] = []
        var emailLayout = RecordLayout(name: "none", fields: [])
        if let name = mapping.emails, let category = schema.category(named: name), category.isExported(scope: scope) {
            emailLayout = category.layout(scope: scope)
            try context.records(category, emailLayout) { emails.append($0) }
        }
        var photo: VCardPhoto?
        if let i = contactLayout.index(of: "photo"), case .text(let id) = contacts[0][i], let stored = try context.file(id) {
            photo = VCardPhoto(mediaType: stored.mediaType, bytes: stored.content)
        }
        let revision = ValueSyntax.timestamp(epochSeconds: Int64(context.generatedAt.timeIntervalSince1970.rounded(.down)))
        do {
            let card = try VCardMapping.contactCard(contact: contacts[0], contactLayout: contactLayout, emails: emails, emailLayout: emailLayout,
                                                    photo: photo, revision: revision)
            return try VCardWriter.bytes(card, version: .v4_0)
        } catch let e as SeqPortError where e.code.rawValue.hasPrefix("vcard.") {
            notes.append("\(path) is not written: \(e.location.field.map { "field \"\($0)\" " } ?? "")\(e.message)")
            return nil
        }
    }
}
