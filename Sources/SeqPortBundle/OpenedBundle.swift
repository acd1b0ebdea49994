import Foundation
import SeqPortArchive
import SeqPortModel

/// A bundle opened for reading: the strict ZIP reader plus the manifest, schema and XSD inside.
public struct OpenedBundle {
    public let path: String
    public let zip: ZipReader

    /// The top folder the bundle was found in (`seqport-s-00001-access/`), when an operating system's
    /// "compress this folder" put every entry under one; nil when `manifest.json` is at the top.
    public let folder: String?

    /// Opens the bundle; `passphrase` decrypts an encrypted one (`Specs/encryption.md`).
    ///
    /// Bundles come back as operating systems zip them (`Specs/bundle.md`, "Returned bundles"): `\` as a
    /// separator is read as `/` when the path it makes is safe, and a bundle whose entries all sit under
    /// one top folder is read as if that folder were the root.
    public init(path: String, zipLimits: ZipLimits, passphrase: String? = nil) throws {
        self.path = path
        var limits = zipLimits
        limits.acceptsBackslashSeparators = true
        zip = try ZipReader(path: path, limits: limits, passphrase: passphrase)
        folder = Self.topFolder(zip)
        if let folder { zip.reroot(under: folder) }
        // A wrong passphrase is refused here (`zip.wrong-passphrase`, naming the entry), not reported
        // later as an unreadable manifest.
        if passphrase != nil, let first = zip.entries.first(where: \.isEncrypted) { _ = try zip.open(first) }
    }

    /// The one top folder holding `manifest.json` and every other entry but what operating systems add
    /// (`__MACOSX/`, `.DS_Store`, `Thumbs.db`, `desktop.ini`), when there is no `manifest.json` at the top.
    public static func topFolder(_ zip: ZipReader) -> String? {
        guard zip.entry(named: BundleLayout.manifest) == nil else { return nil }
        let names = zip.entries.map(\.name).filter { !BundleLayout.isSystemLitter($0) }
        guard let first = names.first, let slash = first.firstIndex(of: "/") else { return nil }
        let folder = String(first[...slash])
        guard names.allSatisfy({ $0.hasPrefix(folder) }), zip.entry(named: folder + BundleLayout.manifest) != nil else { return nil }
        return folder
    }

    public func bytes(_ name: String, maxBytes: Int = 64 << 20) throws -> [UInt8] {
        guard let entry = zip.entry(named: name) else {
            if name == BundleLayout.manifest {
                throw SeqPortError(.bundleMissing, "the archive has no manifest.json at its top or in one top folder; zip the unzipped bundle folder as a whole (manifest.json, index.html, json/, csv/, xml/ … inside it) and send that",
                                   at: SourceLocation(entry: name))
            }
            throw SeqPortError(.bundleMissing, "the bundle has no such entry", at: SourceLocation(entry: name))
        }
        return try zip.readAll(entry, maxBytes: maxBytes)
    }

    public func manifest() throws -> Manifest {
        let m = try Manifest.decode(try bytes(BundleLayout.manifest))
        guard m.format == Manifest.formatName else {
            throw SeqPortError(.bundleVersion, "not a seqport bundle (format \"\(m.format.prefix(40))\")", at: SourceLocation(entry: BundleLayout.manifest))
        }
        guard m.formatVersion.split(separator: ".").first == "1" else {
            throw SeqPortError(.bundleVersion, "bundle format version \(m.formatVersion.prefix(20)) is not supported (1.x is)", at: SourceLocation(entry: BundleLayout.manifest))
        }
        return m
    }

    public func schema(_ manifest: Manifest) throws -> Schema {
        do {
            return try Schema.decode(Data(try bytes(BundleLayout.schemaDocument)))
        } catch let e as SeqPortError {
            throw SeqPortError(.bundleSchema, e.message, at: SourceLocation(entry: BundleLayout.schemaDocument))
        }
    }

    /// Checks the manifest's signature with a trusted key; throws `signature.*` saying what failed.
    public func checkSignature(_ key: Minisign.PublicKey) throws {
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

    /// Whether an entry's bytes differ from what the manifest lists for it (size or SHA-256), or it is not
    /// listed: the subject edited it.
    public func differsFromManifest(_ path: String, listed: [String: Manifest.FileEntry]) throws -> Bool {
        guard let listedEntry = listed[path], let entry = zip.entry(named: path) else { return true }
        let sink = DigestSink()
        try copy(try zip.open(entry), to: sink)
        return sink.count != listedEntry.bytes || sink.finalize() != listedEntry.sha256
    }

    /// Each registered format's bundle schema (`FormatDescriptor.validation`: the XSD), compiled once,
    /// by format name; a format whose document is missing or does not compile reads without one.
    public func compiledSchemas() -> [String: FormatDescriptor.CompiledSchema] {
        var out: [String: FormatDescriptor.CompiledSchema] = [:]
        for format in FormatRegistry.all {
            guard let validation = format.validation, let document = try? bytes(validation.path) else { continue }
            out[format.name] = try? validation.compile(document)
        }
        return out
    }
}
