import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel

/// `seqport pack`: a sound partner bundle from partner files named by category (`Specs/partners.md`).
///
/// Each file (`contact.csv`, `email_addresses.jsonl`, …) is read — through a `ColumnMap` when given —
/// with its category's types, and written as the bundle's JSON, CSV and XML copies with the schema
/// documents, a manifest listing every entry with its SHA-256, and no fingerprints (a partner bundle:
/// records are matched by key). What `import` then reads is exactly what was packed.
public struct Packer {
    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// One input file and the category it holds (nil: from its name, `contact.csv` → `contact`).
    public struct Input: Sendable {
        public var path: String
        public var category: String?
        public init(path: String, category: String? = nil) {
            self.path = path
            self.category = category
        }
    }

    /// What `pack` wrote.
    public struct Result: Codable, Sendable {
        public var path: String
        public var subject: String
        public var records: [String: Int]
    }

    /// Writes the bundle at `out` atomically.
    public func pack(subject: String, inputs: [Input], map: ColumnMap?, options: ConvertOptions, out: String,
                     generatedAt: Date = Date()) throws -> Result {
        let schema = configuration.schema
        guard !subject.isEmpty, !subject.unicodeScalars.contains(where: TerminalText.isUnsafe) else {
            throw SeqPortError(.usage, "--subject must be a non-empty id without control characters")
        }
        var seen = Set<String>()
        var plans: [(Input, Category, FormatDescriptor)] = []
        for input in inputs {
            let base = ((input.path as NSString).lastPathComponent as NSString).deletingPathExtension
            let name = input.category ?? base
            guard let category = schema.category(named: name), category.isExported(scope: .access) else {
                throw SeqPortError(.usage, "no category \"\(name)\" in the schema (name each file after its category: \(schema.categories.map(\.name).joined(separator: ", ")))",
                                   at: SourceLocation(entry: input.path))
            }
            guard seen.insert(category.name).inserted else {
                throw SeqPortError(.usage, "two files for category \(category.name)", at: SourceLocation(entry: input.path))
            }
            // A record stream convert reads, or a file its format reads by offset (a workbook).
            guard let format = FormatRegistry.forPath(input.path),
                  ConvertFormat(rawValue: format.name) != nil || format.partnerFileReader != nil else {
                throw SeqPortError(.usage, "cannot tell the format from the file name (.csv, .json, .jsonl, .ndjson, .xml or .xlsx)", at: SourceLocation(entry: input.path))
            }
            plans.append((input, category, format))
        }
        guard !plans.isEmpty else { throw SeqPortError(.usage, "give at least one partner file") }

        let epoch = Int64(generatedAt.timeIntervalSince1970.rounded(.down))
        let file = try AtomicFile(finalPath: out)
        var zipOptions = ZipWriter.Options()
        zipOptions.setModificationDate(generatedAt)
        let zip = ZipWriter(sink: file.sink, options: zipOptions)
        var listed: [Manifest.FileEntry] = []
        var categories: [Manifest.CategoryEntry] = []
        var records: [String: Int] = [:]
        // Every record error of every file, up to --max-errors, is reported in one run; then nothing is written.
        let errors = ErrorCollector(limit: options.maxErrors)
        do {
            for (input, category, format) in plans {
                let layout = category.layout(scope: .access)
                let reader: any RecordReader
                do {
                    if let read = format.partnerFileReader {
                        // Cells typed as their fields as they are read, then mapped like any partner file's columns.
                        let map = map ?? ColumnMap()
                        let base = try read(input.path, PartnerFileContext(category: category.name, typing: map.typing(for: layout),
                                                                          limits: options.limits, zipLimits: .default))
                        reader = try MappedReader(base: base, map: map, layout: layout, entry: input.path)
                    } else if let map, let format = ConvertFormat(rawValue: format.name) {
                        let source = try TranscodingSource(try FileSource(path: input.path), encoding: options.encoding)
                        reader = try MappedReader(base: try format.makeReader(source: source, layout: nil, options: options), map: map,
                                                  layout: layout, entry: input.path)
                    } else if let format = ConvertFormat(rawValue: format.name) {
                        let source = try TranscodingSource(try FileSource(path: input.path), encoding: options.encoding)
                        reader = try format.makeReader(source: source, layout: layout, options: options)
                    } else {
                        throw SeqPortError(.internalError, "\(format.name) is neither streamed nor read as a file")
                    }
                } catch let e as SeqPortError { throw e.within(entry: input.path) }
                let outputs = HashedEntries(zip)
                var writers = try outputs.copies(of: category.name, layout: layout)
                var count = 0
                var collecting = errors.reading(reader, entry: input.path)
                do {
                    while let record = try errors.run({ try collecting.next() }) {
                        count += 1
                        guard errors.isEmpty else { continue }
                        for i in writers.indices { try writers[i].write(record) }
                    }
                } catch let e as SeqPortError { throw e.within(entry: input.path) }
                for i in writers.indices { try writers[i].finish() }
                listed += try outputs.finish()
                records[category.name] = count
                categories.append(Manifest.CategoryEntry(
                    name: category.name, title: category.title, description: category.description, records: count,
                    files: Dictionary(uniqueKeysWithValues: BundleFormat.allCases.map { ($0.rawValue, BundleLayout.data(category.name, $0)) }),
                    fingerprints: nil, attachments: [], purposes: category.purposes, legalBasis: category.legalBasis,
                    recipients: category.recipients, retention: category.retention, source: category.source,
                    rectifiable: layout.fields.filter(\.rectifiable).map(\.name), allowInsert: category.allowInsert,
                    allowDelete: category.allowDelete, redactions: nil))
            }
            try errors.throwIfAny()
            for artifact in try SchemaArtifacts.bundleEntries(for: SchemaArtifacts.exportedSchema(schema, scope: .access), scope: .access) {
                try zip.addEntry(artifact.path, bytes: artifact.bytes)
                listed.append(.init(path: artifact.path, bytes: artifact.bytes.count, sha256: sha256Hex(artifact.bytes), mediaType: nil))
            }
            let manifest = Manifest(
                format: Manifest.formatName, formatVersion: Manifest.currentVersion, generator: "seqport pack \(seqportVersion)",
                subject: subject, generatedAt: ValueSyntax.timestamp(epochSeconds: epoch), scope: .access, language: configuration.language,
                expiresAt: ValueSyntax.timestamp(epochSeconds: epoch + Int64(configuration.retentionDays) * 86_400),
                retentionDays: configuration.retentionDays, controller: configuration.controller,
                schema: .init(name: schema.name, version: schema.version, path: BundleLayout.schemaDocument),
                categories: categories, files: listed)
            try zip.addEntry(BundleLayout.manifest, bytes: try manifest.encoded())
            try zip.finish()
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
        return Result(path: out, subject: subject, records: records)
    }
}
