import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert one file between JSON, JSON Lines, CSV and XML, with the bundle's conventions.",
        discussion: """
        With --category (from the configured schema) values are checked against their fields' types;
        without, any RFC 4180 CSV with a header, any JSON array of flat objects, JSON Lines and any XML
        of records is read as string values (NULL kept; XML attributes become fields).

        Examples:
          seqport convert partner.csv --to json --out partner.json
          seqport convert partner.csv --delimiter ';' --encoding windows-1252 --to jsonl
          seqport convert contact.json --to xml --category contact
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("The file to convert (.json, .jsonl/.ndjson, .csv or .xml).", valueName: "file"))
    var file: String

    @Option(help: "The format to write: json, jsonl, csv or xml.")
    var to: ConvertFormat

    @Option(help: "The input's format, when its extension does not say.")
    var from: ConvertFormat?

    @Option(help: ArgumentHelp("CSV separator: ',', ';', 'tab' or '|', or 'auto' to detect , ; or tab (default ',').", valueName: "sep"))
    var delimiter: String?

    @Option(help: ArgumentHelp("The input's encoding: utf-8, utf-16, iso-8859-1 or windows-1252 (default utf-8).", valueName: "name"))
    var encoding: String?

    @Option(help: "Check values against this category of the configured schema.")
    var category: String?

    @Option(help: ArgumentHelp("Where to write (default: standard output).", valueName: "file"))
    var out: String?

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        try reporting {
            guard let input = from ?? ConvertFormat.forPath(file) else {
                throw SeqPortError(.usage, "cannot tell the format of \(file); give --from json|jsonl|csv|xml")
            }
            var options = ConvertOptions()
            options.limits = limits.readerLimits
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
            var layout: RecordLayout?
            if let category {
                let schema = try configOptions.load().schema
                guard let c = schema.category(named: category) else { throw SeqPortError(.usage, "the schema has no category \"\(category)\"") }
                layout = c.layout(scope: .access)
            }
            try Converter.convert(path: file, from: input, to: to, layout: layout, out: out, options: options)
        }
    }
}

extension ConvertFormat: ExpressibleByArgument {}
