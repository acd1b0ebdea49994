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
        Each file is named after its category (contact.csv, email_addresses.jsonl, …) and read \
        with that category's types, through --map when the partner's columns have other names. \
        The bundle holds the JSON, CSV and XML copies, the schema documents and a manifest with \
        every checksum; it has no fingerprints, so import matches its records by key \
        (Specs/partners.md).

        Examples:
          seqport pack --subject s-00042 --out partner.zip \\
              contact.csv email_addresses.jsonl
          seqport pack --subject s-00042 --map partner-map.json \\
              --encoding windows-1252 --delimiter ';' --out partner.zip contact.csv
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("Partner files named <category>.csv|.json|.jsonl|.ndjson|.xml.", valueName: "file"))
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

/// How partner files are read: separator, encoding, column mapping (`convert`, `pack`, `import FILE`).
struct PartnerInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("CSV separator: ',', ';', 'tab', '|' or 'auto' (default ',').", valueName: "sep"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Input encoding: utf-8, utf-16, iso-8859-1 or windows-1252 (default utf-8).", valueName: "name"))
    var encoding: String?

    @Option(help: ArgumentHelp("A JSON mapping of partner columns to fields (Specs/partners.md).", valueName: "map.json"))
    var map: String?

    func convertOptions(limits: ReaderLimits) throws -> ConvertOptions {
        var options = ConvertOptions()
        options.limits = limits
        switch delimiter {
        case nil, ",": options.delimiter = UInt8(ascii: ",")
        case ";": options.delimiter = UInt8(ascii: ";")
        case "|": options.delimiter = UInt8(ascii: "|")
        case "tab", "\t", "\\t": options.delimiter = 0x09
        case "auto": options.delimiter = nil
        default: throw SeqPortError(.usage, "--delimiter must be ',', ';', 'tab', '|' or 'auto'")
        }
        if let encoding {
            guard let e = TextEncoding(rawValue: encoding.lowercased()) else {
                throw SeqPortError(.usage, "--encoding must be one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.encoding = e
        }
        return options
    }

    func columnMap() throws -> ColumnMap? { try map.map { try ColumnMap.load(path: $0) } }
}
