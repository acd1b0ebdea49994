import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortStore

/// Turns a returned bundle into an exact, reviewable correction (Art. 16), and applies it in one
/// transaction with an audit trail when asked and nothing is refused (`Specs/import.md`).
public final class Importer {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    /// Plans the import of the bundle at `path`; applies it when `options.apply` and the plan has
    /// no refusals. Throws for a bundle that cannot be read at all (archive refused, bad manifest,
    /// malformed document, unknown subject); refusals of individual changes are in the plan.
    public func run(bundle path: String, options: ImportOptions = ImportOptions()) throws -> ImportPlan {
        let bundleSHA = try sha256OfFile(path)
        let bundle = try OpenedBundle(path: path, zipLimits: options.zipLimits, passphrase: options.passphrase)
        if let key = options.trustedKey { try bundle.checkSignature(key) }
        let manifest = try bundle.manifest()
        let schema = store.schema
        guard manifest.schema.name == schema.name else {
            throw SeqPortError(.importSchema, "the bundle was made for schema \"\(manifest.schema.name.prefix(64))\", the store uses \"\(schema.name)\"",
                               at: SourceLocation(entry: BundleLayout.manifest))
        }
        var plan = ImportPlan(bundle: path, bundleSHA256: bundleSHA, subject: manifest.subject)
        let listed = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        try store.withSnapshot { snap in
            guard try snap.subjectExists(manifest.subject) else {
                throw SeqPortError(.subjectUnknown, "the bundle's subject is not in the store", at: SourceLocation(entry: BundleLayout.manifest))
            }
            for entry in manifest.categories {
                guard let category = schema.category(named: entry.name), category.isExported(scope: manifest.scope) else {
                    plan.refuse(.importUnknownCategory, String(entry.name.prefix(64)), "the store's schema has no such category in this scope")
                    continue
                }
                let layout = category.layout(scope: manifest.scope)
                let (copies, reason) = try chooseCopies(bundle, entry: entry, listed: listed, format: options.format)
                plan.sources.append(.init(category: category.name, entries: copies.map { BundleLayout.data(category.name, $0) }, reason: reason))
                var reader = CopyReader(try copies.map { format in
                    let path = BundleLayout.data(category.name, format)
                    let source = try bundle.zip.open(bundle.zip.entry(named: path)!)
                    do {
                        return (path, try format.makeReader(source: source, layout: layout, limits: options.readerLimits))
                    } catch let e as SeqPortError { throw e.within(entry: path) }
                })
                var diff = CategoryDiff(category: category, layout: layout, subject: manifest.subject, snapshot: snap)
                if category.isEditable {
                    diff.fingerprints = try readFingerprints(bundle, entry: entry)
                    try diff.keyed(&reader, into: &plan)
                } else {
                    try diff.ordered(&reader, into: &plan)
                }
            }
        }
        if options.apply && plan.isApplicable && !plan.changes.isEmpty {
            try apply(&plan, manifest: manifest, options: options)
        }
        return plan
    }

    /// Which copies to read: `--format`; else the copies whose checksum differs from the manifest
    /// (edited); else the first present of JSON, CSV, XML.
    func chooseCopies(_ bundle: OpenedBundle, entry: Manifest.CategoryEntry, listed: [String: Manifest.FileEntry],
                      format: BundleFormat?) throws -> ([BundleFormat], String) {
        let present = BundleFormat.allCases.filter { bundle.zip.entry(named: BundleLayout.data(entry.name, $0)) != nil }
        if let format {
            guard present.contains(format) else {
                throw SeqPortError(.bundleMissing, "the bundle has no \(format.rawValue) copy of this category",
                                   at: SourceLocation(entry: BundleLayout.data(entry.name, format)))
            }
            return ([format], "format")
        }
        guard !present.isEmpty else {
            throw SeqPortError(.bundleMissing, "the bundle has no copy of category \"\(entry.name.prefix(64))\"", at: SourceLocation(entry: BundleLayout.manifest))
        }
        var edited: [BundleFormat] = []
        for f in present {
            let path = BundleLayout.data(entry.name, f)
            guard let listedEntry = listed[path] else { edited.append(f); continue }
            let sink = DigestSink()
            try copy(try bundle.zip.open(bundle.zip.entry(named: path)!), to: sink)
            if sink.count != listedEntry.bytes || sink.finalize() != listedEntry.sha256 { edited.append(f) }
        }
        return edited.isEmpty ? ([present[0]], "unchanged") : (edited, "edited")
    }

    /// The fingerprints the bundle carries for a category, by key; nil for a bundle without them.
    func readFingerprints(_ bundle: OpenedBundle, entry: Manifest.CategoryEntry) throws -> [String: String]? {
        guard let path = entry.fingerprints, let zipEntry = bundle.zip.entry(named: path) else { return nil }
        var reader = try BundleFormat.csv.makeReader(source: try bundle.zip.open(zipEntry), layout: Fingerprints.layout)
        var out: [String: String] = [:]
        do {
            while let r = try reader.next() {
                if case .text(let key) = r[0], case .text(let fp) = r[1] { out[key] = fp }
            }
        } catch let e as SeqPortError { throw e.within(entry: path) }
        return out
    }

    /// Applies the plan in one transaction; every record is checked again against the fingerprint
    /// it was planned with, so a concurrent change makes the whole import fail as a conflict.
    func apply(_ plan: inout ImportPlan, manifest: Manifest, options: ImportOptions) throws {
        let schema = store.schema
        let at = ValueSyntax.timestamp(epochSeconds: Int64((options.now ?? Date()).timeIntervalSince1970))
        var groups: [(String, String, [ImportPlan.Change])] = []
        for change in plan.changes {
            if let last = groups.last, last.0 == change.category, last.1 == change.key, change.action == .update {
                groups[groups.count - 1].2.append(change)
            } else {
                groups.append((change.category, change.key, [change]))
            }
        }
        let subject = plan.subject
        let sha = plan.bundleSHA256
        try store.withTransaction { tx in
            for (categoryName, key, changes) in groups {
                let category = schema.category(named: categoryName)!
                let layout = category.layout(scope: manifest.scope)
                func audit(_ action: String, _ field: String?, _ old: String?, _ new: String?) throws {
                    try tx.appendAudit(AuditEntry(at: at, subject: subject, category: categoryName, recordKey: key, action: action,
                                                  field: field, oldValue: old, newValue: new, bundleSHA256: sha, actor: options.actor))
                }
                func conflict() -> SeqPortError {
                    SeqPortError(.importConflict, "record changed in the store while the import ran; nothing was applied",
                                 at: SourceLocation(entry: categoryName, field: nil))
                }
                let first = changes[0]
                switch first.action {
                case .insert:
                    guard try tx.owner(of: key, in: category) == nil else { throw conflict() }
                    let values = layout.fields.map { f in (first.values?[f.name] ?? nil).map(Value.text) ?? .null }
                    try tx.insertRecord(subject: subject, in: category, fields: layout.fields, values: values)
                    try audit("insert", nil, nil, Self.describe(first.values))
                case .delete, .update:
                    guard let current = try tx.record(subject: subject, in: category, key: key, fields: layout.fields),
                          Fingerprints.of(current) == first.expectedFingerprint
                    else { throw conflict() }
                    if first.action == .delete {
                        guard try tx.delete(subject: subject, in: category, key: key) == 1 else { throw conflict() }
                        try audit("delete", nil, Self.describe(first.values), nil)
                    } else {
                        let set = changes.map { c in (layout.fields.first { $0.name == c.field }!, c.new.map(Value.text) ?? .null) }
                        guard try tx.update(subject: subject, in: category, key: key, set: set) == 1 else { throw conflict() }
                        for c in changes { try audit("update", c.field, c.old, c.new) }
                    }
                }
            }
        }
        plan.applied = true
        for name in Set(plan.changes.map(\.category)) {
            plan.notify[name] = schema.category(named: name)?.recipients ?? []
        }
    }

    /// A whole record as one audit text: `field=value` pairs in a JSON object.
    static func describe(_ values: [String: String?]?) -> String? {
        guard let values else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// SHA-256 of a whole file, as hex.
func sha256OfFile(_ path: String) throws -> String {
    let sink = DigestSink()
    try copy(try FileSource(path: path), to: sink)
    return sink.finalize()
}
