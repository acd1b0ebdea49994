import SeqPortModel

/// A photo carried by a card: its media type (`image/jpeg`) and bytes.
public struct VCardPhoto: Hashable, Sendable {
    public var mediaType: String
    public var bytes: [UInt8]
    public init(mediaType: String, bytes: [UInt8]) {
        self.mediaType = mediaType
        self.bytes = bytes
    }
}

/// The contact category's records read from a card.
public struct VCardContact: Hashable, Sendable {
    /// The contact record, in the contact layout's field order.
    public var contact: Record
    /// One record per `EMAIL`, in the card's order, in the e-mail layout's field order.
    public var emails: [Record]
    /// The card's photo, if it has one; the contact record's photo field holds `photoReference`.
    public var photo: VCardPhoto?
}

/// The mapping between the contact category (with its e-mail addresses and photo) and one vCard
/// (`Specs/vcard.md`, "Mapping"). Pure functions: no I/O.
///
/// | field | property |
/// |---|---|
/// | contact `id` | `UID` |
/// | `full_name` | `FN` (exactly) |
/// | `phone` | `TEL` (exactly, as text) |
/// | `photo` | `PHOTO` (a `data:` URI of the file's bytes) |
/// | `preferred_language` | `LANG` |
/// | any other contact field | `X-SEQPORT-<NAME>` (`created_at` → `X-SEQPORT-CREATED-AT`) |
/// | e-mail `address` | `EMAIL` value |
/// | `label` | `TYPE`: work → `work`, personal → `home`, billing → `x-billing`, other → none |
/// | `is_primary` | `PREF=1` when true |
/// | any other e-mail field | parameter `X-SEQPORT-<NAME>` (`id`, `verified_at`) |
public enum VCardMapping {
    /// The property or parameter name that carries a field the table above does not name.
    public static func extensionName(_ field: String) -> String {
        "X-SEQPORT-" + field.uppercased().replacingOccurrences("_", "-")
    }

    /// The field an `X-SEQPORT-…` name carries, or nil.
    public static func fieldName(extension name: String) -> String? {
        let upper = name.uppercased()
        guard upper.hasPrefix("X-SEQPORT-"), upper.count > 10 else { return nil }
        return upper.dropFirst(10).lowercased().replacingOccurrences("-", "_")
    }

    /// The contact fields with a property of their own (never an `X-SEQPORT-…` one).
    static let mappedContactFields: Set<String> = ["id", "full_name", "phone", "photo", "preferred_language"]

    static let emailLabels: [(label: String, type: String?)] = [("work", "work"), ("personal", "home"), ("billing", "x-billing"), ("other", nil)]

    /// The card of one contact: `FN`, an empty `N` (3.0 requires one; seqport holds no structured name),
    /// `UID`, `TEL`, `EMAIL`s, `LANG`, `PHOTO`, `X-SEQPORT-…`, then `REV` when given.
    ///
    /// - Parameters:
    ///   - photo: the bytes of the contact's photo file; required when the record's photo field is not NULL.
    ///   - revision: a canonical timestamp written as `REV` (the bundle's generation time), or nil.
    /// - Throws: `vcard.unrepresentable` naming the field when a value has a control character other
    ///   than a line feed or tab, or a required value (`full_name`, an address, its label) is NULL.
    public static func contactCard(
        contact: Record, contactLayout: RecordLayout, emails: [Record], emailLayout: RecordLayout,
        photo: VCardPhoto?, revision: String? = nil
    ) throws -> VCard {
        var properties: [VCardProperty] = []
        func value(_ record: Record, _ layout: RecordLayout, _ name: String) -> Value {
            layout.index(of: name).map { record.values[$0] } ?? .null
        }
        func check(_ text: String, _ field: String) throws -> String {
            if text.unicodeScalars.contains(where: { VCardText.isForbidden($0.value) && $0 != "\n" }) {
                throw SeqPortError(.vcardUnrepresentable, "a control character vCard text cannot carry", at: SourceLocation(field: field))
            }
            return text
        }
        guard case .text(let fullName) = value(contact, contactLayout, "full_name") else {
            throw SeqPortError(.vcardUnrepresentable, "FN is required: the full name must not be NULL", at: SourceLocation(field: "full_name"))
        }
        properties.append(.text("FN", try check(fullName, "full_name")))
        properties.append(.structured("N", [[""], [""], [""], [""], [""]]))
        if case .text(let id) = value(contact, contactLayout, "id") { properties.append(.text("UID", try check(id, "id"))) }
        if case .text(let phone) = value(contact, contactLayout, "phone") { properties.append(.text("TEL", try check(phone, "phone"))) }
        for email in emails {
            guard case .text(let address) = value(email, emailLayout, "address") else {
                throw SeqPortError(.vcardUnrepresentable, "an e-mail address must not be NULL", at: SourceLocation(field: "address"))
            }
            var parameters: [VCardParameter] = []
            if emailLayout.index(of: "label") != nil {
                guard case .text(let label) = value(email, emailLayout, "label"), let row = emailLabels.first(where: { $0.label == label }) else {
                    throw SeqPortError(.vcardUnrepresentable, "the label must be work, personal, billing or other", at: SourceLocation(field: "label"))
                }
                if let type = row.type { parameters.append(VCardParameter("TYPE", type)) }
            }
            if emailLayout.index(of: "is_primary") != nil {
                switch value(email, emailLayout, "is_primary") {
                case .text("true"): parameters.append(VCardParameter("PREF", "1"))
                case .text("false"): break
                default: throw SeqPortError(.vcardUnrepresentable, "is_primary must be true or false", at: SourceLocation(field: "is_primary"))
                }
            }
            for (k, field) in emailLayout.fields.enumerated() where !["address", "label", "is_primary"].contains(field.name) {
                if case .text(let text) = email.values[k] {
                    parameters.append(VCardParameter(extensionName(field.name), try check(text, field.name)))
                }
            }
            properties.append(.text("EMAIL", try check(address, "address"), parameters: parameters))
        }
        if case .text(let language) = value(contact, contactLayout, "preferred_language") {
            properties.append(.text("LANG", try check(language, "preferred_language")))
        }
        if let photo {
            properties.append(VCardProperty(name: "PHOTO", value: DataURI.encode(mediaType: photo.mediaType, bytes: photo.bytes)))
        } else if !value(contact, contactLayout, "photo").isNull {
            throw SeqPortError(.vcardUnrepresentable, "the photo's bytes were not given", at: SourceLocation(field: "photo"))
        }
        for (k, field) in contactLayout.fields.enumerated() where !mappedContactFields.contains(field.name) {
            if case .text(let text) = contact.values[k] {
                properties.append(.text(extensionName(field.name), try check(text, field.name)))
            }
        }
        if let revision {
            guard let basic = basicTimestamp(revision) else {
                throw SeqPortError(.vcardUnrepresentable, "REV must be a canonical timestamp", at: SourceLocation(field: "REV"))
            }
            properties.append(VCardProperty(name: "REV", value: basic))
        }
        return VCard(version: .v4_0, properties: properties)
    }

    /// `2024-05-01T10:00:00Z` as vCard's basic form `20240501T100000Z` (a fraction is dropped).
    static func basicTimestamp(_ t: String) -> String? {
        guard let c = ValueSyntax.canonicalTimestamp(t) else { return nil }
        let u = Array(c.utf8)
        let digits = u[0..<19].filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }
        return String(decoding: digits, as: UTF8.self) + "Z"
    }

    /// The contact record and e-mail records a card holds, checked by the layouts' fields.
    ///
    /// Every property must be carried: `FN`, `UID`, one `TEL`, `EMAIL`s, one `LANG`, one `PHOTO`,
    /// `X-SEQPORT-…` naming a field; `N` only when all its components are empty; `PRODID` and `REV`
    /// (facts about the file) are skipped. Anything else — an `ADR`, a `NOTE`, a second `TEL`, an
    /// `EMAIL;TYPE=x-school` — is refused with `vcard.mapping` naming it, unless its name is in
    /// `ignoring` (the caller's explicit choice to drop it); a parameter is dropped the same way as
    /// `NAME@PARAMETER` (`TEL@TYPE`: a phone's `TYPE=CELL`). Groups are not carried.
    ///
    /// - Parameters:
    ///   - photoReference: the contact's photo field when the card has a `PHOTO` (the store's file
    ///     reference, when the caller found the bytes unchanged); NULL when the card has none.
    ///   - ignoring: property names (upper case) to skip, and `NAME@PARAMETER` for parameters to skip.
    ///   - newRecordKey: the e-mail field left NULL when the card does not give it (`X-SEQPORT-ID`):
    ///     an address added in the card is a new record, with no key yet.
    ///   - partial: a card that gives only some fields (one another service wrote, without `UID` or
    ///     `X-SEQPORT-…`): a field the card does not give stays NULL, unchecked, for the caller to leave
    ///     as stored; the fields it gives are checked as always.
    /// - Throws: `vcard.mapping`; the `value.*` errors of `Field.canonicalize` naming the field.
    public static func records(
        from card: VCard, contactLayout: RecordLayout, emailLayout: RecordLayout,
        photoReference: Value = .null, ignoring: Set<String> = [], newRecordKey: String = "id", partial: Bool = false,
        limits: VCardLimits = .default
    ) throws -> VCardContact {
        var contact = [Value](repeating: .null, count: contactLayout.fields.count)
        var seen = Set<String>()
        var emails: [Record] = []
        var photo: VCardPhoto?
        func fail(_ property: VCardProperty, _ message: String) -> SeqPortError {
            SeqPortError(.vcardMapping, message, at: SourceLocation(field: property.name))
        }
        func set(_ field: String, _ text: String, _ property: VCardProperty) throws {
            guard let k = contactLayout.index(of: field) else { throw fail(property, "the contact layout has no field \(field)") }
            guard seen.insert(field).inserted else { throw fail(property, "given twice: the contact has one \(field)") }
            contact[k] = .text(text)
        }
        func onlyParameters(_ p: VCardProperty, _ allowed: Set<String>) throws {
            if let extra = p.parameters.first(where: { !allowed.contains($0.name) }) {
                throw fail(p, "parameter \(extra.name) is not carried by the contact category")
            }
        }
        for var p in card.properties where !ignoring.contains(p.name) {
            if !ignoring.isEmpty { p.parameters.removeAll { ignoring.contains("\(p.name)@\($0.name)") } }
            switch p.name {
            case "FN":
                try onlyParameters(p, [])
                try set("full_name", p.text, p)
            case "UID":
                try onlyParameters(p, ["VALUE"])
                try set("id", p.text, p)
            case "TEL":
                try onlyParameters(p, ["VALUE"])
                var text = p.text
                if text.lowercased().hasPrefix("tel:") { text = String(text.dropFirst(4)) }
                try set("phone", text, p)
            case "LANG":
                try onlyParameters(p, ["PREF", "VALUE"])
                try set("preferred_language", p.text, p)
            case "PHOTO":
                guard let (mediaType, bytes) = try p.binary(limits: limits) else { throw fail(p, "a photo by reference (not inline) is not carried") }
                guard photo == nil else { throw fail(p, "given twice: the contact has one photo") }
                photo = VCardPhoto(mediaType: mediaType ?? "application/octet-stream", bytes: bytes)
                if let k = contactLayout.index(of: "photo") { contact[k] = photoReference }
            case "N":
                guard p.components.allSatisfy({ $0.allSatisfy(\.isEmpty) }) else {
                    throw fail(p, "a structured name is not carried (seqport holds the full name, FN)")
                }
            case "PRODID", "REV":
                continue
            case "EMAIL":
                emails.append(try emailRecord(p, emailLayout, newRecordKey: newRecordKey, partial: partial))
            default:
                guard let field = fieldName(extension: p.name), !mappedContactFields.contains(field) else {
                    throw fail(p, "property is not carried by the contact category")
                }
                try onlyParameters(p, [])
                try set(field, p.text, p)
            }
        }
        for (k, field) in contactLayout.fields.enumerated() where contactLayout.isTyped && !(partial && contact[k].isNull) {
            contact[k] = try field.canonicalize(contact[k])
        }
        return VCardContact(contact: Record(contact), emails: emails, photo: photo)
    }

    private static func emailRecord(_ p: VCardProperty, _ layout: RecordLayout, newRecordKey: String, partial: Bool) throws -> Record {
        func fail(_ message: String) -> SeqPortError { SeqPortError(.vcardMapping, message, at: SourceLocation(field: p.name)) }
        var values = [Value](repeating: .null, count: layout.fields.count)
        func set(_ field: String, _ text: String) throws {
            guard let k = layout.index(of: field) else { throw fail("the e-mail layout has no field \(field)") }
            guard values[k].isNull else { throw fail("parameter for \(field) given twice") }
            values[k] = .text(text)
        }
        try set("address", p.text)
        var labels: [String] = []
        var primary = false
        for type in p.types {
            switch type {
            case "internet": continue
            case "pref": primary = true
            default:
                guard let row = emailLabels.first(where: { $0.type == type }) else { throw fail("TYPE \(type) has no e-mail label") }
                labels.append(row.label)
            }
        }
        guard labels.count <= 1 else { throw fail("more than one TYPE label: an address has one label") }
        if let pref = p.parameter("PREF") {
            guard pref.count == 1, let n = Int(pref[0]), (1...100).contains(n) else { throw fail("PREF is not a number from 1 to 100") }
            guard n == 1 else { throw fail("PREF other than 1 is not carried (is_primary is PREF=1)") }
            primary = true
        }
        if layout.index(of: "label") != nil { try set("label", labels.first ?? "other") }
        if layout.index(of: "is_primary") != nil { try set("is_primary", primary ? "true" : "false") }
        for parameter in p.parameters where !["TYPE", "PREF"].contains(parameter.name) {
            guard let field = fieldName(extension: parameter.name), !["address", "label", "is_primary"].contains(field) else {
                throw fail("parameter \(parameter.name) is not carried by the e-mail addresses")
            }
            guard parameter.values.count == 1 else { throw fail("parameter \(parameter.name) has more than one value") }
            try set(field, parameter.values[0])
        }
        if layout.isTyped {
            for (k, field) in layout.fields.enumerated() where !((field.name == newRecordKey || partial) && values[k].isNull) {
                values[k] = try field.canonicalize(values[k])
            }
        }
        return Record(values)
    }
}
