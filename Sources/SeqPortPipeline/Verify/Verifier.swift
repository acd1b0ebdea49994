import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel

/// What `seqport verify` found: sound, or a list of precise problems.
public struct VerifyReport: Codable, Sendable {
    public struct Problem: Codable, Sendable, CustomStringConvertible {
        public var code: String
        public var message: String
        public var description: String { message }
    }

    public var path: String
    public var sound: Bool { problems.isEmpty }
    public var subject: String?
    public var scope: Scope?
    /// Records per category: what the copies hold (the most any copy holds, when they disagree).
    public var records: [String: Int] = [:]
    /// Records each copy holds, by entry (`json/contact.json`: 2).
    public var copies: [String: Int] = [:]
    public var entries = 0
    /// Whether the bundle carries `manifest.json.minisig`, and whether it was checked with a trusted key.
    public var signed = false
    public var signatureChecked = false
    public var problems: [Problem] = []

    enum CodingKeys: String, CodingKey { case path, sound, subject, scope, records, copies, entries, signed, signatureChecked, problems }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(sound, forKey: .sound)
        try c.encodeIfPresent(subject, forKey: .subject)
        try c.encodeIfPresent(scope, forKey: .scope)
        try c.encode(records, forKey: .records)
        try c.encode(copies, forKey: .copies)
        try c.encode(entries, forKey: .entries)
        try c.encode(signed, forKey: .signed)
        try c.encode(signatureChecked, forKey: .signatureChecked)
        try c.encode(problems, forKey: .problems)
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        subject = try c.decodeIfPresent(String.self, forKey: .subject)
        scope = try c.decodeIfPresent(Scope.self, forKey: .scope)
        records = try c.decode([String: Int].self, forKey: .records)
        copies = try c.decodeIfPresent([String: Int].self, forKey: .copies) ?? [:]
        entries = try c.decode(Int.self, forKey: .entries)
        signed = try c.decodeIfPresent(Bool.self, forKey: .signed) ?? false
        signatureChecked = try c.decodeIfPresent(Bool.self, forKey: .signatureChecked) ?? false
        problems = try c.decode([Problem].self, forKey: .problems)
    }
    init(path: String) { self.path = path }

    mutating func add(_ error: SeqPortError) {
        if problems.count < 100 { problems.append(Problem(code: error.code.rawValue, message: error.description)) }
    }
}

/// Checks a bundle (`seqport verify`): the archive is safe and consistent; every entry is listed in
/// the manifest with the right size and SHA-256; the schema documents match the bundle's schema;
/// every category's JSON, CSV and XML parse strictly against the schema (the XML against the XSD)
/// and hold exactly the same records, as many as the manifest says.
public struct Verifier {
    public var zipLimits: ZipLimits
    public var readerLimits: ReaderLimits
    /// When set, the manifest must carry a valid signature by this key.
    public var trustedKey: Minisign.PublicKey?
    /// Decrypts an encrypted bundle (`Specs/encryption.md`); without it such a bundle is refused (`zip.encrypted`).
    public var passphrase: String?

    public init(zipLimits: ZipLimits = .default, readerLimits: ReaderLimits = .default, trustedKey: Minisign.PublicKey? = nil,
                passphrase: String? = nil) {
        self.zipLimits = zipLimits
        self.readerLimits = readerLimits
        self.trustedKey = trustedKey
        self.passphrase = passphrase
    }

    /// Verifies the bundle at `path`. Throws only when the archive itself is refused (`zip.*`);
    /// everything else is a problem in the report.
    public func verify(path: String) throws -> VerifyReport {
        var report = VerifyReport(path: path)
        let bundle = try OpenedBundle(path: path, zipLimits: zipLimits, passphrase: passphrase)
        report.entries = bundle.zip.entries.count
        let manifest: Manifest
        do {
            manifest = try bundle.manifest()
        } catch let e as SeqPortError {
            report.add(e)
            return report
        }
        report.subject = manifest.subject
        report.scope = manifest.scope
        report.signed = bundle.zip.entry(named: BundleLayout.signature) != nil
        if let trustedKey {
            do {
                try bundle.checkSignature(trustedKey)
                report.signatureChecked = true
            } catch let e as SeqPortError {
                report.add(e)
            }
        }
        var pending = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in bundle.zip.entries where !BundleLayout.isUnlisted(entry.name) && pending[entry.name] == nil {
            report.add(SeqPortError(.bundleExtra, "entry is not listed in the manifest", at: SourceLocation(entry: entry.name)))
        }
        func check(_ path: String, count: Int, sha256: String) {
            guard let listed = pending.removeValue(forKey: path) else { return }
            if listed.bytes != count || listed.sha256 != sha256 {
                report.add(SeqPortError(.bundleChecksum, "size or SHA-256 differs from the manifest (the file was changed)", at: SourceLocation(entry: path)))
            }
        }

        var schema: Schema?
        do {
            let s = try bundle.schema(manifest)
            schema = s
            for artifact in try SchemaArtifacts.bundleEntries(for: s, scope: manifest.scope) where artifact.path != BundleLayout.schemaDocument {
                guard let entry = bundle.zip.entry(named: artifact.path) else {
                    report.add(SeqPortError(.bundleMissing, "schema document is missing", at: SourceLocation(entry: artifact.path)))
                    continue
                }
                if try bundle.zip.readAll(entry, maxBytes: 16 << 20) != artifact.bytes {
                    report.add(SeqPortError(.bundleSchema, "schema document does not match the bundle's schema", at: SourceLocation(entry: artifact.path)))
                }
            }
        } catch let e as SeqPortError {
            report.add(e)
        }

        if let schema {
            let schemas = bundle.compiledSchemas()
            for c in manifest.categories {
                guard let category = schema.category(named: c.name) else {
                    report.add(SeqPortError(.bundleSchema, "category \"\(c.name)\" is not in the bundle's schema", at: SourceLocation(entry: BundleLayout.manifest)))
                    continue
                }
                let result = compareCopies(bundle, category: category, scope: manifest.scope, entry: c, schemas: schemas)
                for (path, count, digest) in result.digests { check(path, count: count, sha256: digest) }
                for e in result.problems { report.add(e) }
                report.records[c.name] = result.records
                report.copies.merge(result.copies) { a, _ in a }
            }
        }
        for (path, _) in pending.sorted(by: { $0.key < $1.key }) {
            guard let entry = bundle.zip.entry(named: path) else {
                report.add(SeqPortError(.bundleMissing, "listed in the manifest but not in the archive", at: SourceLocation(entry: path)))
                continue
            }
            do {
                let sink = DigestSink()
                let source = try bundle.zip.open(entry)
                try copy(source, to: sink)
                check(path, count: sink.count, sha256: sink.finalize())
            } catch let e as SeqPortError {
                report.add(e.within(entry: path))
            }
        }
        return report
    }

    struct Comparison {
        var records = 0
        /// Records each copy holds, by entry.
        var copies: [String: Int] = [:]
        var digests: [(String, Int, String)] = []
        var problems: [SeqPortError] = []
    }

    /// Reads the category's copies (every registered copy format) in lockstep and compares them record
    /// by record; `schemas` are the formats' compiled bundle schemas (`OpenedBundle.compiledSchemas`).
    func compareCopies(_ bundle: OpenedBundle, category: Category, scope: Scope, entry: Manifest.CategoryEntry,
                       schemas: [String: FormatDescriptor.CompiledSchema]) -> Comparison {
        var out = Comparison()
        let layout = category.layout(scope: scope)
        var readers: [(path: String, reader: any RecordReader, digest: DigestingSource)] = []
        var prefetchers: [PrefetchingReader] = []
        // Their threads are done before the digests are drained and before this returns.
        defer { prefetchers.forEach { $0.close() } }
        let parallel = ProcessInfo.processInfo.activeProcessorCount > 1
        for format in BundleFormat.allCases {
            let path = BundleLayout.data(category.name, format)
            guard let zipEntry = bundle.zip.entry(named: path) else {
                out.problems.append(SeqPortError(.bundleMissing, "copy of category \"\(category.name)\" is missing", at: SourceLocation(entry: path)))
                continue
            }
            do {
                let digest = DigestingSource(try bundle.zip.open(zipEntry))
                let descriptor = format.descriptor
                var reader = try format.makeReader(source: digest, layout: layout, limits: readerLimits, schema: schemas[descriptor.name])
                if descriptor.readsOnOwnThread && parallel {
                    // The dearest copy to read (XML: libxml2 and the XSD) on a second core.
                    let prefetching = PrefetchingReader(reader, prepareThread: descriptor.prepareThread ?? {})
                    prefetchers.append(prefetching)
                    reader = prefetching
                }
                readers.append((path, reader, digest))
            } catch let e as SeqPortError {
                out.problems.append(e.within(entry: path))
            } catch {
                out.problems.append(SeqPortError(.internalError, "\(error)", at: SourceLocation(entry: path)))
            }
        }
        // Every copy is read to its end and counted, even after the copies disagreed, so the report
        // says how many records each copy holds; only the first disagreement is described.
        // Records are compared as borrowed bytes (`RecordViewCursor`); a `Record` only for a problem.
        var cursors = readers.map { RecordViewCursor($0.reader) }
        var live = Array(readers.indices)
        var counts = [Int](repeating: 0, count: readers.count)
        var n = 0
        var compared = true
        var step: [(index: Int, record: RecordView?)] = []
        while !live.isEmpty {
            n += 1
            step.removeAll(keepingCapacity: true)
            for i in live {
                do {
                    let record = try cursors[i].next()
                    if record != nil { counts[i] += 1 }
                    step.append((i, record))
                } catch let e as SeqPortError {
                    out.problems.append(e.within(entry: readers[i].path))
                } catch {
                    out.problems.append(SeqPortError(.internalError, "\(error)", at: SourceLocation(entry: readers[i].path)))
                }
            }
            if compared && out.problems.isEmpty, let reference = Self.majority(step.map(\.record)) {
                for (i, record) in step where !Self.same(record, reference) {
                    let agreeing = step.first { Self.same($0.record, reference) }.map { readers[$0.index].path } ?? "the other copies"
                    out.problems.append(SeqPortError(.bundleDisagree,
                                                     "record \(n) differs from \(agreeing)\(Self.differingField(reference?.record(), record?.record(), layout))",
                                                     at: SourceLocation(entry: readers[i].path)))
                }
            }
            if !out.problems.isEmpty { compared = false }
            live = step.filter { $0.record != nil }.map(\.index)
        }
        for (i, r) in readers.enumerated() { out.copies[r.path] = counts[i] }
        out.records = counts.max() ?? 0
        prefetchers.forEach { $0.close() }
        if out.problems.isEmpty {
            for r in readers {
                if let digest = try? r.digest.drainAndFinalize() { out.digests.append((r.path, r.digest.count, digest)) }
            }
            if out.records != entry.records {
                out.problems.append(SeqPortError(.bundleCount, "holds \(out.records) records, the manifest says \(entry.records)",
                                                 at: SourceLocation(entry: BundleLayout.data(category.name, .json))))
            }
        }
        return out
    }

    /// The record most copies hold at this step (the first copy's on a tie).
    static func majority(_ records: [RecordView?]) -> RecordView?? {
        guard let first = records.first else { return nil }
        // Copies that agree (every record of a sound bundle): one comparison each, no counting.
        if records.dropFirst().allSatisfy({ same($0, first) }) { return first }
        return records.max { a, b in records.filter { same($0, a) }.count < records.filter { same($0, b) }.count } ?? first
    }

    /// Whether two copies' records at one step are the same (both ended, or the same bytes).
    static func same(_ a: RecordView?, _ b: RecordView?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return RecordView.same(a, b)
        default: return false
        }
    }

    static func differingField(_ a: Record?, _ b: Record?, _ layout: RecordLayout) -> String {
        guard let a, let b else { return " (one copy has fewer records)" }
        for (i, f) in layout.fields.enumerated() where a[i] != b[i] { return " in field \"\(f.name)\"" }
        return ""
    }
}
