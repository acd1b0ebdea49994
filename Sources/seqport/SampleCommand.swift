import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Create a deterministic synthetic store (same arguments, same data) for demos, tests and benchmarks.",
        usage: "seqport sample --out <path-or-url> [--subjects <n>] [<options>]",
        discussion: """
        Subject s-00001 carries awkward values on purpose (quotes, CR/LF, <&>, emoji, \
        right-to-left text, a control character, a leading =, NULL beside empty strings).

        Examples:
          seqport sample --subjects 10000 --events 20 --out batch.sqlite
          seqport sample --subjects 1 --events 1000000 --out large.sqlite
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "How many subjects.")
    var subjects: Int = SampleData.defaultSubjects

    @Option(help: "Usage events per subject.")
    var events: Int = SampleData.defaultEvents

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 2024

    @Option(help: ArgumentHelp("The store to create: a new SQLite path (or sqlite:PATH).", valueName: "path-or-url"))
    var out: String

    @Flag(help: "Replace an existing SQLite file.")
    var force = false

    func validate() throws {
        guard subjects >= 1, subjects <= 99_999_999 else { throw ValidationError("--subjects must be 1 to 99999999") }
        guard events >= 0 else { throw ValidationError("--events must not be negative") }
    }

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            if case .sqlite(let path) = try StoreLocator.kind(of: out), FileManager.default.fileExists(atPath: path) {
                guard force else { throw SeqPortError(.usage, "\(path) exists (use --force to replace it)") }
                try FileManager.default.removeItem(atPath: path)
            }
            let store = try StoreLocator.open(out, schema: config.schema, create: true)
            try SampleData(subjects: subjects, events: events, seed: seed).populate(store)
            try StandardStreams.line(out)
        }
    }
}
