import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one subject's records as a bundle (JSON + CSV + XML, manifest, schemas, a readable page).",
        discussion: """
        With no arguments, exports the sample subject from the sample store named in the configuration
        (creating the sample store first if it is missing) and prints the bundle's path.

        Examples:
          seqport export
          seqport export --store data.sqlite --subject s-00042 --out bundles --scope portability
          seqport export --store data.sqlite --subject s-00042 --generated-at 2026-01-01T00:00:00Z --json
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("The store: a SQLite path, sqlite:PATH or postgres://… (default: the sample store).", valueName: "path-or-url"))
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

    @Option(help: "Compression level, 1 (fastest) to 9 (smallest).")
    var level: Int32 = 6

    @Option(help: "Compression threads (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print a JSON summary instead of the path.")
    var json = false

    @Flag(help: "Encrypt every entry with AES-256 (WinZip AE-2; opens in 7-Zip, Keka, bsdtar, not Windows Explorer or macOS Archive Utility). Passphrase: SEQPORT_PASSPHRASE, --passphrase-file, or generated into <bundle>.passphrase.")
    var encrypt = false

    @OptionGroup var passphraseOptions: PassphraseOptions

    func validate() throws {
        guard (1...9).contains(level) else { throw ValidationError("--level must be 1 to 9") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let lang, !["en", "sv"].contains(lang) { throw ValidationError("--lang must be en or sv") }
        if passphraseOptions.passphraseFile != nil && !encrypt { throw ValidationError("--passphrase-file needs --encrypt") }
    }

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            let location = try store ?? sampleStoreCreatingIfMissing(config)
            guard let subject = subject ?? (store == nil ? config.sampleSubject : nil) else {
                throw SeqPortError(.usage, "give --subject ID (there is no default subject for --store)")
            }
            let opened = try StoreLocator.open(location, schema: config.schema, readOnly: true)
            var options = ExportOptions()
            options.scope = scope
            options.generatedAt = try generatedAt.map(parseTimestamp)
            options.language = lang
            options.compressionLevel = level
            options.workers = jobs
            let secret = encrypt ? try ExportPassphrase(passphraseOptions) : nil
            options.passphrase = secret?.passphrase
            let result = try Exporter(store: opened, configuration: config).export(subject: subject, to: out, options: options)
            try secret?.deliver(bundle: result.path)
            if json { try printJSON(result) } else { print(result.path) }
        }
    }
}

/// The configuration's sample store, created with the default sample size when it does not exist yet.
func sampleStoreCreatingIfMissing(_ config: Configuration) throws -> String {
    guard let path = config.sampleStore else {
        throw SeqPortError(.usage, "give --store (the configuration names no sample store)")
    }
    if !FileManager.default.fileExists(atPath: path) {
        let store = try StoreLocator.open(path, schema: config.schema, create: true)
        try SampleData(subjects: SampleCommand.defaultSubjects, events: SampleCommand.defaultEvents).populate(store)
    }
    return path
}

extension Scope: ExpressibleByArgument {}
