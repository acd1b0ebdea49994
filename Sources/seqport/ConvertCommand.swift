import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert one file between JSON, CSV and XML, with the bundle's conventions.",
        usage: "seqport convert <file> --to json|csv|xml [<options>]",
        discussion: """
        With --category (from the configured schema) values are checked against their fields' \
        types; without, any RFC 4180 CSV with a header, any JSON array of flat objects and any XML \
        of records is read as string values (NULL kept). --out writes a private file (0600) \
        atomically; a link, FIFO or device such as /dev/stdout is written in place.

        Examples:
          seqport convert partner.csv --to json --out partner.json
          seqport convert contact.json --to xml --category contact
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("The file to convert (.json, .csv or .xml).", valueName: "file"))
    var file: String

    @Option(help: "The format to write.")
    var to: BundleFormat

    @Option(help: "The input's format, when its extension does not say.")
    var from: BundleFormat?

    @Option(help: "Check values against this category of the configured schema.")
    var category: String?

    @Option(help: ArgumentHelp("Where to write (default: standard output).", valueName: "file"))
    var out: String?

    @OptionGroup var modeOption: FileModeOption

    @OptionGroup(title: "Limits") var limits: ReaderLimitOptions

    func run() throws {
        try reporting {
            guard let input = from ?? BundleFormat.forPath(file) else {
                throw SeqPortError(.usage, "cannot tell the format of \(file); give --from json|csv|xml")
            }
            var layout: RecordLayout?
            if let category {
                let schema = try configOptions.load().schema
                guard let c = schema.category(named: category) else { throw SeqPortError(.usage, "the schema has no category \"\(category)\"") }
                layout = c.layout(scope: .access)
            }
            try Converter.convert(path: file, from: input, to: to, layout: layout, out: out, limits: limits.readerLimits, mode: modeOption.fileMode)
        }
    }
}
