import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortVCard

extension Importer {
    /// Imports one contact card (`import contact.vcf --subject ID`, `Specs/vcard.md`): the card's contact
    /// record and e-mail addresses, in the categories the schema's `vcard` names. Like any bare partner
    /// file, only what the card gives is compared and corrected; addresses the card does not list are
    /// kept; an address without `X-SEQPORT-ID` is the stored record with the same address (ignoring
    /// case), or else a new record. A photo equal to the stored one is the same photo; another one is a
    /// change of a field no import may correct (refused). `ignoring` names the properties (`NOTE`) and
    /// parameters (`TEL@TYPE`) the caller drops on purpose (`--map`'s `drop`); anything else the contact
    /// cannot carry is `vcard.mapping`.
    public func run(card path: String, subject: String, ignoring: Set<String> = [], options: ImportOptions = ImportOptions(),
                    limits: ReaderLimits = .default) throws -> ImportPlan {
        let schema = store.schema
        guard let mapping = schema.card, let contact = schema.category(named: mapping.contact) else {
            throw SeqPortError(.usage, "the store's schema names no categories for contact cards (its \"vcard\")", at: SourceLocation(entry: path))
        }
        let email = mapping.emails.flatMap { schema.category(named: $0) }
        let contactLayout = contact.layout(scope: .access)
        let emailLayout = email?.layout(scope: .access) ?? RecordLayout(name: "none", fields: [])
        var reader = VCardReader(source: try FileSource(path: path), limits: VCardLimits(limits))
        let card: VCard
        do {
            guard let first = try reader.next() else {
                throw SeqPortError(.vcardMapping, "the file holds no card; a contact is one card", at: SourceLocation(entry: path))
            }
            guard try reader.next() == nil else {
                throw SeqPortError(.vcardMapping, "the file holds more than one card; import one subject's card at a time", at: SourceLocation(entry: path))
            }
            card = first
        } catch let e as SeqPortError { throw e.within(entry: path) }

        var plan = ImportPlan(bundle: path, bundleSHA256: try sha256OfFile(path), subject: subject)
        try store.withSnapshot { snap in
            guard try snap.subjectExists(subject) else {
                throw SeqPortError(.subjectUnknown, "no subject with that id in the store", at: SourceLocation(entry: path))
            }
            // The stored photo, so that the card's copy of it reads as the same file.
            var current: Record?
            try snap.forEachRecord(subject: subject, in: contact, fields: contactLayout.fields) { if current == nil { current = $0 } }
            var photoReference = Value.null
            let photoIndex = contactLayout.index(of: "photo")
            if let photoIndex, let current, case .text(let id) = current[photoIndex] { photoReference = .text(id) }
            var records: VCardContact
            do {
                records = try VCardMapping.records(from: card, contactLayout: contactLayout, emailLayout: emailLayout,
                                                   photoReference: photoReference, ignoring: Set(ignoring.map { $0.uppercased() }),
                                                   partial: true, limits: VCardLimits(limits))
            } catch let e as SeqPortError { throw e.within(entry: path) }
            // The contact: the fields the card gives (and the key it names). The card's photo, when its bytes
            // are the stored file's, is the same photo and not compared; another photo is a change of a
            // field no import may make, refused as such.
            // A card without `UID` (another service's) is the subject's one contact record.
            if let keyIndex = contactLayout.index(of: contact.store.key), records.contact[keyIndex].isNull, let current {
                records.contact[keyIndex] = current[keyIndex]
            }
            var given = contactLayout.fields.indices.map { !records.contact[$0].isNull }
            if let photoIndex {
                let stored: [UInt8]? = try photoReference.text.flatMap { try snap.file(id: $0, subject: subject)?.content }
                if let photo = records.photo, photo.bytes != stored {
                    records.contact[photoIndex] = .text("(a new photo from the card)")
                    given[photoIndex] = true
                } else {
                    given[photoIndex] = false
                }
            }
            plan.sources.append(.init(category: contact.name, entries: [path], reason: "contact card"))
            var contactDiff = CategoryDiff(category: contact, layout: contactLayout, subject: subject, snapshot: snap)
            contactDiff.entry = path
            contactDiff.given = given
            contactDiff.keepsMissing = true
            contactDiff.maxRecords = options.maxEditableRecords
            var contactReader = CopyReader([(path, RecordList([records.contact], layout: contactLayout))])
            if contact.isEditable { try contactDiff.keyed(&contactReader, into: &plan) } else { try contactDiff.ordered(&contactReader, into: &plan) }

            if let email, !records.emails.isEmpty {
                plan.sources.append(.init(category: email.name, entries: [path], reason: "contact card"))
                var emailDiff = CategoryDiff(category: email, layout: emailLayout, subject: subject, snapshot: snap)
                emailDiff.entry = path
                emailDiff.keepsMissing = true
                emailDiff.maxRecords = options.maxEditableRecords
                // A card says nothing of fields it has no property for (an address's verification time).
                emailDiff.given = emailLayout.fields.indices.map { i in records.emails.contains { !$0[i].isNull } || emailLayout.fields[i].name == email.store.key }
                // Addresses without `X-SEQPORT-ID` (a card another service wrote: Google Takeout, a phone) come
                // back with a NULL key: the stored record with the same address, or a new record, whose key
                // the store chooses.
                let keyIndex = emailLayout.index(of: email.store.key)
                let addressIndex = emailLayout.index(of: "address")
                var stored: [String: String] = [:]
                if let keyIndex, let addressIndex, records.emails.contains(where: { $0[keyIndex].isNull }) {
                    try snap.forEachRecord(subject: subject, in: email, fields: emailLayout.fields) { r in
                        if case .text(let address) = r[addressIndex], case .text(let key) = r[keyIndex], stored[address.lowercased()] == nil {
                            stored[address.lowercased()] = key
                        }
                    }
                }
                let emails = records.emails.map { r -> Record in
                    var r = r
                    if let keyIndex, r[keyIndex].isNull {
                        let known = addressIndex.flatMap { r[$0].text }.flatMap { stored[$0.lowercased()] }
                        r[keyIndex] = .text(known ?? "")
                    }
                    return r
                }
                var emailReader = CopyReader([(path, RecordList(emails, layout: emailLayout))])
                if email.isEditable { try emailDiff.keyed(&emailReader, into: &plan) } else { try emailDiff.ordered(&emailReader, into: &plan) }
            }
        }
        if Self.applies(plan, options) { try apply(&plan, scope: .access, options: options) }
        return plan
    }
}

/// Records held in memory, handed out one at a time (a contact card's few records).
struct RecordList: RecordReader {
    var records: [Record]
    let layout: RecordLayout
    private var index = 0

    init(_ records: [Record], layout: RecordLayout) {
        self.records = records
        self.layout = layout
    }

    mutating func next() throws -> Record? {
        guard index < records.count else { return nil }
        index += 1
        return records[index - 1]
    }
}
