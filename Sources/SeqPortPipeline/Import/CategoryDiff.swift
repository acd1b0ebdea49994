import SeqPortBundle
import SeqPortModel
import SeqPortStore

/// Compares one category of a bundle with the store and adds changes and refusals to a plan.
struct CategoryDiff {
    let category: Category
    let layout: RecordLayout
    let subject: String
    let snapshot: any StoreSnapshot
    /// The bundle's fingerprints by key bytes (nil for a partner bundle without them). Keys are compared
    /// as bytes throughout: Swift's `String ==` would take canonically equivalent keys for one.
    var fingerprints: [[UInt8]: String]?
    /// Refusals beyond this many per category are counted, not listed.
    var maxRefusals = 1000
    /// The most records an editable category may hold in the store or the bundle (`import.too-large`).
    var maxRecords = ImportOptions.defaultMaxEditableRecords
    /// The copy being read, for errors.
    var entry = ""
    /// Per field, whether the input gives it: a bare partner file may give only some fields, and those it
    /// leaves out are neither compared nor changed. Nil: every field (a bundle).
    var given: [Bool]?
    /// A bare partner file names the records it corrects, not the whole category: store records it does
    /// not hold are kept, never deleted.
    var keepsMissing = false
    /// The copy read may come from a spreadsheet (CSV): an empty cell equals both NULL and `""` in the
    /// store, and values a spreadsheet visibly damaged (leading zeros dropped, `1.2E+11`) are refused.
    var spreadsheet = false
    private var refused = 0
    private var fileNames: [[UInt8]: String] = [:]
    private let redactor: Redactor?

    /// The key's position in the layout (looked up once: `key` runs for every record on both sides).
    let keyIndex: Int
    /// Positions of the layout's file fields, which `shown` turns into bundle paths.
    private let fileFields: [Int]

    init(category: Category, layout: RecordLayout, subject: String, snapshot: any StoreSnapshot) {
        self.category = category
        self.layout = layout
        self.subject = subject
        self.snapshot = snapshot
        redactor = Redactor(layout: layout)
        keyIndex = layout.index(of: category.store.key)!
        fileFields = layout.fields.indices.filter { layout.fields[$0].type == .file }
    }

    var integerKey: Bool { category.keyField.type == .integer }

    func key(_ r: Record) -> String { r[keyIndex].text ?? "" }

    mutating func refuse(_ plan: inout ImportPlan, _ code: SeqPortError.Code, key: String?, field: String? = nil, _ reason: String,
                         asked: String? = nil, askedValues: [String: String?]? = nil) {
        refused += 1
        if refused <= maxRefusals {
            plan.refuse(code, category.name, key: key, field: field, reason, asked: asked, askedValues: askedValues)
        } else if refused == maxRefusals + 1 {
            plan.refuse(code, category.name, "more refusals in this category are not listed")
        }
    }

    /// The store's record as a bundle shows it: file ids become bundle paths, redacted fields are redacted.
    mutating func shown(_ raw: Record) throws -> Record {
        if fileFields.isEmpty && redactor == nil { return raw }
        var r = raw
        for i in fileFields {
            guard case .text(let id) = raw[i] else { continue }
            let idBytes = Array(id.utf8)
            if fileNames[idBytes] == nil { fileNames[idBytes] = try snapshot.file(id: id, subject: subject)?.name ?? "" }
            r[i] = .text(BundleLayout.attachment(id: id, name: fileNames[idBytes]!))
        }
        redactor?.apply(&r)
        return r
    }

    static func values(_ r: Record, _ layout: RecordLayout) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: zip(layout.fields, r.values).map { ($0.name, $1.text) })
    }

    /// Whether the bundle's value says the same as the store's: equal bytes, or (from a spreadsheet) an
    /// empty cell against `""` or NULL, which a spreadsheet saves alike, or line breaks that lost their CR.
    func same(_ stored: Value, _ given: Value) -> Bool { Self.same(stored, given, spreadsheet: spreadsheet) }

    static func same(_ stored: Value, _ given: Value, spreadsheet: Bool) -> Bool {
        if stored == given { return true }
        guard spreadsheet else { return false }
        if (stored == .text("") && given.isNull) || (stored.isNull && given == .text("")) { return true }
        // Programs that save XML with a raw CR (openpyxl) hand it back as LF: a line break that only
        // lost its CR is the same text, not an edit.
        guard case .text(let a) = stored, case .text(let b) = given, a.utf8.contains(0x0D) else { return false }
        return a.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").utf8.elementsEqual(b.utf8)
    }

    /// Why a new text looks like a spreadsheet's damage rather than the subject's edit, if it does: the old
    /// value's leading zeros dropped (`0701234567` → `701234567`), or a number turned into scientific
    /// notation (`46701234567` → `4.67012E+10`).
    func spreadsheetDamage(old: String?, new: String?) -> String? {
        guard spreadsheet, let old, let new, !new.isEmpty else { return nil }
        let digits = { (s: Substring) in !s.isEmpty && s.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        if old.hasPrefix("0"), digits(Substring(new)), old.drop(while: { $0 == "0" }) == Substring(new) {
            return "the new value is the old one without its leading zeros, as a spreadsheet saves a number; correct it in the XLSX copy or a text editor"
        }
        let upper = new.uppercased()
        if let e = upper.range(of: "E+"), !old.uppercased().contains("E+"),
           digits(upper[..<e.lowerBound].replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: "")[...]),
           digits(upper[e.upperBound...]) {
            return "the new value is a number in scientific notation, as a spreadsheet shows a long number; correct it in the XLSX copy or a text editor"
        }
        return nil
    }

    /// Whether the store can hold the value as it is (PostgreSQL text cannot hold U+0000).
    func storable(_ value: Value) -> Bool {
        guard !snapshot.holdsNUL, case .text(let t) = value else { return true }
        return !t.utf8.contains(0)
    }

    func tooLarge(_ side: String, record: Int?) -> SeqPortError {
        SeqPortError(.importTooLarge, "\(side) holds more than \(maxRecords) records of category \(category.name), the most one import plans for an editable category (--max-editable-records); ask for the correction in smaller parts",
                     at: record.map { SourceLocation(entry: entry, record: $0) } ?? SourceLocation(entry: category.name))
    }

    /// Editable categories: the subject's current records by key (at most `maxRecords`), then every
    /// bundle record matched by key — updates of rectifiable fields, inserts and deletes where allowed.
    ///
    /// With fingerprints (an exported bundle), a store record the fingerprints do not list was added
    /// after the export: it is kept and noted, never deleted. A bundle record whose fingerprint is listed
    /// but whose store record is gone was removed since the export: a conflict, never a new insert. A
    /// fingerprint for a key neither in the store nor in the bundle is refused.
    mutating func keyed(_ reader: inout CopyReader, into plan: inout ImportPlan) throws {
        var current: [[UInt8]: (raw: Record, shown: Record)] = [:]
        var order: [String] = []
        try snapshot.forEachRecord(subject: subject, in: category, fields: layout.fields) { raw in
            guard order.count < maxRecords else { throw tooLarge("the store", record: nil) }
            let k = key(raw)
            current[Array(k.utf8)] = (raw, try shown(raw))
            order.append(k)
        }
        var seen = Set<[UInt8]>()
        var read = 0
        while let record = try reader.next() {
            read += 1
            guard read <= maxRecords else { throw tooLarge("this copy", record: read) }
            let k = key(record)
            let kb = Array(k.utf8)
            // An empty key asks for a new record whose key the store chooses (`Specs/import.md`).
            guard k.isEmpty || seen.insert(kb).inserted else {
                refuse(&plan, .importDuplicateKey, key: k, "the bundle holds this key twice", askedValues: Self.values(record, layout))
                continue
            }
            if let cur = current[kb] {
                let fp = Fingerprints.of(cur.raw)
                let stale = fingerprints.map { $0[kb] != fp } ?? false
                for (i, f) in layout.fields.enumerated() where given?[i] != false && !same(cur.shown[i], record[i]) {
                    if stale {
                        refuse(&plan, .importConflict, key: k, field: f.name, "the record changed in the store since the bundle was exported",
                               asked: record[i].text)
                    } else if f.rectifiable, let why = spreadsheetDamage(old: cur.shown[i].text, new: record[i].text) {
                        refuse(&plan, .importSuspectValue, key: k, field: f.name, why, asked: record[i].text)
                    } else if f.rectifiable, !storable(record[i]) {
                        refuse(&plan, .importUnstorable, key: k, field: f.name, "the store cannot hold the character U+0000 (NUL) in a text value; remove it",
                               asked: record[i].text)
                    } else if f.rectifiable {
                        plan.changes.append(.init(category: category.name, key: k, action: .update, field: f.name,
                                                  old: cur.shown[i].text, new: record[i].text, values: nil, expectedFingerprint: fp))
                    } else {
                        refuse(&plan, .importNotRectifiable, key: k, field: f.name, "this field cannot be corrected through an import",
                               asked: record[i].text)
                    }
                }
            } else if !k.isEmpty, fingerprints?[kb] != nil {
                refuse(&plan, .importConflict, key: k, "the record was removed from the store after the bundle was exported",
                       askedValues: Self.values(record, layout))
            } else if !storable(.text(k)) {
                refuse(&plan, .importUnstorable, key: k, "the store cannot hold the character U+0000 (NUL) in a key", askedValues: Self.values(record, layout))
            } else if !k.isEmpty, let owner = try snapshot.owner(of: k, in: category), owner != subject {
                refuse(&plan, .importForeignRecord, key: k, "the key belongs to another subject's record", askedValues: Self.values(record, layout))
            } else if !category.allowInsert {
                refuse(&plan, .importInsertNotAllowed, key: k, "records cannot be added to this category", askedValues: Self.values(record, layout))
            } else {
                var ok = true
                for (i, f) in layout.fields.enumerated() where !f.rectifiable && f.name != category.store.key && !record[i].isNull {
                    refuse(&plan, .importNotRectifiable, key: k, field: f.name, "a new record must leave this field empty", asked: record[i].text)
                    ok = false
                }
                for (i, f) in layout.fields.enumerated() where given?[i] == false && f.rectifiable && !f.nullable {
                    refuse(&plan, .importNotRectifiable, key: k, field: f.name, "a new record needs this field, which the file does not give",
                           askedValues: Self.values(record, layout))
                    ok = false
                }
                for (i, f) in layout.fields.enumerated() where !storable(record[i]) {
                    refuse(&plan, .importUnstorable, key: k, field: f.name, "the store cannot hold the character U+0000 (NUL) in a text value; remove it",
                           asked: record[i].text)
                    ok = false
                }
                if ok {
                    plan.changes.append(.init(category: category.name, key: k, action: .insert, field: nil, old: nil, new: nil,
                                              values: Self.values(record, layout), expectedFingerprint: nil))
                }
            }
        }
        for k in order where !keepsMissing && !seen.contains(Array(k.utf8)) {
            let kb = Array(k.utf8)
            let cur = current[kb]!
            if let fingerprints, fingerprints[kb] == nil {
                plan.notes.append(.init(category: category.name, key: k, kind: "kept",
                                        reason: "added to the store after this bundle was exported, so the bundle cannot remove it"))
            } else if !category.allowDelete {
                refuse(&plan, .importDeleteNotAllowed, key: k, "records cannot be removed from this category")
            } else if let fingerprints, fingerprints[kb] != Fingerprints.of(cur.raw) {
                refuse(&plan, .importConflict, key: k, "the record changed in the store since the bundle was exported")
            } else {
                plan.changes.append(.init(category: category.name, key: k, action: .delete, field: nil, old: nil, new: nil,
                                          values: Self.values(cur.shown, layout), expectedFingerprint: Fingerprints.of(cur.raw)))
            }
        }
        if let fingerprints {
            // A key this subject's records were deleted under through seqport (the audit trail says so) is
            // an import of the same bundle again, which finds nothing to change; any other is refused.
            var deleted: Set<[UInt8]>?
            for kb in fingerprints.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) where current[kb] == nil && !seen.contains(kb) {
                if deleted == nil {
                    deleted = Set(try snapshot.auditEntries(subject: subject).filter { $0.category == category.name && $0.action == "delete" }
                        .map { Array($0.recordKey.utf8) })
                }
                if deleted!.contains(kb) { continue }
                refuse(&plan, .importFingerprintUnknown, key: String(decoding: kb, as: UTF8.self),
                       "the bundle's fingerprints list a record that is neither in the store nor in the bundle; remove that line from the fingerprints file or export a new bundle")
            }
        }
    }

    /// Categories nothing may change in (possibly millions of records): a merge of the store's
    /// records and the bundle's, both in key order, in bounded memory. Any difference is refused.
    ///
    /// Both sides are compared as borrowed bytes (the store's row views, the copy's batches): no
    /// `Record` or `String` per record unless one is refused.
    mutating func ordered(_ reader: inout CopyReader, into plan: inout ImportPlan) throws {
        var pending = try reader.nextView()
        // The key of the last bundle record taken, as bytes (the view it came in is gone by then).
        var previous: [UInt8] = []
        var hasPrevious = false
        var outOfOrder = false
        let integer = integerKey
        // The fields compared: all of a bundle's, only those a bare partner file gives.
        let compared = layout.fields.indices.filter { given?[$0] != false }
        // Read once here: the loop below runs per record, and a method call on `self` from inside the
        // closures copied the whole diff each time (a fifth of a dry run's CPU).
        let keyIndex = self.keyIndex
        let spreadsheet = self.spreadsheet
        let plain = fileFields.isEmpty && redactor == nil
        // One store record against the bundle's records up to its key; `raw` gives the key, `shown` the values.
        func step(_ raw: RecordView, _ shownRecord: RecordView) throws {
            let storeKey = raw[keyIndex].bytes
            while let b = pending {
                let bk = b[keyIndex].bytes
                if hasPrevious, !previous.withUnsafeBufferPointer({ keyPrecedes($0, bk, integer: integer) }) {
                    refuse(&plan, .importOrder, key: Self.text(bk), "records of this category must stay in the exported order")
                    outOfOrder = true
                    return
                }
                if keyPrecedes(bk, storeKey, integer: integer) {
                    try refuseExtra(b.record(), &plan)
                    previous.removeAll(keepingCapacity: true)
                    previous.append(contentsOf: bk)
                    hasPrevious = true
                    pending = try reader.nextView()
                    continue
                }
                if Self.sameKey(bk, storeKey) {
                    if let i = compared.first(where: { !Self.same(shownRecord[$0], b[$0], spreadsheet: spreadsheet) }) {
                        refuse(&plan, .importNotRectifiable, key: Self.text(bk), field: layout.fields[i].name,
                               "this field cannot be corrected through an import", asked: b[i].value.text)
                    }
                    previous.removeAll(keepingCapacity: true)
                    previous.append(contentsOf: bk)
                    hasPrevious = true
                    pending = try reader.nextView()
                    return
                }
                break
            }
            if !keepsMissing {
                refuse(&plan, .importDeleteNotAllowed, key: Self.text(storeKey), "records cannot be removed from this category")
            }
        }
        try snapshot.forEachRecordView(subject: subject, in: category, fields: layout.fields) { raw in
            guard !outOfOrder else { return }
            if plain {
                try step(raw, raw)
            } else {
                let shownRecord = try shown(raw.record())
                try RecordView.withView(of: shownRecord) { try step(raw, $0) }
            }
        }
        while !outOfOrder, let b = pending {
            try refuseExtra(b.record(), &plan)
            pending = try reader.nextView()
        }
    }

    /// A key's text (NULL reads as the empty key, as `key(_:)` reads it).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Whether two keys are equal as `String ==` says (the ordered diff always compared them so):
    /// equal bytes are; different ASCII bytes are not; anything else is left to `String`.
    static func sameKey(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.count == b.count, ValueView.same(ValueView(start: a.baseAddress, count: a.count), ValueView(start: b.baseAddress, count: b.count)) {
            return true
        }
        if CanonicalCheck.isASCII(a) && CanonicalCheck.isASCII(b) { return false }
        return text(a) == text(b)
    }

    /// `same` on borrowed values: equal bytes, or (from a spreadsheet) what `same` allows.
    static func same(_ stored: ValueView, _ given: ValueView, spreadsheet: Bool) -> Bool {
        if ValueView.same(stored, given) { return true }
        guard spreadsheet else { return false }
        return same(stored.value, given.value, spreadsheet: true)
    }

    mutating func refuseExtra(_ record: Record, _ plan: inout ImportPlan) throws {
        let k = key(record)
        if storable(.text(k)), let owner = try snapshot.owner(of: k, in: category), owner != subject {
            refuse(&plan, .importForeignRecord, key: k, "the key belongs to another subject's record", askedValues: Self.values(record, layout))
        } else {
            refuse(&plan, .importInsertNotAllowed, key: k, "records cannot be added to this category", askedValues: Self.values(record, layout))
        }
    }
}
