import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortCSV
import SeqPortJSON
import SeqPortModel

/// The formats `seqport convert` reads and writes: every registered format with a streaming reader
/// or writer (`FormatRegistry`): the bundle's copies, JSON Lines, vCard (read in 2.1, 3.0 and 4.0,
/// written as 4.0; `vcf3` writes 3.0) and jCard, one record per card.
public struct ConvertFormat: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard let descriptor = FormatRegistry.descriptor(named: rawValue), Self.converts(descriptor) else { return nil }
        self.rawValue = rawValue
    }

    public init(_ format: BundleFormat) { rawValue = format.rawValue }

    private init(registered descriptor: FormatDescriptor) { rawValue = descriptor.name }

    public static let json = ConvertFormat(registered: .json)
    public static let jsonl = ConvertFormat(registered: .jsonLines)
    public static let csv = ConvertFormat(registered: .csv)
    public static let xml = ConvertFormat(registered: .xml)
    public static let vcf = ConvertFormat(registered: .vcard)
    public static let vcf3 = ConvertFormat(registered: .vcard3)
    public static let jcard = ConvertFormat(registered: .jcard)

    static func converts(_ descriptor: FormatDescriptor) -> Bool { descriptor.reader != nil || descriptor.writer != nil }

    public static var allCases: [ConvertFormat] { FormatRegistry.all.filter(converts).map { ConvertFormat(rawValue: $0.name)! } }

    /// The format a file name's extension names (`.ndjson` is JSON Lines), if any.
    public static func forPath(_ path: String) -> ConvertFormat? {
        FormatRegistry.forPath(path).flatMap { ConvertFormat(rawValue: $0.name) }
    }

    /// Its registry entry.
    public var descriptor: FormatDescriptor { FormatRegistry.descriptor(named: rawValue)! }

    public var description: String { rawValue }

    /// A reader of the file as `options` say; `reopen` opens the file again from its start, which a
    /// card format's first pass needs.
    func makeReader(source: any ByteSource, layout: RecordLayout?, options: ConvertOptions,
                    reopen: (() throws -> any ByteSource)? = nil) throws -> any RecordReader {
        try descriptor.makeReader(source: source, context: FormatReadContext(layout: layout, limits: options.limits,
                                                                            origin: .file(delimiter: options.delimiter), reopen: reopen))
    }

    func makeWriter(layout: RecordLayout, sink: any ByteSink) throws -> any RecordWriter {
        try descriptor.makeWriter(layout: layout, sink: sink)
    }
}

/// How `seqport convert` reads its input (`Specs/csv.md`, `Specs/json.md`).
public struct ConvertOptions: Sendable {
    /// The reader limits.
    public var limits = ReaderLimits.default
    /// CSV: the separator, or nil to detect `,`, `;` or tab from the header line. Default `,`.
    public var delimiter: UInt8? = UInt8(ascii: ",")
    /// The input's text encoding, converted to UTF-8 as it is read. Default UTF-8 (a UTF-16 BOM is followed).
    public var encoding: TextEncoding = .utf8
    /// How many record errors one run reports before it stops (`--max-errors`, default 100). An error about
    /// one record lets the reading go on with the next record where the reader can say so
    /// (`ResumableRecordReader`: CSV, JSON, JSON Lines, XML, workbooks, and any format read through a
    /// mapping; `Specs/partners.md`); any other error stops.
    public var maxErrors = 100
    /// The output file's mode: nil for private (0600 less the umask), or exactly this (`--mode`).
    public var mode: mode_t?
    /// Whether a reader that fills batches (CSV, JSON, JSON Lines, XML read straight) reads on a thread of
    /// its own while the writer writes (`BatchReadAhead`), on a machine with more than one core. The same
    /// output and errors either way. Default true.
    public var readsAhead = true

    public init() {}
}

/// `seqport convert`: one file from one format to another, one record at a time.
public enum Converter {
    /// Converts `path`; writes `out` atomically, or standard output when `out` is nil.
    /// Converts `path`; writes `out` atomically (private: 0600 less the umask, or exactly `mode`;
    /// a link, FIFO or device is written in place, see `AtomicFile`), or standard output when `out` is nil.
    public static func convert(path: String, from: BundleFormat, to: BundleFormat, layout: RecordLayout?, out: String?,
                               limits: ReaderLimits = .default, mode: mode_t? = nil) throws {
        var options = ConvertOptions()
        options.limits = limits
        options.mode = mode
        options.maxErrors = 1
        try convert(path: path, from: ConvertFormat(from), to: ConvertFormat(to), layout: layout, out: out, options: options)
    }

    /// Converts `path` between any of the convert formats, reading it as `options` say.
    /// With `map`, the input is read untyped and its columns mapped to `layout`'s fields (`ColumnMap`).
    public static func convert(path: String, from: ConvertFormat, to: ConvertFormat, layout: RecordLayout?, out: String?,
                               options: ConvertOptions, map: ColumnMap? = nil) throws {
        let entry = path
        do {
            let source = try TranscodingSource(try FileSource(path: path), encoding: options.encoding)
            // Cards are read in two passes: `reopen` gives the first its own source.
            let reopen = { () throws -> any ByteSource in try TranscodingSource(try FileSource(path: path), encoding: options.encoding) }
            var reader: any RecordReader
            if let map, let layout {
                reader = try MappedReader(base: try from.makeReader(source: source, layout: nil, options: options, reopen: reopen),
                                          map: map, layout: layout, entry: path)
            } else {
                reader = try from.makeReader(source: source, layout: layout, options: options, reopen: reopen)
            }
            let atomic = try out.map { try AtomicFile(finalPath: $0, mode: options.mode) }
            let standardOutput = atomic == nil ? try StandardOutput.sink() : nil
            let sink: any ByteSink = atomic?.sink ?? standardOutput!
            var writer: (any RecordWriter)?
            let base = ((entry as NSString).lastPathComponent as NSString).deletingPathExtension
            var name = layout?.name ?? (base.isEmpty ? "records" : base)
            if !Schema.isName(name) { name = "records" }
            var failures = ErrorList()
            // With one error allowed, the first is thrown as it is (a `SeqPortError`), as before `--max-errors`.
            let collects = options.maxErrors > 1
            // A reader that fills batches (CSV, JSON, JSON Lines, XML read straight) hands its records to the
            // writer as borrowed bytes, a batch at a time: no `String` per value. Only it is read from then
            // (a copy of `reader`, whose state it carries on).
            var batchReader = reader as? any RecordBatchReader
            var batch = RecordBatch()
            // The layout as the read-ahead thread last reported it, when the reader runs on one.
            var layoutAhead: RecordLayout?
            func readerLayout() -> RecordLayout { layoutAhead ?? batchReader?.layout ?? reader.layout }
            func canContinue() -> Bool {
                ((batchReader ?? reader) as? any ResumableRecordReader)?.canContinueAfterError == true
            }
            func makeWriter() throws {
                if writer == nil { writer = try to.makeWriter(layout: RecordLayout(name: name, fields: readerLayout().fields, isTyped: layout != nil), sink: sink) }
            }
            func writeBatch() throws {
                guard !batch.isEmpty else { return }
                try makeWriter()
                for i in 0..<batch.count { try writer!.write(batch.view(i)) }
                batch.removeAll()
            }
            // On more than one core, a batch reader reads on a thread of its own, a batch of 1024 records
            // ahead at most four times over: the same records, errors and output as the loop below.
            let readsAhead = options.readsAhead && ProcessInfo.processInfo.activeProcessorCount > 1
            // The layout is taken before the thread starts: from then on only the thread touches the reader
            // (a reader may keep its state behind a reference its copies share, as the XML reader does).
            if readsAhead, let batching = batchReader, case let initialLayout = batching.layout,
               let ahead = BatchReadAhead(batching, prepareThread: FormatRegistry.prepareReaderThread) {
                defer { ahead.close() }
                layoutAhead = initialLayout
                while let step = ahead.next(&batch) {
                    layoutAhead = step.layout
                    if let error = step.error {
                        // The records read since the last full batch are not written (nothing is, after an error).
                        batch.removeAll()
                        guard let e = error as? SeqPortError, collects && (failures.total > 0 || step.canContinue) else { throw error }
                        failures.add(e.within(entry: entry), keeping: options.maxErrors)
                        guard step.canContinue else { failures.stopped = true; break }
                        if failures.total >= options.maxErrors { failures.stopped = true; break }
                        continue
                    }
                    guard failures.total == 0 else {
                        batch.removeAll()
                        continue
                    }
                    try writeBatch()
                }
            } else {
                while true {
                    var record: Record?
                    let more: Bool
                    do {
                        if batchReader != nil {
                            more = try batchReader!.read(into: &batch)
                        } else {
                            record = try reader.next()
                            more = record != nil
                        }
                    } catch let e as SeqPortError where collects && (failures.total > 0 || canContinue()) {
                        // The first error of a run that cannot go on is thrown as it is; after a collected one,
                        // an error that stops the reading ends the list.
                        failures.add(e.within(entry: entry), keeping: options.maxErrors)
                        guard canContinue() else { failures.stopped = true; break }
                        if failures.total >= options.maxErrors { failures.stopped = true; break }
                        continue
                    }
                    guard more else { break }
                    // After the first error nothing more is written: the output is discarded anyway.
                    guard failures.total == 0 else {
                        batch.removeAll()
                        continue
                    }
                    if let record {
                        try makeWriter()
                        try writer!.write(record)
                    } else if batch.count >= 256 {
                        try writeBatch()
                    }
                }
            }
            if failures.total == 0 { try writeBatch() }
            if failures.total > 0 {
                atomic?.abort()
                throw failures
            }
            try makeWriter()
            try writer!.finish()
            try atomic?.commit()
            try standardOutput?.close()
        } catch let e as SeqPortError {
            // An I/O error names its own path (the output, standard output); the others are about the input.
            throw e.code == .ioFailed ? e : e.within(entry: entry)
        }
    }
}

/// The errors of one run that reports them all (`--max-errors` of `convert`, `import` and `pack`; a
/// manifest's missing and wrong keys): each listed up to the limit, counted by code.
public struct ErrorList: Error, Sendable {
    public var errors: [SeqPortError] = []
    public var total = 0
    public var counts: [String: Int] = [:]
    /// Whether reading stopped before the end (at the limit, or at an error it cannot read past).
    public var stopped = false

    public init(_ errors: [SeqPortError] = []) {
        for e in errors { add(e, keeping: .max) }
    }

    mutating func add(_ error: SeqPortError, keeping limit: Int) {
        total += 1
        counts[error.code.rawValue, default: 0] += 1
        if errors.count < limit { errors.append(error) }
    }

    /// `3 errors (value.type: 2, value.format: 1)`, and whether reading stopped there.
    public var summary: String {
        let byCode = counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "\(total) error\(total == 1 ? "" : "s") (\(byCode))" + (stopped ? "; reading stopped there, later records were not read" : "")
    }

    /// The one error as it is, or the list: a run with one error reports it as before `--max-errors`.
    var thrown: any Error { total == 1 && errors.count == 1 ? errors[0] : self }
}

/// The name `convert` gave the list first.
public typealias ConversionErrors = ErrorList

/// Standard output as a `FileSink` on a duplicate of descriptor 1: a write error (a full disk) is
/// `io.failed` naming standard output, not a trap or a lost write.
enum StandardOutput {
    static func sink() throws -> FileSink {
        let fd = dup(STDOUT_FILENO)
        guard fd >= 0 else { throw SeqPortError(.ioFailed, "cannot write standard output: \(String(cString: strerror(errno)))") }
        return FileSink(descriptor: fd, path: "standard output")
    }
}
