import Foundation
import SeqPortBundle
import SeqPortJSON
import SeqPortModel

/// What `import` reads of a bundle's `manifest.json` (`Specs/bundle.md`, "What import reads").
///
/// Import takes every rule and fact from the store's schema, so a manifest needs only what the store
/// cannot know: `format`, `formatVersion`, `subject`, `scope`, and `categories` with each one's `name`
/// and `files`. A hand-made partner manifest may stop there; an exported manifest carries the rest, which
/// must then be of the right type. Every missing or wrong key is reported in one run, each with its JSON
/// path (an `ErrorList` of `bundle.manifest`; one problem alone is thrown as it is).
///
/// ```json
/// { "format": "seqport-bundle", "formatVersion": "1.1", "subject": "s-00042", "scope": "access",
///   "categories": [ { "name": "contact", "files": { "csv": "csv/contact.csv" } } ] }
/// ```
struct ImportManifest {
    struct CategoryEntry {
        var name: String
        /// The category's copies, by format (`json`, `csv`, `xml`, and `xlsx` for the workbook).
        var files: [String: String]
        var fingerprints: String?
        var sheets: [String]?
    }

    var subject: String
    var scope: Scope
    /// The schema the bundle was made for; nil in a partner manifest (the store's).
    var schemaName: String?
    var categories: [CategoryEntry]
    /// Every entry's size and SHA-256; nil in a partner manifest that lists none.
    var files: [Manifest.FileEntry]?

    /// Whether the manifest lists its entries with checksums (`files`), as an exported one does.
    var hasChecksums: Bool { files != nil }

    /// The entries the manifest names: `files`, or without it the copies and fingerprints of its categories.
    var listedPaths: Set<String> {
        if let files { return Set(files.map(\.path)) }
        return Set(categories.flatMap { c in Array(c.files.values) + (c.fingerprints.map { [$0] } ?? []) })
    }

    /// Reads `manifest.json`: strict JSON with no member twice, `format` `seqport-bundle` 1.x, then every
    /// key checked and every problem collected. `has` says whether the archive holds an entry: a
    /// manifest without `files` must name only entries that are there.
    static func read(_ bytes: [UInt8], has: (String) -> Bool) throws -> ImportManifest {
        let here = SourceLocation(entry: BundleLayout.manifest)
        do {
            try JSONDuplicateKeyCheck.check(MemorySource(bytes))
        } catch let e as SeqPortError where e.code == .jsonDuplicateKey {
            throw e.within(entry: BundleLayout.manifest)
        } catch let e as SeqPortError {
            var location = e.location
            location.entry = BundleLayout.manifest
            throw SeqPortError(.bundleManifest, "not valid JSON: \(e.message)", at: location)
        }
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), case .object(let top) = document else {
            throw SeqPortError(.bundleManifest, "not a JSON object", at: here)
        }
        // Not a seqport bundle, or a version this reader does not know: nothing else is worth checking.
        if case .string(let format)? = top["format"], format != Manifest.formatName {
            throw SeqPortError(.bundleVersion, "not a seqport bundle (format \"\(format.prefix(40))\")", at: here)
        }
        if case .string(let version)? = top["formatVersion"], version.split(separator: ".", omittingEmptySubsequences: false).first != "1" {
            throw SeqPortError(.bundleVersion, "bundle format version \(version.prefix(20)) is not supported (1.x is)", at: here)
        }
        var check = ManifestCheck()
        // Keys of a later 1.x are let through; those of 1.0 and 1.1, which this reader knows, are not.
        if case .string(let version)? = top["formatVersion"], !["1.0", "1.1"].contains(version) { check.knowsEveryKey = false }
        check.keys(top, at: "$", ManifestCheck.topKeys)
        let subject = check.name(top["subject"], at: "$.subject")
        var scope: Scope?
        if case .string(let s)? = top["scope"] {
            scope = Scope(rawValue: s)
            if scope == nil { check.fail("$.scope", "must be \"access\" or \"portability\"") }
        }
        var schemaName: String?
        if case .object(let schema)? = top["schema"] {
            check.keys(schema, at: "$.schema", ManifestCheck.schemaKeys)
            if schema["name"] != nil { schemaName = check.name(schema["name"], at: "$.schema.name") }
        }
        if case .number(let days)? = top["retentionDays"], days < 0 { check.fail("$.retentionDays", "is negative") }

        var files: [Manifest.FileEntry]?
        if case .array(let list)? = top["files"] {
            var paths = Set<String>()
            files = []
            for (i, item) in list.enumerated() {
                let at = "$.files[\(i)]"
                guard case .object(let f) = item else { check.fail(at, "must be an object with path, bytes and sha256"); continue }
                check.keys(f, at: at, ManifestCheck.fileKeys)
                let path = check.name(f["path"], at: at + ".path", maxBytes: 1024)
                if let path, !paths.insert(path).inserted { check.fail(at + ".path", "entry \"\(path)\" is listed twice; list each entry once") }
                var bytes: Int?
                if case .number(let n)? = f["bytes"] {
                    if n < 0 { check.fail(at + ".bytes", "is negative") } else { bytes = Int(exactly: n) }
                }
                var sha: String?
                if case .string(let s)? = f["sha256"] {
                    if s.utf8.count == 64, s.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) { sha = s } else {
                        check.fail(at + ".sha256", "is not 64 lowercase hexadecimal digits")
                    }
                }
                var mediaType: String?
                if case .string(let m)? = f["mediaType"] { mediaType = m }
                if let path, let bytes, let sha { files?.append(.init(path: path, bytes: bytes, sha256: sha, mediaType: mediaType)) }
            }
        }

        var categories: [CategoryEntry] = []
        if case .array(let list)? = top["categories"] {
            var names = Set<String>()
            for (i, item) in list.enumerated() {
                let at = "$.categories[\(i)]"
                guard case .object(let c) = item else { check.fail(at, "must be an object with name and files"); continue }
                check.keys(c, at: at, ManifestCheck.categoryKeys)
                let name = check.name(c["name"], at: at + ".name", maxBytes: 64)
                if let name, !names.insert(name).inserted { check.fail(at + ".name", "category \"\(name)\" is listed twice; list each category once") }
                for key in ["records"] { if case .number(let n)? = c[key], n < 0 { check.fail("\(at).\(key)", "is negative") } }
                var copies: [String: String] = [:]
                if case .object(let map)? = c["files"] {
                    if map.isEmpty { check.fail(at + ".files", "names no copy; give at least one, such as {\"csv\": \"csv/\(name ?? "<category>").csv\"}") }
                    for (format, value) in map.sorted(by: { $0.key < $1.key }) {
                        let path = "\(at).files.\(TerminalText.escape(String(format.prefix(64))))"
                        guard FormatRegistry.readBack.contains(where: { $0.name == format }) else {
                            check.fail(path, "is not a copy's format (\(FormatRegistry.readBackNames))")
                            continue
                        }
                        guard let entry = check.name(value, at: path, maxBytes: 1024, typeChecked: false) else { continue }
                        if let name, let expected = Self.copyPath(format: format, category: name), entry != expected {
                            check.fail(path, "must be \"\(expected)\": import reads each copy from its place in the bundle")
                            continue
                        }
                        copies[format] = entry
                        if top["files"] == nil, !has(entry) { check.fail(path, "names \(entry), which the archive does not hold") }
                    }
                }
                var fingerprints: String?
                if c["fingerprints"] != nil { fingerprints = check.name(c["fingerprints"], at: at + ".fingerprints", maxBytes: 1024) }
                var sheets: [String]?
                if case .array(let s)? = c["sheets"] { sheets = s.compactMap { if case .string(let t) = $0 { return t } else { return nil } } }
                if let name { categories.append(.init(name: name, files: copies, fingerprints: fingerprints, sheets: sheets)) }
            }
        }
        if !check.problems.isEmpty { throw ErrorList(check.problems).thrown }
        // Every required key was there and right, so these are set.
        guard let subject, let scope else { throw SeqPortError(.internalError, "manifest check let a missing key through", at: here) }
        return ImportManifest(subject: subject, scope: scope, schemaName: schemaName, categories: categories, files: files)
    }

    /// Where a category's copy in `format` sits in a bundle; nil for a format a bundle has no copy in.
    static func copyPath(format: String, category: String) -> String? {
        FormatRegistry.readBack.first { $0.name == format }?.bundlePath(category: category)
    }
}

/// Collects a manifest's problems: keys missing, of the wrong type, or unknown, each by its JSON path.
private struct ManifestCheck {
    enum Kind: String {
        case string = "a string", integer = "a whole number", boolean = "true or false", object = "an object", array = "an array"
        case strings = "an array of strings"
    }

    /// Key, kind, and whether import needs it.
    typealias Keys = [(String, Kind, Bool)]

    static let topKeys: Keys = [
        ("format", .string, true), ("formatVersion", .string, true), ("subject", .string, true), ("scope", .string, true),
        ("categories", .array, true), ("generator", .string, false), ("generatedAt", .string, false), ("language", .string, false),
        ("expiresAt", .string, false), ("retentionDays", .integer, false), ("controller", .object, false), ("schema", .object, false),
        ("art15", .object, false), ("files", .array, false), ("notes", .strings, false),
    ]
    static let schemaKeys: Keys = [("name", .string, false), ("version", .string, false), ("path", .string, false)]
    static let fileKeys: Keys = [("path", .string, true), ("bytes", .integer, true), ("sha256", .string, true), ("mediaType", .string, false)]
    static let categoryKeys: Keys = [
        ("name", .string, true), ("files", .object, true), ("title", .string, false), ("description", .string, false),
        ("records", .integer, false), ("fingerprints", .string, false), ("attachments", .strings, false), ("purposes", .strings, false),
        ("legalBasis", .strings, false), ("recipients", .strings, false), ("retention", .string, false), ("source", .string, false),
        ("rectifiable", .strings, false), ("allowInsert", .boolean, false), ("allowDelete", .boolean, false), ("redactions", .array, false),
        ("sheets", .strings, false), ("terms", .object, false), ("automated", .array, false),
    ]

    var problems: [SeqPortError] = []
    var knowsEveryKey = true

    mutating func fail(_ path: String, _ message: String) {
        problems.append(SeqPortError(.bundleManifest, "\(path): \(message)", at: SourceLocation(entry: BundleLayout.manifest)))
    }

    /// Each key of `keys` present with its kind, each needed one present, no other key (in a known version).
    mutating func keys(_ object: [String: JSONValue], at path: String, _ keys: Keys) {
        for (key, kind, needed) in keys {
            guard let value = object[key] else {
                if needed { fail("\(path).\(key)", "is missing") }
                continue
            }
            if !Self.matches(value, kind) { fail("\(path).\(key)", "must be \(kind.rawValue)") }
        }
        guard knowsEveryKey else { return }
        let known = Set(keys.map(\.0))
        for key in object.keys.sorted() where !known.contains(key) {
            fail("\(path).\(TerminalText.escape(String(key.prefix(64))))", "is not a key of a manifest here (\(keys.map(\.0).joined(separator: ", ")))")
        }
    }

    /// An id or name: a non-empty string of at most `maxBytes` bytes without control characters; nil (and
    /// a problem) otherwise. A missing value, and a mistyped one when `typeChecked`, was reported by `keys`.
    mutating func name(_ value: JSONValue?, at path: String, maxBytes: Int = 256, typeChecked: Bool = true) -> String? {
        guard case .string(let s)? = value else {
            if value != nil, !typeChecked { fail(path, "must be a string") }
            return nil
        }
        guard !s.isEmpty else { fail(path, "is empty"); return nil }
        guard s.utf8.count <= maxBytes else { fail(path, "is longer than \(maxBytes) bytes"); return nil }
        guard !s.unicodeScalars.contains(where: TerminalText.isUnsafe) else {
            fail(path, "holds a control or bidirectional-formatting character, which no id or name may hold")
            return nil
        }
        return s
    }

    static func matches(_ value: JSONValue, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string), (.boolean, .bool), (.object, .object), (.array, .array): return true
        case (.integer, .number(let n)): return n.rounded() == n && abs(n) < 9.0e15
        case (.strings, .array(let items)): return items.allSatisfy { if case .string = $0 { return true } else { return false } }
        default: return false
        }
    }
}

/// Any JSON value, for reading a document whose keys are checked one by one.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) { self = .string(s) } else if let a = try? c.decode([JSONValue].self) { self = .array(a) } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }
}
