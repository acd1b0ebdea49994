import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortCSV
import SeqPortModel
import SeqPortStore

/// Applying a plan: one transaction with an audit trail (`Specs/import.md`, "Applying").
extension Importer {
    /// Whether a plan is to be applied: with `--apply` when it has changes and no refusal; with
    /// `--apply-valid` when it has anything (its valid changes, and its refusals for the audit trail).
    static func applies(_ plan: ImportPlan, _ options: ImportOptions) -> Bool {
        options.applyValid ? !plan.isEmpty : (options.apply && plan.isApplicable && !plan.changes.isEmpty)
    }

    /// Applies the plan in one transaction; every record is checked again against the fingerprint
    /// it was planned with, so a concurrent change makes the whole import fail as a conflict.
    func apply(_ plan: inout ImportPlan, scope: Scope, options: ImportOptions) throws {
        let schema = store.schema
        let at = ValueSyntax.timestamp(epochSeconds: Int64((options.now ?? Date()).timeIntervalSince1970))
        var groups: [(String, String, [ImportPlan.Change], Int)] = []
        for (index, change) in plan.changes.enumerated() {
            if let last = groups.last, last.0 == change.category, last.1 == change.key, change.action == .update {
                groups[groups.count - 1].2.append(change)
            } else {
                groups.append((change.category, change.key, [change], index))
            }
        }
        /// Keys the store chose for new records asked for with an empty key, by change index.
        var assigned: [(Int, String)] = []
        let subject = plan.subject
        let sha = plan.bundleSHA256
        let refusals = options.applyValid ? plan.refusals : []
        try store.withTransaction { tx in
            // `--apply-valid`: what was refused is recorded beside what was applied (Art. 16: the request
            // was made, and answered), as `refused:<code>` with the value asked for.
            for r in refusals {
                try tx.appendAudit(AuditEntry(at: at, subject: subject, category: r.category, recordKey: r.key ?? "", action: "refused:\(r.code)",
                                              field: r.field, oldValue: nil, newValue: r.field != nil ? r.asked : Self.describe(r.askedValues),
                                              bundleSHA256: sha, actor: options.actor))
            }
            for (categoryName, plannedKey, changes, index) in groups {
                let category = schema.category(named: categoryName)!
                let layout = category.layout(scope: scope)
                var key = plannedKey
                if key.isEmpty && changes[0].action == .insert {
                    key = try tx.newKey(in: category)
                    assigned.append((index, key))
                }
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
                    var given = first.values ?? [:]
                    given[category.store.key] = key
                    let values = layout.fields.map { f in (given[f.name] ?? nil).map(Value.text) ?? .null }
                    try tx.insertRecord(subject: subject, in: category, fields: layout.fields, values: values)
                    try audit("insert", nil, nil, Self.describe(given))
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
        for (index, key) in assigned {
            let keyField = schema.category(named: plan.changes[index].category)!.store.key
            plan.changes[index].key = key
            plan.changes[index].values?[keyField] = key
        }
        plan.applied = !plan.changes.isEmpty
        plan.appliedValidOnly = options.applyValid && !plan.refusals.isEmpty
        for name in Set(plan.changes.map(\.category)) {
            // Categories name recipients by id (Specs/schema.md); the plan names them as the schema writes them.
            plan.notify[name] = (schema.category(named: name)?.recipients ?? []).map { schema.terms.recipient($0)?.text ?? $0 }
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
