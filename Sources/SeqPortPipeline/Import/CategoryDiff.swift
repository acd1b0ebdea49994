import SeqPortModel
import SeqPortStore

/// Compares one category of a bundle with the store and adds changes and refusals to a plan.
struct CategoryDiff {
    let category: Category
    let layout: RecordLayout
    let subject: String
    let snapshot: any StoreSnapshot
    /// The bundle's fingerprints by key (nil for a partner bundle without them).
    var fingerprints: [String: String]?
    /// Refusals beyond this many per category are counted, not listed.
    var maxRefusals = 100
    private var refused = 0
    private var fileNames: [String: String] = [:]
    private let redactor: Redactor?

    init(category: Category, layout: RecordLayout, subject: String, snapshot: any StoreSnapshot) {
        self.category = category
        self.layout = layout
        self.subject = subject
        self.snapshot = snapshot
        redactor = Redactor(layout: layout)
    }

    var keyIndex: Int { layout.index(of: category.store.key)! }
    var integerKey: Bool { category.keyField.type == .integer }

    func key(_ r: Record) -> String { r[keyIndex].text ?? "" }

    mutating func refuse(_ plan: inout ImportPlan, _ code: SeqPortError.Code, key: String?, field: String? = nil, _ reason: String) {
        refused += 1
        if refused <= maxRefusals {
            plan.refuse(code, category.name, key: key, field: field, reason)
        } else if refused == maxRefusals + 1 {
            plan.refuse(code, category.name, "more refusals in this category are not listed")
        }
    }

    /// The store's record as a bundle shows it: file ids become bundle paths, redacted fields are redacted.
    mutating func shown(_ raw: Record) throws -> Record {
        var r = raw
        for (i, f) in layout.fields.enumerated() where f.type == .file {
            guard case .text(let id) = raw[i] else { continue }
            if fileNames[id] == nil { fileNames[id] = try snapshot.file(id: id, subject: subject)?.name ?? "" }
            r[i] = .text(BundleLayout.attachment(id: id, name: fileNames[id]!))
        }
        redactor?.apply(&r)
        return r
    }

    static func values(_ r: Record, _ layout: RecordLayout) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: zip(layout.fields, r.values).map { ($0.name, $1.text) })
    }

    /// Editable (small) categories: the subject's current records by key, then every bundle record
    /// matched by key — updates of rectifiable fields, inserts and deletes where allowed.
    mutating func keyed(_ reader: inout CopyReader, into plan: inout ImportPlan) throws {
        var current: [String: (raw: Record, shown: Record)] = [:]
        var order: [String] = []
        var raws: [Record] = []
        try snapshot.forEachRecord(subject: subject, in: category, fields: layout.fields) { raws.append($0) }
        for raw in raws {
            current[key(raw)] = (raw, try shown(raw))
            order.append(key(raw))
        }
        var seen = Set<String>()
        while let record = try reader.next() {
            let k = key(record)
            guard seen.insert(k).inserted else {
                refuse(&plan, .importDuplicateKey, key: k, "the bundle holds this key twice")
                continue
            }
            if let cur = current[k] {
                var changes: [ImportPlan.Change] = []
                var blocked = false
                let fp = Fingerprints.of(cur.raw)
                for (i, f) in layout.fields.enumerated() where cur.shown[i] != record[i] {
                    if f.rectifiable {
                        changes.append(.init(category: category.name, key: k, action: .update, field: f.name,
                                             old: cur.shown[i].text, new: record[i].text, values: nil, expectedFingerprint: fp))
                    } else {
                        refuse(&plan, .importNotRectifiable, key: k, field: f.name, "this field cannot be corrected through an import")
                        blocked = true
                    }
                }
                if !changes.isEmpty, let fingerprints = fingerprints, fingerprints[k] != fp {
                    refuse(&plan, .importConflict, key: k, "the record changed in the store since the bundle was exported")
                    blocked = true
                }
                if !blocked { plan.changes += changes }
            } else if let owner = try snapshot.owner(of: k, in: category), owner != subject {
                refuse(&plan, .importForeignRecord, key: k, "the key belongs to another subject's record")
            } else if !category.allowInsert {
                refuse(&plan, .importInsertNotAllowed, key: k, "records cannot be added to this category")
            } else {
                var ok = true
                for (i, f) in layout.fields.enumerated() where !f.rectifiable && f.name != category.store.key && !record[i].isNull {
                    refuse(&plan, .importNotRectifiable, key: k, field: f.name, "a new record must leave this field empty")
                    ok = false
                }
                if ok {
                    plan.changes.append(.init(category: category.name, key: k, action: .insert, field: nil, old: nil, new: nil,
                                              values: Self.values(record, layout), expectedFingerprint: nil))
                }
            }
        }
        for k in order where !seen.contains(k) {
            let cur = current[k]!
            if !category.allowDelete {
                refuse(&plan, .importDeleteNotAllowed, key: k, "records cannot be removed from this category")
            } else if let fingerprints, fingerprints[k] != nil, fingerprints[k] != Fingerprints.of(cur.raw) {
                refuse(&plan, .importConflict, key: k, "the record changed in the store since the bundle was exported")
            } else {
                plan.changes.append(.init(category: category.name, key: k, action: .delete, field: nil, old: nil, new: nil,
                                          values: Self.values(cur.shown, layout), expectedFingerprint: Fingerprints.of(cur.raw)))
            }
        }
    }

    /// Categories nothing may change in (possibly millions of records): a merge of the store's
    /// records and the bundle's, both in key order, in bounded memory. Any difference is refused.
    mutating func ordered(_ reader: inout CopyReader, into plan: inout ImportPlan) throws {
        var pending = try reader.next()
        var previous: String?
        var outOfOrder = false
        let integer = integerKey
        try snapshot.forEachRecord(subject: subject, in: category, fields: layout.fields) { raw in
            guard !outOfOrder else { return }
            let storeKey = key(raw)
            let shownRecord = try shown(raw)
            while let b = pending {
                let bk = key(b)
                if let previous, !keyPrecedes(previous, bk, integer: integer) {
                    refuse(&plan, .importOrder, key: bk, "records of this category must stay in the exported order")
                    outOfOrder = true
                    return
                }
                if keyPrecedes(bk, storeKey, integer: integer) {
                    try refuseExtra(b, &plan)
                    previous = bk
                    pending = try reader.next()
                    continue
                }
                if bk == storeKey {
                    if let i = layout.fields.indices.first(where: { shownRecord[$0] != b[$0] }) {
                        refuse(&plan, .importNotRectifiable, key: bk, field: layout.fields[i].name, "this field cannot be corrected through an import")
                    }
                    previous = bk
                    pending = try reader.next()
                    return
                }
                break
            }
            refuse(&plan, .importDeleteNotAllowed, key: storeKey, "records cannot be removed from this category")
        }
        while !outOfOrder, let b = pending {
            try refuseExtra(b, &plan)
            pending = try reader.next()
        }
    }

    mutating func refuseExtra(_ record: Record, _ plan: inout ImportPlan) throws {
        let k = key(record)
        if let owner = try snapshot.owner(of: k, in: category), owner != subject {
            refuse(&plan, .importForeignRecord, key: k, "the key belongs to another subject's record")
        } else {
            refuse(&plan, .importInsertNotAllowed, key: k, "records cannot be added to this category")
        }
    }
}
