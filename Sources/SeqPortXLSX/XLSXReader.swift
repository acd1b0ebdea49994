import SeqPortArchive
import SeqPortModel

/// Opens a workbook (`.xlsx`) from strangers and reads its sheets as records (`Specs/xlsx.md`, "Reading").
///
/// `init` checks the archive (`ZipReader` with its limits), refuses external links, and reads the
/// workbook's sheet list, date system and number formats; shared strings are read (within
/// `Limits.maxSharedStrings` and `maxSharedStringBytes`) the first time a sheet is opened.
///
/// ```swift
/// let workbook = try XLSXReader(path: "data.xlsx")
/// var reader = try workbook.sheet(named: "contact", layout: layout)
/// while let record = try reader.next() { … }
/// ```
public final class XLSXReader {
    /// What a workbook from a stranger may hold.
    public struct Limits: Sendable {
        /// The archive's limits. Default `ZipLimits.default`.
        public var zip: ZipLimits = .default
        /// Value size, field count and name length, as for every reader.
        public var values: ReaderLimits = .default
        /// Strings in `xl/sharedStrings.xml`. Default 1,048,576.
        public var maxSharedStrings: Int = 1 << 20
        /// UTF-8 bytes of all shared strings together (they are held in memory). Default 64 MiB.
        public var maxSharedStringBytes: Int = 64 << 20
        /// Bytes of a part read whole: the workbook, its relationships, the styles. Default 16 MiB.
        public var maxPartBytes: Int = 16 << 20
        /// UTF-8 bytes of one row's values together. Shared strings let a small file name one long
        /// string in every cell; this bounds what one record can cost. Default 64 MiB.
        public var maxRecordBytes: Int = 64 << 20

        public init() {}
    }

    /// One sheet as the workbook lists it.
    public struct Sheet: Hashable, Sendable {
        /// The name on its tab.
        public var name: String
        /// The part that holds it (`xl/worksheets/sheet1.xml`).
        public var part: String
    }

    public let limits: Limits
    /// The sheets in workbook order.
    public private(set) var sheets: [Sheet] = []
    /// Whether serial dates count from 1904 (`workbookPr date1904`).
    public private(set) var date1904 = false
    let zip: ZipReader
    /// Per cell style (`s`): whether its number format shows a date or time.
    private(set) var dateStyles: [Bool] = []
    private var sharedStringsPart: String?
    private var sharedStrings: XLSXSharedStrings?

    static let relationshipsNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Opens and checks the workbook at `path`.
    /// - Throws: `io.failed`; a `zip.*` refusal; `xlsx.external`, `xlsx.dtd`, `xlsx.syntax`,
    ///   `xlsx.missing-part`.
    public init(path: String, limits: Limits = .init()) throws {
        self.limits = limits
        zip = try ZipReader(path: path, limits: limits.zip)
        for entry in zip.entries where entry.name.lowercased().contains("externallink") {
            throw SeqPortError(.xlsxExternal, "external links are refused", at: SourceLocation(entry: entry.name))
        }
        let workbookPart = try officeDocument()
        let rels = try relationships(of: workbookPart)
        try readWorkbook(workbookPart, rels: rels)
        if let styles = rels.values.first(where: { $0.type.hasSuffix("/styles") }) {
            dateStyles = try XLSXStyles.dateStyles(try stream(styles.target, whole: true))
        }
        sharedStringsPart = rels.values.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target
    }

    /// The sheet names in workbook order.
    public var sheetNames: [String] { sheets.map(\.name) }

    /// A reader of the sheet called `name`.
    /// - Parameters:
    ///   - layout: the expected fields (the header row must name exactly these, in any order), or
    ///     `nil` to take the header row as an untyped layout named after the sheet.
    /// - Throws: `xlsx.no-such-sheet`; what reading the shared strings throws.
    public func sheet(named name: String, layout: RecordLayout?) throws -> XLSXSheetReader {
        guard let sheet = sheets.first(where: { $0.name == name }) else {
            throw SeqPortError(.xlsxNoSuchSheet, "the workbook has no sheet of this name", at: SourceLocation(entry: name))
        }
        return try self.sheet(sheet, layout: layout)
    }

    /// A reader of `sheet`.
    public func sheet(_ sheet: Sheet, layout: RecordLayout?) throws -> XLSXSheetReader {
        if sharedStrings == nil {
            if let part = sharedStringsPart {
                sharedStrings = try XLSXSharedStrings(stream: try stream(part), limits: limits)
            } else {
                sharedStrings = XLSXSharedStrings()
            }
        }
        return try XLSXSheetReader(stream: try stream(sheet.part), sheet: sheet.name, layout: layout,
                                   sharedStrings: sharedStrings!, dateStyles: dateStyles, date1904: date1904,
                                   limits: limits.values, maxRecordBytes: limits.maxRecordBytes)
    }

    // MARK: - Parts

    /// A stream over one part; `whole` parts are read within `maxPartBytes`.
    func stream(_ part: String, whole: Bool = false) throws -> XLSXXMLStream {
        guard let entry = zip.entry(named: part) else {
            throw SeqPortError(.xlsxMissingPart, "the workbook has no such part", at: SourceLocation(entry: part))
        }
        if whole {
            let bytes = try zip.readAll(entry, maxBytes: limits.maxPartBytes)
            return try XLSXXMLStream(source: MemorySource(bytes), part: part)
        }
        return try XLSXXMLStream(source: try zip.open(entry), part: part)
    }

    /// The workbook part named by `_rels/.rels` (`xl/workbook.xml` when there is no such relationship).
    private func officeDocument() throws -> String {
        guard zip.entry(named: "_rels/.rels") != nil else { return "xl/workbook.xml" }
        let rels = try relationships(of: "")
        return rels.values.first(where: { $0.type.hasSuffix("/officeDocument") })?.target ?? "xl/workbook.xml"
    }

    struct Relationship { var type: String; var target: String }

    /// The relationships of `part` by id, targets resolved to part names; an external target is refused.
    private func relationships(of part: String) throws -> [String: Relationship] {
        let directory = part.split(separator: "/").dropLast().joined(separator: "/")
        let file = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPart = (directory.isEmpty ? "" : directory + "/") + "_rels/" + file + ".rels"
        guard zip.entry(named: relsPart) != nil else {
            if part.isEmpty { return [:] }
            throw SeqPortError(.xlsxMissingPart, "the workbook has no relationships part", at: SourceLocation(entry: relsPart))
        }
        let xml = try stream(relsPart, whole: true)
        var result: [String: Relationship] = [:]
        while try xml.read() {
            guard xml.isStart("Relationship") else { continue }
            if xml.attribute("TargetMode")?.lowercased() == "external" {
                throw xml.fail(.xlsxExternal, "a relationship to an external target is refused")
            }
            guard let id = xml.attribute("Id"), let type = xml.attribute("Type"), let target = xml.attribute("Target") else {
                throw xml.fail(.xlsxSyntax, "a relationship without id, type or target")
            }
            result[id] = Relationship(type: type, target: Self.resolve(target, from: directory))
        }
        return result
    }

    /// A relationship target as a part name: absolute (`/xl/…`) or relative to `directory`, `..` applied.
    static func resolve(_ target: String, from directory: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : directory.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == "." || piece.isEmpty { continue }
            if piece == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(piece)
        }
        return parts.joined(separator: "/")
    }

    private func readWorkbook(_ part: String, rels: [String: Relationship]) throws {
        let xml = try stream(part, whole: true)
        while try xml.read() {
            if xml.isStart("workbookPr") {
                let value = xml.attribute("date1904")?.lowercased()
                date1904 = value == "1" || value == "true"
            } else if xml.isStart("sheet") {
                guard let name = xml.attribute("name"), let id = xml.attribute("id", namespace: Self.relationshipsNS) else {
                    throw xml.fail(.xlsxSyntax, "a sheet without a name or relationship id")
                }
                guard let rel = rels[id] else {
                    throw xml.fail(.xlsxMissingPart, "a sheet's relationship id names no part")
                }
                // Chart sheets and dialog sheets are listed too; only worksheets hold cells.
                guard rel.type.hasSuffix("/worksheet") else { continue }
                sheets.append(Sheet(name: name, part: rel.target))
            }
        }
        guard !sheets.isEmpty else { throw xml.fail(.xlsxSyntax, "the workbook lists no worksheet") }
    }
}
