import ArgumentParser
import SeqPortModel
import SeqPortPipeline

/// How partner files are read: separator, encoding, column mapping, how many errors one run reports
/// (`convert`, `pack`, `import FILE`).
struct PartnerInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("CSV separator: ',', ';', 'tab', '|' or 'auto' (default ',').", valueName: "sep"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Input encoding: utf-8, utf-16, iso-8859-1 or windows-1252 (default utf-8).", valueName: "name"))
    var encoding: String?

    @Option(help: ArgumentHelp("A JSON mapping of partner columns to fields (Specs/partners.md).", valueName: "map.json"))
    var map: String?

    @Option(name: .customLong("max-errors"), help: ArgumentHelp("Report up to this many record errors in one run, then stop.", valueName: "n"))
    var maxErrors = 100

    func convertOptions(limits: ReaderLimits) throws -> ConvertOptions {
        var options = ConvertOptions()
        options.limits = limits
        guard maxErrors >= 1 else { throw SeqPortError(.usage, "--max-errors must be at least 1") }
        options.maxErrors = maxErrors
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
