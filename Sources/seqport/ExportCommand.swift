import ArgumentParser
import Foundation
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one subject's records as a bundle (JSON + CSV + XML, manifest, schemas, a readable page), or many.",
        discussion: """
        With no arguments, exports the sample subject from the sample store named in the \
        configuration (creating the sample store first if it is missing) and prints the bundle's path.

        Examples:
          seqport export
          seqport export --store data.sqlite --subject s-00042 --scope portability
          seqport export --store data.sqlite --subject s-00042 \\
              --generated-at 2026-01-01T00:00:00Z --json

        Batch (Specs/batch.md): --all or --subjects FILE exports many subjects, --jobs at a time. \
        A subject that fails goes into the report and the batch goes on (exit 9 if any failed). \
        Rerunning the same command resumes: subjects whose complete bundle is already in --out are \
        skipped. Without a terminal, progress is logged every --progress-interval seconds.

        Batch examples:
          seqport export --all --store data.sqlite --out bundles --jobs 4
          seqport export --all --store data.sqlite --out bundles --encrypt
          seqport export --subjects ids.txt --store data.sqlite --encrypt \\
              --passphrases passphrases.tsv
          seqport export --all --store data.sqlite --out /shared/bundles --shard 0/8
          seqport export --all --store data.sqlite --out /shared/bundles --shards 8
          seqport export --subjects ids.txt --store data.sqlite --log-format json
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("The store: a SQLite path, sqlite:PATH or postgres://URL (default: $SEQPORT_STORE, else the sample store).", valueName: "path-or-url"))
    var store: String?

    @Option(help: ArgumentHelp("The subject id (default: the configuration's sample subject).", valueName: "id"))
    var subject: String?

    @Option(help: ArgumentHelp("The folder to write the bundle into.", valueName: "dir"))
    var out: String = "bundles"

    @Option(help: "access (Art. 15: everything, including inferences) or portability (Art. 20: provided and observed data).")
    var scope: Scope = .access

    @Option(name: .customLong("generated-at"), help: ArgumentHelp("Generation time, for byte-identical reruns (default: now).", valueName: "timestamp"))
    var generatedAt: String?

    @Option(help: "Page language, en or sv (default: the configuration's).")
    var lang: String?

    @Option(help: "Compression level for every entry, 1 (fastest) to 9 (smallest). Without it: 5 for the JSON and CSV copies, 4 for the workbook, 6 for the rest.")
    var level: Int32?

    @Option(help: "Compression threads; in a batch, subjects exported at the same time (default: the number of cores).")
    var jobs: Int?

    /// `--jobs`, or the number of cores.
    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    @Flag(help: "Print a JSON summary instead of the path (in a batch: instead of the summary line).")
    var json = false

    @Flag(help: "Batch: export every subject in the store.")
    var all = false

    @Option(help: ArgumentHelp("Batch: export the subjects listed in a file (- for stdin), one id per line.", valueName: "file"))
    var subjects: String?

    @Option(help: ArgumentHelp("Batch: only shard K of N (0-based), by FNV-1a hash of the subject id.", valueName: "K/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Batch: N shards, this one's index taken from JOB_COMPLETION_INDEX (Kubernetes Indexed Job).", valueName: "N"))
    var shards: Int?

    @Option(help: ArgumentHelp("Batch: the failure report, JSON Lines (default: <out>/seqport-report.jsonl).", valueName: "path"))
    var report: String?

    @Flag(name: .customLong("verify-existing"), help: "Batch: fully verify a bundle already in --out before skipping its subject.")
    var verifyExisting = false

    var isBatch: Bool { all || subjects != nil }

    @Flag(help: "Encrypt every entry with AES-256 (WinZip AE-2; opens in 7-Zip, Keka, bsdtar, not Windows Explorer or macOS Archive Utility). Passphrase: SEQPORT_PASSPHRASE, --passphrase-file, or generated into <bundle>.passphrase; in a batch one per subject, generated or from --passphrases.")
    var encrypt = false

    @OptionGroup var passphraseOptions: PassphraseOptions

    @Option(help: ArgumentHelp("Batch with --encrypt: each subject's passphrase from this file, one subject<TAB>passphrase per line (default: a new one per subject in <bundle>.passphrase).", valueName: "file"))
    var passphrases: String?

    @OptionGroup var modeOption: FileModeOption

    @OptionGroup var logOptions: LogOptions

    @Option(help: ArgumentHelp("Sign the manifest with this secret key (from seqport keygen): adds manifest.json.minisig.", valueName: "key"))
    var sign: String?

    func validate() throws {
        if let level, !(1...9).contains(level) { throw ValidationError("--level must be 1 to 9") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let lang, !["en", "sv"].contains(lang) { throw ValidationError("--lang must be en or sv") }
        if all && subjects != nil { throw ValidationError("give --all or --subjects FILE, not both") }
        if isBatch && subject != nil { throw ValidationError("--subject exports one subject; leave it out with --all or --subjects") }
        if !isBatch && (shard != nil || shards != nil || report != nil || verifyExisting) {
            throw ValidationError("--shard, --shards, --report and --verify-existing need --all or --subjects FILE")
        }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
        if passphraseOptions.passphraseFile != nil && !encrypt { throw ValidationError("--passphrase-file needs --encrypt") }
        if passphrases != nil && !(encrypt && isBatch) { throw ValidationError("--passphrases needs --encrypt and --all or --subjects FILE") }
        if encrypt && isBatch && passphraseOptions.passphraseFile != nil {
            throw ValidationError("a batch encrypts each subject with its own passphrase: give --passphrases FILE (subject<TAB>passphrase lines) or none to generate them, not --passphrase-file")
        }
    }

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            let given = storeLocation(store)
            let location = try given ?? SampleData.storeCreatingIfMissing(config)
            if isBatch { return try runBatch(config: config, location: location) }
            guard let subject = subject ?? (given == nil ? config.sampleSubject : nil) else {
                throw SeqPortError(.usage, "give --subject ID (there is no default subject for --store)")
            }
            let opened = try StoreLocator.open(location, schema: config.schema, readOnly: true)
            var options = try exportOptions(workers: jobCount)
            let secret = encrypt ? ExportPassphrase(given: try passphraseOptions.passphrase()) : nil
            options.passphrase = secret?.passphrase
            let result = try Exporter(store: opened, configuration: config).export(subject: subject, to: out, options: options)
            if let written = try secret?.deliver(bundle: result.path) {
                StandardStreams.err("seqport: passphrase written to \(written) (mode 0600); deliver it separately from the bundle\n")
            }
            if json { try printJSON(result) } else { try StandardStreams.line(result.path) }
        }
    }
}

extension ExportCommand {
    /// The export options these arguments give (one subject, or each bundle of a batch).
    func exportOptions(workers: Int? = nil) throws -> ExportOptions {
        ExportOptions(scope: scope, generatedAt: try generatedAt.map(parseTimestamp), language: lang, compressionLevel: level,
                          workers: workers, fileMode: modeOption.fileMode,
                          signingKey: try sign.map { try Minisign.SecretKey(file: try readKeyFile($0)) })
    }
}

extension Scope: ExpressibleByArgument {}
