import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Build a partner bundle from partner files named by category, ready for import.",
        usage: "seqport pack --subject <id> --out <bundle.zip> [<options>] <file> ...",
        discussion: """
        Each file is named after its category (contact.csv, email_addresses.jsonl, \
        consents.xlsx, …) and read with that category's types, through --map when the partner's \
        columns have other names; a workbook's sheet is the one named after the category, or its \
        only sheet. \
        The bundle holds the JSON, CSV and XML copies, the schema documents and a manifest with \
        every checksum; it has no fingerprints, so import matches its records by key \
        (Specs/partners.md). Every record error of every file is reported, up to --max-errors; \
        then no bundle is written.

        Examples:
          seqport pack --subject s-00042 --out partner.zip \\
              contact.csv email_addresses.jsonl
          seqport pack --subject s-00042 --map partner-map.json \\
              --encoding windows-1252 --delimiter ';' --out partner.zip contact.csv
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("Partner files named <category>.csv|.json|.jsonl|.ndjson|.xml|.xlsx.", valueName: "file"))
    var files: [String]

    @Option(help: "The subject the records belong to.")
    var subject: String

    @Option(help: ArgumentHelp("Where to write the bundle.", valueName: "bundle.zip"))
    var out: String

    @Option(name: .customLong("generated-at"), help: ArgumentHelp("The bundle's time (RFC 3339), for byte-identical bundles (default: now).", valueName: "time"))
    var generatedAt: String?

    @OptionGroup var partner: PartnerInputOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            let result = try Packer(configuration: config).pack(subject: subject, inputs: files.map { .init(path: $0) },
                                                                map: try partner.columnMap(), options: try partner.convertOptions(limits: limits.readerLimits), out: out,
                                                                generatedAt: try generatedAt.map(parseTimestamp) ?? Date())
            try StandardStreams.line(TerminalText.escape(result.path))
        }
    }
}
