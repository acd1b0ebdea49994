import SeqPortCSV
import SeqPortJSON
import SeqPortModel
import SeqPortXML

/// The registry of record formats: the one place that knows all of them. A new format is one module
/// with a reader and a writer, and one case here.
public enum BundleFormat: String, CaseIterable, Sendable, Codable {
    case json, csv, xml

    /// A writer of this format over a sink.
    public func makeWriter(layout: RecordLayout, sink: any ByteSink) throws -> any RecordWriter {
        switch self {
        case .json: return JSONRecordWriter(layout: layout, sink: sink)
        case .csv: return CSVWriter(layout: layout, sink: sink)
        case .xml: return try XMLRecordWriter(layout: layout, sink: sink)
        }
    }

    /// A reader of this format; `layout == nil` reads untyped (string) records. `returned` reads a copy
    /// as a subject's tools may have saved it (import): CSV with its separator detected and spreadsheet
    /// values tolerated (`Specs/csv.md`); verify reads strictly.
    public func makeReader(source: any ByteSource, layout: RecordLayout?, limits: ReaderLimits = .default,
                           xsd: XMLSchema? = nil, returned: Bool = false) throws -> any RecordReader {
        switch self {
        case .json: return try JSONRecordReader(source: source, layout: layout, limits: limits)
        case .csv: return try CSVReader(source: source, layout: layout, options: returned ? .spreadsheet : .init(), limits: limits)
        case .xml: return try XMLRecordReader(source: source, layout: layout, limits: limits, schema: xsd)
        }
    }

    /// The format a file name's extension names, if any.
    public static func forPath(_ path: String) -> BundleFormat? {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return BundleFormat(rawValue: ext)
    }
}
