import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortCSV
import SeqPortModel
import SeqPortStore

/// Turns a returned bundle into an exact, reviewable correction (Art. 16), and applies it in one
/// transaction with an audit trail when asked and nothing is refused (`Specs/import.md`).
public final class Importer {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    /// Plans the import of the bundle at `path`; applies it when `options.apply` and the plan has
    /// no refusals. Throws for a bundle that cannot be read at all (archive refused, bad manifest,
    /// malformed document, unknown subject); refusals of individual changes are in the plan.
    public func run(bundle path: String, options: ImportOptions = ImportOptions()) throws -> ImportPlan {
        // The whole bundle's SHA-256 (for the audit trail) is hashed on a thread of its own while the
        // categories are read: it was a fourteenth of a dry run's time, before any reading.
        let bundleDigest = FileDigest(path: path)
        let bundle = try OpenedBundle(path: path, zipLimits: options.zipLimits, passphrase: options.passphrase)
        if let key = options.trustedKey { try bundle.checkSignature(key) }
        // Only what the store cannot know is needed; the rest comes from the store's schema (ImportManifest).
        let manifest = try ImportManifest.read(try bundle.bytes(BundleLayout.manifest), has: { bundle.zip.entry(named: $0) != nil })
        let schema = store.schema
        if let name = manifest.schemaName, name != schema.name {
            throw SeqPortError(.importSchema, "the bundle was made for schema \"\(name.prefix(64))\", the store uses \"\(schema.name)\"",
                               at: SourceLocation(entry: BundleLayout.manifest))
        }
        var plan = ImportPlan(bundle: path, bundleSHA256: "", subject: manifest.subject)
        let listed = Dictionary((manifest.files ?? []).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        try refuseUnlistedCopies(bundle, manifest: manifest)
        // An exported bundle carries fingerprints for every editable category; a partner bundle none.
        let exportedWithFingerprints = manifest.categories.contains { $0.fingerprints != nil }
        // A shared entry (the workbook) is read when the subject edited it (or --format names it): a copy
        // like the others.
        let sharedReaders: [(format: FormatDescriptor, reader: any SharedEntryReader)] = try FormatRegistry.all.compactMap { format in
            let context = SharedReadContext(listed: listed, requested: options.sharedFormat == format.name, limits: options.readerLimits,
                                            zipLimits: options.zipLimits)
            return try format.sharedReader?(bundle, context).map { (format, $0) }
        }
        for (_, shared) in sharedReaders {
            let notes = shared.unreadNotes(owners: manifest.categories.map { ($0.name, $0.sheets) })
            if !notes.isEmpty {
                plan.sources.append(.init(category: "", entries: [shared.path], reason: shared.edited ? "edited" : "format", notes: notes))
            }
        }
        try refuseEditedSharedEntries(bundle, listed: listed)
        try store.withSnapshot { snap in
            guard try snap.subjectExists(manifest.subject) else {
                throw SeqPortError(.subjectUnknown, "the bundle's subject is not in the store", at: SourceLocation(entry: BundleLayout.manifest))
            }
            for entry in manifest.categories {
                guard let category = schema.category(named: entry.name), category.isExported(scope: manifest.scope) else {
                    plan.refuse(.importUnknownCategory, String(entry.name.prefix(64)), "the store's schema has no such category in this scope")
                    continue
                }
                let layout = category.layout(scope: manifest.scope)
                let sharedCopies = try sharedReaders.compactMap { format, shared in
                    try shared.records(of: entry.name, parts: entry.sheets, layout: layout).map { (format: format, copy: $0) }
                }
                var (copies, reason) = try chooseCopies(bundle, entry: entry, listed: listed, format: options.format)
                if !sharedCopies.isEmpty {
                    // The workbook alone (--format xlsx), or beside the copies the subject also edited.
                    if options.sharedFormat != nil || reason != "edited" { copies = [] }
                    reason = options.sharedFormat != nil ? "format" : "edited"
                }
                // A manifest without checksums cannot tell an edited copy: every copy it names is read.
                if !manifest.hasChecksums, reason == "edited" { reason = "partner bundle" }
                var readers: [(path: String, reader: any RecordReader)] = try copies.map { format in
                    let path = BundleLayout.data(category.name, format)
                    let source = try bundle.zip.open(bundle.zip.entry(named: path)!)
                    do {
                        return (path, try format.makeReader(source: source, layout: layout, limits: options.readerLimits, returned: true))
                    } catch let e as SeqPortError { throw e.within(entry: path) }
                }
                readers += sharedCopies.map(\.copy)
                plan.sources.append(.init(category: category.name, entries: readers.map(\.path), reason: reason))
                // Say how a spreadsheet's save was read: its separator, when it is not the bundle's comma.
                for (path, r) in readers {
                    if let csv = r as? CSVReader, csv.delimiter != UInt8(ascii: ",") {
                        let name = csv.delimiter == UInt8(ascii: ";") ? "semicolons (;)" : "tabs"
                        plan.sources[plan.sources.count - 1].notes.append("\(path) is separated by \(name), as spreadsheets save it")
                    }
                }
                // Each copy is inflated and parsed on a thread of its own while this one reads the store and
                // compares: the records, their order and the errors are the reader's (`PrefetchingReader`).
                // Closed when this category is done, also when it stops early: a thread that is ahead would
                // otherwise wait on its full queue for good, holding its copy (as `Verifier` does).
                var prefetchers: [PrefetchingReader] = []
                defer { prefetchers.forEach { $0.close() } }
                if Self.parallel {
                    prefetchers = readers.map { PrefetchingReader($0.reader, prepareThread: FormatRegistry.prepareReaderThread) }
                    readers = zip(readers, prefetchers).map { ($0.0.path, $0.1) }
                }
                var reader = CopyReader(readers)
                var diff = CategoryDiff(category: category, layout: layout, subject: manifest.subject, snapshot: snap)
                // A CSV copy or the workbook may come from a spreadsheet, which saves "" and NULL alike as an empty cell.
                diff.spreadsheet = copies.contains { $0.descriptor.savedBySpreadsheets } || sharedCopies.contains { $0.format.savedBySpreadsheets }
                diff.maxRecords = options.maxEditableRecords
                diff.entry = readers.first?.path ?? ""
                if category.isEditable {
                    diff.fingerprints = try readFingerprints(bundle, entry: entry, listed: listed, required: exportedWithFingerprints,
                                                             maxRows: options.maxEditableRecords)
                    try diff.keyed(&reader, into: &plan)
                } else {
                    try diff.ordered(&reader, into: &plan)
                }
            }
        }
        plan.bundleSHA256 = try bundleDigest.value()
        if Self.applies(plan, options) { try apply(&plan, scope: manifest.scope, options: options) }
        return plan
    }

    /// Whether copies are read on threads of their own (more than one core).
    static let parallel = ProcessInfo.processInfo.activeProcessorCount > 1

    /// Imports one bare partner file (`import contact.csv --subject ID`; CSV, JSON, JSON Lines, XML or an
    /// `.xlsx` workbook): its records are one category of the subject's, matched by key like a partner
    /// bundle's, and only the fields the file gives (by column name, or through `map`) are compared and
    /// corrected; the rest stay as the store has them. Every record error is reported, up to
    /// `convert.maxErrors` (an `ErrorList`), and then no plan is made.
    public func run(file path: String, subject: String, category name: String?, map: ColumnMap?, convert: ConvertOptions,
                    options: ImportOptions = ImportOptions()) throws -> ImportPlan {
        let schema = store.schema
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let categoryName = name ?? base
        guard let category = schema.category(named: categoryName), category.isExported(scope: .access) else {
            throw SeqPortError(.usage, "no category \"\(categoryName)\" in the store's schema; name the file after its category or give --category",
                               at: SourceLocation(entry: path))
        }
        let registered = FormatRegistry.forPath(path)
        let format = registered.flatMap { ConvertFormat(rawValue: $0.name) }
        let fileReader = registered?.partnerFileReader
        guard let registered, format != nil || fileReader != nil else {
            throw SeqPortError(.usage, "cannot tell the format from the file name (.csv, .json, .jsonl, .ndjson, .xml or .xlsx)", at: SourceLocation(entry: path))
        }
        let layout = category.layout(scope: .access)
        // A workbook is read by file offset, not as a stream: its format reads the sheet, typing each
        // column that gives a field (by name or through the map) as that field.
        let fileRecords = try fileReader.map { read in
            let context = PartnerFileContext(category: category.name, typing: (map ?? ColumnMap()).typing(for: layout),
                                             limits: options.readerLimits, zipLimits: options.zipLimits)
            return try read(path, context)
        }
        var plan = ImportPlan(bundle: path, bundleSHA256: try sha256OfFile(path), subject: subject)
        plan.sources.append(.init(category: category.name, entries: [path], reason: "partner file"))
        // Every record error up to --max-errors is reported in one run; the plan is made only without any.
        let errors = ErrorCollector(limit: convert.maxErrors)
        try store.withSnapshot { snap in
            guard try snap.subjectExists(subject) else {
                throw SeqPortError(.subjectUnknown, "no subject with that id in the store", at: SourceLocation(entry: path))
            }
            var base: any RecordReader
            if let fileRecords {
                base = fileRecords
            } else {
                do {
                    let source = try TranscodingSource(try FileSource(path: path), encoding: convert.encoding)
                    var readOptions = convert
                    if format == .csv, convert.delimiter == UInt8(ascii: ",") { readOptions.delimiter = nil }
                    base = try format!.makeReader(source: source, layout: nil, options: readOptions)
                } catch let e as SeqPortError { throw e.within(entry: path) }
            }
            var mapped: MappedReader
            do {
                mapped = try MappedReader(base: base, map: map ?? ColumnMap(), layout: layout, entry: path)
                mapped.partial = true
            } catch let e as SeqPortError { throw e.within(entry: path) }
            // Read the first record so the header is known, then hand the records on.
            var collecting = errors.reading(mapped, entry: path)
            let first = try collecting.next()
            let given = (collecting.base as? MappedReader)?.given ?? []
            var reader = CopyReader([(path, PrependedReader(first: first, rest: collecting))])
            var diff = CategoryDiff(category: category, layout: layout, subject: subject, snapshot: snap)
            diff.maxRecords = options.maxEditableRecords
            diff.entry = path
            diff.given = given.isEmpty ? nil : given
            diff.keepsMissing = true
            if let keyIndex = layout.index(of: category.store.key), given.indices.contains(keyIndex), !given[keyIndex] {
                throw SeqPortError(.mapMissingField, "the file must give each record's key, to say which record it corrects",
                                   at: SourceLocation(entry: path, field: category.store.key))
            }
            diff.spreadsheet = registered.savedBySpreadsheets
            try errors.run {
                if category.isEditable { try diff.keyed(&reader, into: &plan) } else { try diff.ordered(&reader, into: &plan) }
            }
        }
        try errors.throwIfAny()
        if Self.applies(plan, options) { try apply(&plan, scope: .access, options: options) }
        return plan
    }

    /// Which copies to read: `--format`; else the copies whose checksum differs from the manifest
    /// (edited); else the first present of JSON, CSV, XML.
    func chooseCopies(_ bundle: OpenedBundle, entry: ImportManifest.CategoryEntry, listed: [String: Manifest.FileEntry],
                      format: BundleFormat?) throws -> ([BundleFormat], String) {
        let present = BundleFormat.allCases.filter { bundle.zip.entry(named: BundleLayout.data(entry.name, $0)) != nil }
        if let format {
            guard present.contains(format) else {
                throw SeqPortError(.bundleMissing, "the bundle has no \(format.rawValue) copy of this category",
                                   at: SourceLocation(entry: BundleLayout.data(entry.name, format)))
            }
            return ([format], "format")
        }
        guard !present.isEmpty else {
            throw SeqPortError(.bundleMissing, "the bundle has no copy of category \"\(entry.name.prefix(64))\"", at: SourceLocation(entry: BundleLayout.manifest))
        }
        var edited: [BundleFormat] = []
        for f in present where try bundle.differsFromManifest(BundleLayout.data(entry.name, f), listed: listed) { edited.append(f) }
        return edited.isEmpty ? ([present[0]], "unchanged") : (edited, "edited")
    }

    /// The fingerprints the bundle carries for a category, by key; nil for a partner bundle without them.
    ///
    /// A bundle exported with fingerprints (`required`) must still carry them for every editable
    /// category, unchanged: without them a stale bundle would overwrite newer data unnoticed.
    func readFingerprints(_ bundle: OpenedBundle, entry: ImportManifest.CategoryEntry, listed: [String: Manifest.FileEntry],
                          required: Bool, maxRows: Int) throws -> [[UInt8]: String]? {
        let expected = BundleLayout.fingerprints(entry.name)
        guard let path = entry.fingerprints else {
            guard !required else {
                throw SeqPortError(.importFingerprintsMissing, "the manifest names no fingerprints for category \(entry.name), which the export wrote; without them changes made in the store since the export cannot be detected — import the bundle as it was exported, or export a new one",
                                   at: SourceLocation(entry: BundleLayout.manifest))
            }
            return nil
        }
        guard let zipEntry = bundle.zip.entry(named: path) else {
            throw SeqPortError(.importFingerprintsMissing, "the bundle lacks this file; without it changes made in the store since the export cannot be detected — put it back from the exported bundle, or export a new one",
                               at: SourceLocation(entry: path))
        }
        guard path == expected else {
            throw SeqPortError(.bundleManifest, "category \(entry.name) must keep its fingerprints in \(expected)", at: SourceLocation(entry: BundleLayout.manifest))
        }
        let digest = DigestingSource(try bundle.zip.open(zipEntry))
        var reader = try BundleFormat.csv.makeReader(source: digest, layout: Fingerprints.layout)
        var out: [[UInt8]: String] = [:]
        var row = 0
        let sha: String
        do {
            while let r = try reader.next() {
                row += 1
                guard row <= maxRows else {
                    throw SeqPortError(.importTooLarge, "more than \(maxRows) fingerprints, the most one import reads for a category (--max-editable-records)",
                                       at: SourceLocation(record: row))
                }
                guard case .text(let key) = r[0], case .text(let fp) = r[1] else { continue }
                guard out.updateValue(fp, forKey: Array(key.utf8)) == nil else {
                    throw SeqPortError(.importDuplicateKey, "the fingerprints list the same key twice", at: SourceLocation(record: row, field: "key"))
                }
            }
            sha = try digest.drainAndFinalize()
        } catch let e as SeqPortError { throw e.within(entry: path) }
        if let listedEntry = listed[path], listedEntry.bytes != digest.count || listedEntry.sha256 != sha {
            throw SeqPortError(.importFingerprintsChanged, "the fingerprints were changed after the export (size or SHA-256 differs from the manifest); conflict detection needs them as exported — put the file back from the exported bundle",
                               at: SourceLocation(entry: path))
        }
        return out
    }

    /// A returned bundle whose shared entry that is not read back was edited (the contact card,
    /// `vcard/contact.vcf`, is for other services): the edit would be lost without a word — stop and say,
    /// in the format's words (`FormatDescriptor.editedRefusal`), where to make it instead.
    func refuseEditedSharedEntries(_ bundle: OpenedBundle, listed: [String: Manifest.FileEntry]) throws {
        for format in FormatRegistry.all where format.sharedWriter != nil && format.sharedReader == nil {
            guard let refusal = format.editedRefusal, case .shared(let path) = format.bundleEntry, listed[path] != nil,
                  bundle.zip.entry(named: path) != nil, try bundle.differsFromManifest(path, listed: listed) else { continue }
            throw SeqPortError(.importUnlistedCopy, refusal, at: SourceLocation(entry: path))
        }
    }

    /// Stops when the archive holds a data file the manifest does not list: most likely a corrected
    /// copy saved under a new name (`csv/contact (corrected).csv`), which would otherwise be ignored.
    func refuseUnlistedCopies(_ bundle: OpenedBundle, manifest: ImportManifest) throws {
        let dataExtensions: Set<String> = ["json", "csv", "xml", "jsonl", "ndjson", "tsv", "txt", "xlsx", "xls", "ods", "numbers", "vcf"]
        let listed = manifest.listedPaths
        for e in bundle.zip.entries where !listed.contains(e.name) && !BundleLayout.isUnlisted(e.name) {
            let name = e.name
            let base = name.split(separator: "/").last.map(String.init) ?? name
            let folder = name.split(separator: "/").first.map(String.init) ?? ""
            let ext = base.split(separator: ".").count > 1 ? base.split(separator: ".").last!.lowercased() : ""
            guard BundleFormat(rawValue: folder) != nil || folder == "fingerprints" || dataExtensions.contains(ext) else { continue }
            let format = BundleFormat(rawValue: ext) ?? BundleFormat(rawValue: folder)
            let category = manifest.categories.map(\.name).sorted { $0.count > $1.count }.first { base.lowercased().hasPrefix($0) }
            let advice: String
            if let format, let category {
                advice = "if it holds corrections, save them over \(BundleLayout.data(category, format)) (keep the file names) and zip the folder again; otherwise remove it"
            } else {
                advice = "seqport reads only the files the manifest lists; if it holds corrections, save them over the listed file they belong to and zip the folder again; otherwise remove it"
            }
            throw SeqPortError(.importUnlistedCopy, "this file is not part of the bundle as exported; \(advice)", at: SourceLocation(entry: name))
        }
    }
}

/// The SHA-256 of a file, hashed on a thread of its own from the moment it is made; `value()` waits
/// for it (and throws what reading the file threw).
// @unchecked Sendable: `result` is written once by the hashing thread before `done` is signalled, and
// read only after waiting on `done`.
final class FileDigest: @unchecked Sendable {
    private var result: Result<String, any Error> = .success("")
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    init(path: String) {
        let thread = Thread { [self] in
            result = Result { try sha256OfFile(path) }
            done.signal()
        }
        thread.name = "seqport-digest"
        thread.start()
    }

    /// The hex digest, once the thread has it.
    func value() throws -> String {
        if !waited {
            done.wait()
            waited = true
        }
        return try result.get()
    }
}

/// SHA-256 of a whole file, as hex.
func sha256OfFile(_ path: String) throws -> String {
    let sink = DigestSink()
    try copy(try FileSource(path: path), to: sink)
    return sink.finalize()
}

/// A reader that hands out one record already read, then the rest of another reader's.
struct PrependedReader: RecordReader {
    var first: Record?
    var rest: any RecordReader
    var layout: RecordLayout { rest.layout }
    mutating func next() throws -> Record? {
        if let f = first {
            first = nil
            return f
        }
        return try rest.next()
    }
}
