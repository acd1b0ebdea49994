import SeqPortModel

/// Entry names inside a bundle.
public enum BundleLayout {
    public static let manifest = "manifest.json"
    /// The detached minisign signature of the manifest, when the bundle is signed.
    public static let signature = "manifest.json.minisig"
    public static let index = "index.html"
    public static let schemaDocument = "schema/seqport-schema.json"
    public static let xsd = "schema/bundle.xsd"

    public static func data(_ category: String, _ format: BundleFormat) -> String { "\(format.rawValue)/\(category).\(format.rawValue)" }
    public static func jsonSchema(_ category: String) -> String { "schema/json/\(category).schema.json" }
    public static func fingerprints(_ category: String) -> String { "fingerprints/\(category).csv" }
    /// The workbook holding every category as a sheet (`Specs/xlsx.md`).
    public static let workbook = "xlsx/data.xlsx"
    /// The subject's contact card (vCard 4.0, `Specs/vcard.md`).
    public static let contactCard = "vcard/contact.vcf"

    /// `files/<id>-<hash>/<name>`: the id and name reduced to safe characters, and the first 12 hex
    /// digits of the SHA-256 of the id's exact UTF-8 bytes, so ids that reduce to the same text (`a/b`
    /// and `a_b`) or differ only by case (`X` and `x`) still get folders of their own that differ in more
    /// than case. The export checks that no two of a subject's files share a folder anyway.
    public static func attachment(id: String, name: String) -> String {
        "files/\(safe(String(id.unicodeScalars.prefix(64))))-\(sha256Hex(Array(id.utf8)).prefix(12))/\(safe(name))"
    }

    /// Keeps ASCII letters, digits, `.`, `-`, `_`; anything else becomes `_`; never `.` or `..`.
    public static func safe(_ s: String) -> String {
        var out = String(s.unicodeScalars.prefix(120).map { c -> Character in
            (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_")) ? Character(c) : "_"
        })
        if out.isEmpty || out.allSatisfy({ $0 == "." }) { out = "_" + out }
        return out
    }

    /// The bundle's file name for a subject and scope: `seqport-<id>-<scope>.zip`.
    public static func bundleName(subject: String, scope: Scope) -> String { "seqport-\(safe(subject))-\(scope.rawValue).zip" }
}

extension BundleLayout {
    /// Entries the manifest does not list: the manifest, its detached signature, and folder entries
    /// (which a subject's zip tool adds when it packs an unzipped bundle again).
    public static func isUnlisted(_ name: String) -> Bool { name == manifest || name == signature || name.hasSuffix("/") || isSystemLitter(name) }

    /// What operating systems add when they zip a folder, which is never part of a bundle: macOS resource
    /// forks (`__MACOSX/`, `._name`) and Finder files, Windows thumbnail and folder settings.
    public static func isSystemLitter(_ name: String) -> Bool {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return name.hasPrefix("__MACOSX/") || base.hasPrefix("._") || base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini"
    }
}
