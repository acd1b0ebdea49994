import SeqPortModel
import SeqPortVCard

/// libFuzzer entry point for the vCard reader and its two mappings (`Fuzz/run.sh`): every card read is
/// turned into a flat record (`VCardTable`, untyped `convert`) and, in typed mode, into the contact and
/// e-mail records (`VCardMapping`, `import contact.vcf`, whole and partial, dropping `NOTE` and
/// `TEL@TYPE`), whose photo is decoded within the limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func vcardFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (typed, chunk, body) = FuzzSupport.mode(data, size)
    var limits = VCardLimits(FuzzSupport.limits)
    limits.maxBinaryBytes = 4096
    var reader = VCardReader(source: MemorySource(body, chunk: chunk), limits: limits)
    do {
        while let card = try reader.next() {
            let fields = VCardTable.fields(of: card)
            precondition(Set(fields.map(\.name)).count == fields.count, "two fields of one card share a name")
            if typed {
                // As an exported card is read back, and as another service's card is imported (partial).
                for partial in [false, true] {
                    do {
                        let records = try VCardMapping.records(from: card, contactLayout: contactLayout, emailLayout: emailLayout,
                                                               ignoring: ["NOTE", "TEL@TYPE"], partial: partial, limits: limits)
                        precondition(records.contact.values.count == contactLayout.fields.count, "contact width differs from the layout")
                        precondition((records.photo?.bytes.count ?? 0) <= limits.maxBinaryBytes, "a photo over the limit was decoded")
                    } catch let e as SeqPortError {
                        precondition(!e.description.contains("\n") && !e.description.contains("\r"), "error message spans lines")
                    }
                }
            }
        }
    } catch let e as SeqPortError {
        precondition(!e.description.contains("\n") && !e.description.contains("\r"), "error message spans lines: \(String(reflecting: e.description))")
    } catch {
        preconditionFailure("the vCard reader threw a non-seqport error: \(error)")
    }
    return 0
}

/// The sample schema's contact and e-mail categories, as `import contact.vcf` reads them.
private let contactLayout = RecordLayout(name: "contact", fields: [
    Field(name: "id", type: .string, nullable: false, maxLength: 64),
    Field(name: "full_name", type: .string, nullable: false, maxLength: 200),
    Field(name: "phone", type: .string, nullable: true, format: .phone),
    Field(name: "photo", type: .file, nullable: true),
    Field(name: "preferred_language", type: .enumeration(["sv", "en"]), nullable: false),
    Field(name: "created_at", type: .timestamp, nullable: false),
])

private let emailLayout = RecordLayout(name: "email_addresses", fields: [
    Field(name: "id", type: .string, nullable: false, maxLength: 64),
    Field(name: "address", type: .string, nullable: false, format: .email),
    Field(name: "label", type: .enumeration(["work", "personal", "billing", "other"]), nullable: false),
    Field(name: "is_primary", type: .boolean, nullable: false),
    Field(name: "verified_at", type: .timestamp, nullable: true),
])
