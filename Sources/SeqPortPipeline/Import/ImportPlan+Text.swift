/// The plan as a person reads it in a terminal.
extension ImportPlan {
    public func renderText() -> String {
        var out = "bundle \(bundle) (sha256 \(bundleSHA256.prefix(16))…), subject \(subject)\n"
        for s in sources where s.reason != "unchanged" { out += "read \(s.entries.joined(separator: " + ")) (\(s.reason))\n" }
        if changes.isEmpty && refusals.isEmpty { return out + "no changes: the store already holds what the bundle holds\n" }
        for c in changes {
            switch c.action {
            case .update:
                out += "~ \(c.category) \(c.key) \(c.field ?? ""): \(Self.show(c.old)) → \(Self.show(c.new))\n"
            case .insert:
                out += "+ \(c.category) \(c.key): \(Self.show(c.values))\n"
            case .delete:
                out += "- \(c.category) \(c.key): \(Self.show(c.values))\n"
            }
        }
        for r in refusals {
            out += "refused \(r.category)\(r.key.map { " " + $0 } ?? "")\(r.field.map { " field \"\($0)\"" } ?? ""): \(r.reason) (\(r.code))\n"
        }
        let summary = "\(changes.count) change\(changes.count == 1 ? "" : "s"), \(refusals.count) refused"
        if applied {
            out += "applied: \(summary)\n"
            for (category, recipients) in notify.sorted(by: { $0.key < $1.key }) {
                out += "tell the recipients of \(category) (Art. 19): \(recipients.joined(separator: "; "))\n"
            }
        } else if refusals.isEmpty {
            out += "dry run: \(summary); run again with --apply to apply\n"
        } else {
            out += "nothing applied: \(summary)\n"
        }
        return out
    }

    /// A value quoted for the terminal, with control characters made visible; NULL as `null`.
    static func show(_ value: String?) -> String {
        guard let value else { return "null" }
        var s = "\""
        for c in value.unicodeScalars {
            switch c {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            default: s += c.value < 0x20 || c.value == 0x7F ? "\\u{\(String(c.value, radix: 16))}" : String(c)
            }
        }
        return s + "\""
    }

    static func show(_ values: [String: String?]?) -> String {
        (values ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\(show($0.value))" }.joined(separator: " ")
    }
}
