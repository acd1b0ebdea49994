import Foundation
import SeqPortModel
import SeqPortStore

/// Builds a deterministic synthetic store for the default SeqOps schema: the same arguments give
/// the same data, byte for byte (`seqport sample`).
///
/// Subject `s-00001` carries awkward values on purpose (quotes, commas, CR/LF, `<&>`, emoji,
/// right-to-left text, a control character, a leading `=`, NULL beside empty strings) so every demo
/// and test exercises the formats' edge cases.
public struct SampleData {
    public var subjects: Int
    /// Usage events per subject.
    public var events: Int
    public var seed: UInt64

    /// The sample size `seqport sample` and the sample store use unless told otherwise.
    public static let defaultSubjects = 25
    public static let defaultEvents = 200

    public init(subjects: Int, events: Int, seed: UInt64 = 2024) {
        self.subjects = subjects
        self.events = events
        self.seed = seed
    }

    /// The id of the n-th subject (1-based): `s-00001`.
    public static func subjectID(_ n: Int) -> String {
        let digits = String(n)
        return "s-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// Creates the schema's tables and fills them. The store must use the default schema's categories.
    public func populate(_ store: any Store, progress: ((Int) -> Void)? = nil) throws {
        let needed = ["contact", "email_addresses", "professional", "technical", "usage_events", "support_tickets",
                      "ticket_messages", "consents", "marketing_preferences", "subscriptions", "invoices", "feedback",
                      "account", "risk_assessments"]
        for name in needed where store.schema.category(named: name) == nil {
            throw SeqPortError(.schemaInvalid, "sample data needs the default schema; category \"\(name)\" is missing")
        }
        try store.initialize(createSchemaTables: true)
        var eventID: Int64 = 0
        let batch = 200
        var n = 1
        while n <= subjects {
            let upper = min(subjects, n + batch - 1)
            try store.withTransaction { tx in
                for i in n...upper {
                    var w = SampleWriter(tx: tx, schema: store.schema, subject: Self.subjectID(i), index: i,
                                         rng: SplitMix64(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
                    try w.writeSubject(events: events, eventID: &eventID)
                }
            }
            progress?(upper)
            n = upper + 1
        }
    }
}

/// A small, fast, well-known deterministic generator (Steele, Lea and Flood's SplitMix64).
/// SplitMix64: a small seeded generator, so sample data and property tests reproduce exactly.
public struct SplitMix64 {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    public mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}

let sampleAvatarPNG: [UInt8] = Array(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAaklEQVR42u3WQQ0AIAxD0clBE+qwxo0jElAACSyElfykAt6prdXWQ8UAAQIESBmUcpnlAWih8ZjsBsXD0gdtaQ5MdluzawIECBAgLVC4pmZcRf9Q0MfIyQckBTqeCH+JAwIECBAgQIB+Bw1/PFqMOH9UgwAAAABJRU5ErkJggg==")!)

extension SampleData {
    /// The configuration's sample store (its path), created with the default sample size when it does
    /// not exist yet: what `seqport export` with no `--store` exports from.
    /// - Throws: `usage` when the configuration names no sample store; the store's errors.
    public static func storeCreatingIfMissing(_ configuration: Configuration) throws -> String {
        guard let path = configuration.sampleStore else {
            throw SeqPortError(.usage, "give --store (the configuration names no sample store)")
        }
        if !FileManager.default.fileExists(atPath: path) {
            let store = try StoreLocator.open(path, schema: configuration.schema, create: true)
            try SampleData(subjects: defaultSubjects, events: defaultEvents).populate(store)
        }
        return path
    }
}
