import SeqPortModel

/// The plan as a person reads it in a terminal.
///
/// Everything that comes from the bundle — the subject, keys, category and field names, file names and
/// values — goes through `TerminalText`, so a crafted key cannot move the cursor, paint a fake line or
/// reorder text with a bidi override. Values longer than `valueLimit` characters are shortened here
/// (saying how much was left out); `--json` carries them whole.
extension ImportPlan {
    /// Characters of one value shown on a terminal before it is shortened.
    public static let valueLimit = 200

    public func renderText(valueLimit: Int? = ImportPlan.valueLimit) -> String {
        let e = TerminalText.escape
        func show(_ value: String?) -> String { TerminalText.quoted(value, limit: valueLimit) }
        func show(_ values: [String: String?]?) -> String {
            (values ?? [:]).sorted { $0.key < $1.key }.map { "\(e($0.key))=\(show($0.value))" }.joined(separator: " ")
        }
        var out = "bundle \(e(bundle)) (sha256 \(bundleSHA256.prefix(16))…), subject \(e(subject))\n"
        for s in sources where s.reason != "unchanged" {
            out += "read \(s.entries.map(e).joined(separator: " + ")) (\(s.reason))\n"
            for n in s.notes { out += "  \(e(n))\n" }
        }
        if changes.isEmpty && refusals.isEmpty && notes.isEmpty { return out + "no changes: the store already holds what the bundle holds\n" }
        for c in changes {
            switch c.action {
            case .update:
                out += "~ \(e(c.category)) \(e(c.key)) \(e(c.field ?? "")): \(show(c.old)) → \(show(c.new))\n"
            case .insert:
                out += "+ \(e(c.category)) \(c.key.isEmpty ? "(a new key from the store)" : e(c.key)): \(show(c.values))\n"
            case .delete:
                out += "- \(e(c.category)) \(e(c.key)): \(show(c.values))\n"
            }
        }
        for n in notes {
            out += "= \(e(n.category)) \(e(n.key)): \(n.kind), \(n.reason)\n"
        }
        for r in refusals {
            var line = "refused \(e(r.category))\(r.key.map { " " + e($0) } ?? "")\(r.field.map { " field \"\(e($0))\"" } ?? "")"
            if r.field != nil && r.code != SeqPortError.Code.importDeleteNotAllowed.rawValue {
                line += ", asked \(show(r.asked))"
            } else if let values = r.askedValues {
                line += ", asked \(show(values))"
            }
            out += "\(line): \(r.reason) (\(r.code))\n"
        }
        let summary = "\(changes.count) change\(changes.count == 1 ? "" : "s"), \(refusals.count) refused"
        if applied {
            out += appliedValidOnly ? "applied the valid changes: \(summary) (the refusals are in the audit trail)\n" : "applied: \(summary)\n"
            for (category, recipients) in notify.sorted(by: { $0.key < $1.key }) {
                out += "tell the recipients of \(e(category)) (Art. 19): \(recipients.map(e).joined(separator: "; "))\n"
            }
        } else if refusals.isEmpty {
            out += changes.isEmpty ? "nothing to apply: \(summary)\n" : "dry run: \(summary); run again with --apply to apply\n"
        } else if changes.isEmpty {
            out += "nothing applied: \(summary)\n"
        } else {
            out += "nothing applied: \(summary); --apply-valid applies the \(changes.count) valid change\(changes.count == 1 ? "" : "s") and records the refusals\n"
        }
        return out
    }
}
