import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortXML

/// A bundle opened for reading: the strict ZIP reader plus the manifest, schema and XSD inside.
struct OpenedBundle {
    let path: String
    let zip: ZipReader

    /// Opens the bundle; `passphrase` decrypts an encrypted one (`Specs/encryption.md`).
    init(path: String, zipLimits: ZipLimits, passphrase: String? = nil) throws {
        self.path = path
        zip = try ZipReader(path: path, limits: zipLimits, passphrase: passphrase)
        // A wrong passphrase is refused here (`zip.wrong-passphrase`, naming the entry), not reported
        // later as an unreadable manifest.
        if passphrase != nil, let first = zip.entries.first(where: \.isEncrypted) { _ = try zip.open(first) }
    }

    func bytes(_ name: String, maxBytes: Int = 64 << 20) throws -> [UInt8] {
        guard let entry = zip.entry(named: name) else {
            throw SeqPortError(.bundleMissing, "the bundle has no such entry", at: SourceLocation(entry: name))
        }
        return try zip.readAll(entry, maxBytes: maxBytes)
    }

    func manifest() throws -> Manifest {
        let m = try Manifest.decode(try bytes(BundleLayout.manifest))
        guard m.format == Manifest.formatName else {
            throw SeqPortError(.bundleVersion, "not a seqport bundle (format \"\(m.format.prefix(40))\")", at: SourceLocation(entry: BundleLayout.manifest))
        }
        guard m.formatVersion.split(separator: ".").first == "1" else {
            throw SeqPortError(.bundleVersion, "bundle format version \(m.formatVersion.prefix(20)) is not supported (1.x is)", at: SourceLocation(entry: BundleLayout.manifest))
        }
        return m
    }

    func schema(_ manifest: Manifest) throws -> Schema {
        do {
            return try Schema.decode(Data(try bytes(BundleLayout.schemaDocument)))
        } catch let e as SeqPortError {
            throw SeqPortError(.bundleSchema, e.message, at: SourceLocation(entry: BundleLayout.schemaDocument))
        }
    }

    /// Checks the manifest's signature with a trusted key; throws `signature.*` saying what failed.
    func checkSignature(_ key: Minisign.PublicKey) throws {
        guard zip.entry(named: BundleLayout.signature) != nil else {
            throw SeqPortError(.signatureMissing, "the bundle is not signed, but a trusted key was given", at: SourceLocation(entry: BundleLayout.signature))
        }
        let signature = String(decoding: try bytes(BundleLayout.signature, maxBytes: 4096), as: UTF8.self)
        do {
            try Minisign.verify(try bytes(BundleLayout.manifest), signature: signature, key: key)
        } catch let e as SeqPortError {
            throw e.within(entry: BundleLayout.signature)
        }
    }

    func xsd() throws -> XMLSchema { try XMLSchema(xsd: try bytes(BundleLayout.xsd)) }
}

extension BundleLayout {
    /// Entries the manifest does not list: the manifest, its detached signature, and folder entries
    /// (which a subject's zip tool adds when it packs an unzipped bundle again).
    static func isUnlisted(_ name: String) -> Bool { name == manifest || name == signature || name.hasSuffix("/") }
}
