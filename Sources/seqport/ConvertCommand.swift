import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert one file between JSON, JSON Lines, CSV, XML and vCard.",
        usage: "seqport convert <file> --to json|jsonl|csv|xml|vcf|vcf3|jcard [<options>]",
        discussion: """
        With --category (from the configured schema) values are checked against their fields' \
        types; without, any RFC 4180 CSV with a header, any JSON array of flat objects, JSON \
        Lines, any XML of records (attributes become fields) and vCards are read as string values \
        (NULL kept). --out writes a private file (0600) atomically; a link, FIFO or device such as \
        /dev/stdout is written in place. Every record error is reported, up to --max-errors.

        Examples:
          seqport convert partner.csv --to json --out partner.json
          seqport convert partner.csv --delimiter ';' --encoding windows-1252 \\
              --to jsonl
          seqport convert contact.json --to xml --category contact
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("The file to convert (.json, .jsonl/.ndjson, .csv, .xml, .vcf or .jcard).", valueName: "file"))
    var file: String

    @Option(help: "The format to write: json, jsonl, csv or xml.")
    var to: ConvertFormat

    @Option(help: "The input's format, when its extension does not say.")
    var from: ConvertFormat?

    @Option(help: "Check values against this category of the configured schema.")
    var category: String?

    @Option(help: ArgumentHelp("Where to write (default: standard output).", valueName: "file"))
    var out: String?

    @OptionGroup var partner: PartnerInputOptions

    @OptionGroup var modeOption: FileModeOption

    @OptionGroup(title: "Limits") var limits: ReaderLimitOptions

    func run() throws {
        try reporting {
            guard let input = from ?? ConvertFormat.forPath(file) else {
                throw SeqPortError(.usage, "cannot tell the format of \(file); give --from json|jsonl|csv|xml")
            }
            var options = try partner.convertOptions(limits: limits.readerLimits)
            options.mode = modeOption.fileMode
            var layout: RecordLayout?
            if let category {
                let schema = try configOptions.load().schema
                guard let c = schema.category(named: category) else { throw SeqPortError(.usage, "the schema has no category \"\(category)\"") }
                layout = c.layout(scope: .access)
            }
            // Every record error up to --max-errors comes back as one `ErrorList`, which `reporting` prints.
            if let map = try partner.columnMap() {
                guard let layout else { throw SeqPortError(.usage, "--map needs --category: the fields the columns map to") }
                try Converter.convert(path: file, from: input, to: to, layout: layout, out: out, options: options, map: map)
            } else {
                try Converter.convert(path: file, from: input, to: to, layout: layout, out: out, options: options)
            }
        }
    }
}

extension ConvertFormat: ExpressibleByArgument {}
