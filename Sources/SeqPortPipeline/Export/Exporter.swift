import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortPage
import SeqPortCSV
import SeqPortModel
import SeqPortStore

/// Options for one export; every default is documented in `seqport export --help`.
public struct ExportOptions: Sendable {
    public var scope: Scope = .access
    /// The generation time written into the manifest and the ZIP entries; `nil` means now.
    /// Fix it to get byte-identical bundles from the same data.
    public var generatedAt: Date?
    /// The page language; `nil` means the configuration's.
    public var language: String?
    /// Deflate level for every entry, 1 (fast) to 9 (small), as zlib counts; nil for `BundleLevels`' choice
    /// per part (5 for the JSON and CSV copies, 4 for the workbook, 6 for the rest).
    public var compressionLevel: Int32?
    /// Threads compressing in parallel; the number of cores by default.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    /// How many records of each category the page shows before linking to the full files.
    public var previewRows: Int = 50
    /// Signs `manifest.json` into `manifest.json.minisig` when set (`Specs/signing.md`).
    public var signingKey: Minisign.SecretKey?
    /// Encrypts every entry, the manifest included, with WinZip AES-256 (AE-2) under this passphrase
    /// when set (`Specs/encryption.md`). Entry names stay visible, and the bundle is no longer
    /// byte-identical across runs (every entry gets a random salt). Never stored anywhere by seqport.
    public var passphrase: String?
    /// `fsync` the folder after the bundle's rename, so the new name survives a power loss. Default
    /// true. A batch turns it off and syncs its folder once at the end (`Specs/batch.md`); the
    /// bundle's own bytes are always synced before the rename.
    public var syncDirectory: Bool = true
    /// The bundle's file mode: `nil` for private (0600 less the umask), or exactly this mode
    /// (`--mode`, to share bundles on purpose).
    public var fileMode: mode_t?

    public init() {}

    /// The options `seqport export` maps its arguments to, for one subject or each bundle of a batch;
    /// nil keeps a default (`workers`: the number of cores).
    public init(scope: Scope, generatedAt: Date?, language: String?, compressionLevel: Int32?, workers: Int? = nil,
                fileMode: mode_t?, signingKey: Minisign.SecretKey?) {
        self.scope = scope
        self.generatedAt = generatedAt
        self.language = language
        self.compressionLevel = compressionLevel
        if let workers { self.workers = workers }
        self.fileMode = fileMode
        self.signingKey = signingKey
    }

    /// A new random passphrase for `passphrase`: 140 bits as 28 base32 characters in groups of four
    /// (`abcd-efgh-…`), to deliver to the subject separately from the bundle.
    public static func generatePassphrase() -> String { ZipEncryption.generatePassphrase() }
}

/// What an export wrote (printed by `seqport export --json`).
public struct ExportResult: Codable, Sendable {
    public var path: String
    public var subject: String
    public var scope: Scope
    /// Size of the ZIP file.
    public var bytes: Int
    /// Total uncompressed size of the entries.
    public var uncompressedBytes: Int
    public var entries: Int
    public var records: [String: Int]
}

/// Exports one subject's records as a bundle (`Specs/bundle.md`): one pass over one consistent
/// snapshot of the store, every category streamed into its JSON, CSV and XML copies at once,
/// compressed in parallel, written under a temporary name and renamed only when complete.
/// Use one exporter from one thread at a time (a batch gives each worker its own).
public final class Exporter {
    public let store: any Store
    public let configuration: Configuration
    /// The schema documents depend only on the schema and the scope: made, hashed and compressed once per
    /// exporter and compression setting, then copied into each bundle (a batch exports thousands with one
    /// exporter per worker). The copies are the bytes compressing them again would give.
    private var artifacts: [String: [CompressedArtifact]] = [:]

    /// What every bundle of this exporter with one scope and language holds alike, made once: the page's
    /// sections that name no subject, the manifest's Art. 15 facts, the schema cut to the scope.
    private let pageSections = PageSectionCache()
    private var art15: [String: Manifest.Art15Facts] = [:]
    private var exportedSchemas: [Scope: Schema] = [:]

    struct CompressedArtifact {
        var path: String
        var entry: PrecompressedEntry
        var sha256: String
    }

    /// Small entries compressed once for many bundles (a batch sets one for all its jobs): what every
    /// bundle holds alike is copied instead of compressed again. Nil for a single export.
    public var compressionCache: CompressionCache?

    public init(store: any Store, configuration: Configuration, compressionCache: CompressionCache? = nil) {
        self.store = store
        self.configuration = configuration
        self.compressionCache = compressionCache
    }

    func schemaArtifacts(_ schema: Schema, scope: Scope, zip: ZipWriter.Options) throws -> [CompressedArtifact] {
        let key = "\(scope.rawValue) \(zip.level) \(zip.engine.rawValue) \(zip.chunkSize)"
        if let cached = artifacts[key] { return cached }
        let made = try SchemaArtifacts.bundleEntries(for: schema, scope: scope).map {
            CompressedArtifact(path: $0.path, entry: try PrecompressedEntry($0.bytes, options: zip), sha256: sha256Hex($0.bytes))
        }
        artifacts[key] = made
        return made
    }

    /// Writes `<directory>/seqport-<subject>-<scope>.zip` and returns what it wrote.
    public func export(subject: String, to directory: String, options: ExportOptions = ExportOptions()) throws -> ExportResult {
        let pending = try exportPending(subject: subject, to: directory, options: options)
        try pending.commit(syncDirectory: options.syncDirectory)
        return pending.result
    }

    /// A complete bundle still under its temporary name: `commit` syncs it and gives it its name.
    /// A batch hands the commit to another thread, so the disk syncs while the next subject is read.
    public final class PendingExport {
        public let result: ExportResult
        let file: AtomicFile

        init(result: ExportResult, file: AtomicFile) {
            self.result = result
            self.file = file
        }

        /// `fsync`s the bundle and renames it to `result.path` (and syncs the folder when asked).
        /// Without it the temporary file is removed when this object goes away.
        public func commit(syncDirectory: Bool) throws { try file.commit(syncDirectory: syncDirectory) }
    }

    /// 9999-12-31T23:59:59Z, the last instant a manifest timestamp can name.
    public static let lastTimestamp: Int64 = 253_402_300_799

    /// Writes the whole bundle under a temporary name next to its final path; see `PendingExport`.
    public func exportPending(subject: String, to directory: String, options: ExportOptions = ExportOptions()) throws -> PendingExport {
        let schema = store.schema
        let scope = options.scope
        let generatedAt = options.generatedAt ?? Date()
        let epoch = Int64(generatedAt.timeIntervalSince1970.rounded(.down))
        // RFC 3339 timestamps have four-digit years: an expiry past 9999 could not be written (nor pruned).
        guard epoch + Int64(configuration.retentionDays) * 86_400 <= Self.lastTimestamp else {
            throw SeqPortError(.usage, "the generation time plus the retention (\(configuration.retentionDays) days) is past the year 9999")
        }
        let language = options.language ?? configuration.language
        try Directory.create(directory)
        let finalPath = (directory as NSString).appendingPathComponent(BundleLayout.bundleName(subject: subject, scope: scope))

        let file = try AtomicFile(finalPath: finalPath, mode: options.fileMode)
        var zipOptions = ZipWriter.Options()
        let levels = BundleLevels(forced: options.compressionLevel)
        zipOptions.level = levels.other
        zipOptions.workers = max(1, options.workers)
        // Four chunks in flight keep two cores busy; the workbook's own deflate thread holds two more,
        // and eight here put the 1M export's peak RSS at 63.5–64.1 MiB.
        zipOptions.maxInFlightChunks = 4
        zipOptions.spoolDirectory = directory
        zipOptions.setModificationDate(generatedAt)
        zipOptions.encryption = options.passphrase.map { ZipEncryption(passphrase: $0) }
        zipOptions.cache = compressionCache
        let zip = ZipWriter(sink: file.sink, options: zipOptions)
        var listed: [Manifest.FileEntry] = []
        var categories: [Manifest.CategoryEntry] = []
        var previews: [PagePreview] = []
        var notes: [String] = []
        // The workbook and the contact card: one entry each for the whole bundle, made by their formats.
        var shared: [any SharedEntryWriter] = []

        do {
            try store.withSnapshot { snap in
                guard try snap.subjectExists(subject) else {
                    throw SeqPortError(.subjectUnknown, "no subject with that id in the store")
                }
                let context = SharedEntryContext(
                    subject: subject, scope: scope, schema: schema, generatedAt: generatedAt, spoolDirectory: directory,
                    level: levels.other, cache: compressionCache,
                    records: { category, layout, body in try snap.forEachRecord(subject: subject, in: category, fields: layout.fields, body) },
                    file: { id in try snap.file(id: id, subject: subject).map { ($0.mediaType, $0.content) } })
                shared = try FormatRegistry.all.compactMap { format in
                    var context = context
                    context.level = levels.level(of: format)
                    return try format.sharedWriter?(context)
                }
                var attachments: [String: (id: String, mediaType: String)] = [:]
                for category in schema.categories where category.isExported(scope: scope) {
                    let result = try exportCategory(category, subject: subject, scope: scope, snapshot: snap, zip: zip,
                                                    previewRows: options.previewRows, language: language, attachments: &attachments,
                                                    shared: shared, levels: levels.copies)
                    listed += result.listed
                    categories.append(result.entry)
                    previews.append(result.preview)
                }
                for entry in shared {
                    let output = try entry.finish(into: zip)
                    listed += output.files
                    notes += output.notes
                }
                // Two files in one folder, or in folders that differ only by case, would lose one of them on
                // extraction (a 48-bit hash collision between one subject's file ids): refuse, never drop.
                var folders: [String: String] = [:]
                for (path, file) in attachments {
                    let folder = path.split(separator: "/").dropLast().joined(separator: "/").lowercased()
                    if let other = folders.updateValue(file.id, forKey: folder), other != file.id {
                        throw SeqPortError(.internalError, "two files of this subject would share one folder", at: SourceLocation(entry: path))
                    }
                }
                for (path, file) in attachments.sorted(by: { $0.key < $1.key }) {
                    guard let stored = try snap.file(id: file.id, subject: subject) else {
                        throw SeqPortError(.storeBadData, "a record refers to a file that is not in the store", at: SourceLocation(entry: path))
                    }
                    listed.append(try add(path, stored.content, to: zip, mediaType: stored.mediaType))
                }
            }

            let bundleSchema = exportedSchemas[scope] ?? SchemaArtifacts.exportedSchema(schema, scope: scope)
            exportedSchemas[scope] = bundleSchema
            let art15Key = "\(scope.rawValue) \(language)"
            let facts = art15[art15Key] ?? Manifest.Art15Facts(schema: schema, categories: schema.categories.filter { $0.isExported(scope: scope) },
                                                               language: language)
            art15[art15Key] = facts
            for artifact in try schemaArtifacts(bundleSchema, scope: scope, zip: zip.options) {
                try zip.addEntry(artifact.path, precompressed: artifact.entry)
                listed.append(.init(path: artifact.path, bytes: artifact.entry.size, sha256: artifact.sha256, mediaType: nil))
            }
            var manifest = Manifest(
                format: Manifest.formatName, formatVersion: Manifest.currentVersion, generator: "seqport \(seqportVersion)",
                subject: subject, generatedAt: ValueSyntax.timestamp(epochSeconds: epoch), scope: scope, language: language,
                expiresAt: ValueSyntax.timestamp(epochSeconds: epoch + Int64(configuration.retentionDays) * 86_400),
                retentionDays: configuration.retentionDays, controller: configuration.controller,
                schema: .init(name: schema.name, version: schema.version, path: BundleLayout.schemaDocument),
                categories: categories,
                art15: facts, files: [])
            let page = HTMLPage(manifest: manifest, schema: bundleSchema, previews: previews, language: language, files: listed,
                                encrypted: options.passphrase != nil, zone: configuration.zone, sections: pageSections).render()
            listed.append(try add(BundleLayout.index, page, to: zip))
            manifest.files = listed
            manifest.notes = notes.isEmpty ? nil : notes
            let manifestBytes = try manifest.encoded()
            try zip.addEntry(BundleLayout.manifest, bytes: manifestBytes)
            if let key = options.signingKey {
                let signature = try Minisign.sign(manifestBytes, with: key, trustedComment: "timestamp:\(epoch)\tfile:\(BundleLayout.manifest)")
                try zip.addEntry(BundleLayout.signature, bytes: Array(signature.utf8))
            }
            try zip.finish()
            let result = ExportResult(
                path: finalPath, subject: subject, scope: scope, bytes: Int(zip.bytesWritten),
                uncompressedBytes: listed.reduce(manifestBytes.count) { $0 + $1.bytes }, entries: listed.count + 1,
                records: Dictionary(uniqueKeysWithValues: categories.map { ($0.name, $0.records) }))
            return PendingExport(result: result, file: file)
        } catch {
            file.abort()
            throw error
        }
    }

    struct CategoryResult {
        var listed: [Manifest.FileEntry]
        var entry: Manifest.CategoryEntry
        var preview: PagePreview
    }

    /// Streams one category into its three copies (and fingerprints), one record at a time.
    func exportCategory(_ category: Category, subject: String, scope: Scope, snapshot snap: any StoreSnapshot, zip: ZipWriter,
                        previewRows: Int, language: String, attachments: inout [String: (id: String, mediaType: String)],
                        shared: [any SharedEntryWriter], levels: [BundleFormat: Int32] = [:]) throws -> CategoryResult {
        let layout = category.layout(scope: scope)
        let outputs = HashedEntries(zip)
        var writers = try outputs.copies(of: category.name, layout: layout, levels: levels)
        // The category's sheet of the workbook gets exactly what the three copies get.
        for entry in shared {
            if let writer = try entry.beginCategory(category, layout: layout) { writers.append(writer) }
        }
        var fingerprints: Fingerprints?
        if category.isEditable {
            fingerprints = Fingerprints(writer: CSVWriter(layout: Fingerprints.layout, sink: try outputs.begin(BundleLayout.fingerprints(category.name))),
                                        keyIndex: layout.index(of: category.store.key)!)
        }
        let fileIndexes = layout.fields.indices.filter { layout.fields[$0].type == .file }
        var count = 0
        var preview = PagePreview(category: category.name, layout: layout, rows: [], total: 0)
        // By the id's bytes: `String ==` would take canonically equivalent ids for one file.
        var resolved: [[UInt8]: String] = [:]
        let redactor = Redactor(layout: layout)
        var redacted = [Int](repeating: 0, count: redactor?.fields.count ?? 0)
        // Records that need no change (no fingerprint, file reference or redaction) and are past the
        // page's preview go from the store's bytes straight into the writers: no `String` per value.
        let needsRecord = fingerprints != nil || !fileIndexes.isEmpty || redactor != nil
        try snap.forEachRecordView(subject: subject, in: category, fields: layout.fields) { view in
            if !needsRecord && preview.rows.count >= previewRows {
                for w in writers.indices { try writers[w].write(view) }
                count += 1
                preview.observe(view)
                return
            }
            var record = view.record()
            try fingerprints?.add(record)  // over the store's values, before file ids become bundle paths
            for i in fileIndexes {
                guard case .text(let id) = record[i] else { continue }
                if let path = resolved[Array(id.utf8)] {
                    record[i] = .text(path)
                    continue
                }
                guard let stored = try snap.file(id: id, subject: subject) else {
                    throw SeqPortError(.storeBadData, "a record refers to a file that is not in the store",
                                       at: SourceLocation(entry: category.name, record: count + 1, field: layout.fields[i].name))
                }
                let path = BundleLayout.attachment(id: id, name: stored.name)
                resolved[Array(id.utf8)] = path
                attachments[path] = (id, stored.mediaType)
                record[i] = .text(path)
            }
            redactor?.apply(&record, counts: &redacted)
            for w in writers.indices { try writers[w].write(record) }
            count += 1
            if preview.rows.count < previewRows { preview.rows.append(record) }
            preview.observe(record)
        }
        for w in writers.indices { try writers[w].finish() }
        try fingerprints?.finish()
        let listed = try outputs.finish()
        preview.total = count
        var entry = Manifest.CategoryEntry(
            category: category, layout: layout, schema: store.schema, language: language, records: count, attachments: resolved.values.sorted(),
            redactions: redactor.map { r in
                r.fields.enumerated().map { Manifest.RedactionNote(field: $1.name, values: redacted[$0], reason: $1.redaction.text("reason", in: language)) }
            })
        entry.sheets = shared.lazy.compactMap { $0.partsOfLastCategory() }.first
        return CategoryResult(listed: listed, entry: entry, preview: preview)
    }

    func add(_ path: String, _ bytes: [UInt8], to zip: ZipWriter, mediaType: String? = nil) throws -> Manifest.FileEntry {
        try zip.addEntry(path, bytes: bytes)
        return .init(path: path, bytes: bytes.count, sha256: sha256Hex(bytes), mediaType: mediaType)
    }
}

/// The deflate level of each part of a bundle. With libdeflate, the lowest level whose output on bundle
/// data is no larger than zlib's level 6 on the same bytes, part by part (measured on the 1M-event bundle,
/// Specs/benchmarks.md): 5 for the JSON and CSV copies (4–6% smaller than zlib's 6; at 4 they would be
/// 6–8% larger), 4 for the workbook's sheets (2% smaller than zlib's 6, at 0.46× libdeflate-6's CPU),
/// 6 for the XML copy (at 5 it would be an eighth larger than zlib's 6) and everything else. Each
/// format's level is in its registry entry (`FormatDescriptor.level`). `--level` sets one level for all.
struct BundleLevels {
    var copies: [BundleFormat: Int32]
    var other: Int32
    let forced: Int32?

    /// The bundle's level for everything the registry gives no level of its own.
    static let defaultLevel: Int32 = 6

    init(forced: Int32?) {
        other = forced ?? Self.defaultLevel
        copies = Dictionary(uniqueKeysWithValues: BundleFormat.allCases.map { ($0, forced ?? $0.descriptor.level ?? Self.defaultLevel) })
        self.forced = forced
    }

    /// A format's level: of its copies' entries, or of the parts a shared entry compresses itself (the
    /// workbook's sheets).
    func level(of format: FormatDescriptor) -> Int32 { forced ?? format.level ?? Self.defaultLevel }
}

/// The version printed by `seqport --version` and written into manifests.
public let seqportVersion = "0.1.0"
