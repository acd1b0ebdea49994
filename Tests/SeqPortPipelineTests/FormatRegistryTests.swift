import Foundation
@testable import SeqPortBundle
import SeqPortModel
import XCTest
@testable import SeqPortPipeline

/// The format registry (`Sources/SeqPortBundle/FormatRegistry.swift`): what the rest of seqport reads
/// from it must stay what bundles, `--to` and `--format` have always been.
final class FormatRegistryTests: XCTestCase {
    func testEveryBundleHoldsTheJSONCSVAndXMLCopiesInThisOrder() {
        XCTAssertEqual(FormatRegistry.copies.map(\.name), ["json", "csv", "xml"])
        XCTAssertEqual(BundleFormat.allCases.map(\.rawValue), ["json", "csv", "xml"])
        XCTAssertEqual(BundleFormat.allCases.map(\.descriptor.label), ["JSON", "CSV", "XML"])
        XCTAssertEqual(BundleLayout.data("contact", .xml), "xml/contact.xml")
        XCTAssertEqual(FormatDescriptor.xml.bundlePath(category: "contact"), "xml/contact.xml")
        XCTAssertNil(BundleFormat(rawValue: "jsonl"), "JSON Lines is no bundle copy")
        XCTAssertNil(BundleFormat(rawValue: "xlsx"), "the workbook is no per-category copy")
    }

    func testNamesAndExtensionsNameOneFormatEach() {
        let names = FormatRegistry.all.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        let extensions = FormatRegistry.all.flatMap(\.extensions)
        XCTAssertEqual(Set(extensions).count, extensions.count)
    }

    func testConvertOffersTheFormatsItAlwaysDid() {
        XCTAssertEqual(ConvertFormat.allCases.map(\.rawValue), ["json", "jsonl", "csv", "xml", "vcf", "vcf3", "jcard"])
        XCTAssertEqual(ConvertFormat.forPath("in/p.NDJSON"), .jsonl)
        XCTAssertEqual(ConvertFormat.forPath("c.vcard"), .vcf)
        XCTAssertEqual(ConvertFormat.forPath("c.vcf3"), .vcf3)
        XCTAssertNil(ConvertFormat.forPath("book.xlsx"), "convert does not stream a workbook")
        XCTAssertNil(ConvertFormat.forPath("csv"), "a name without an extension names no format")
        XCTAssertNil(ConvertFormat.forPath("data.csv/file"))
        XCTAssertEqual(FormatRegistry.forPath("book.XLSX")?.kind, .workbook)
    }

    func testImportReadsBackTheCopiesAndTheWorkbook() {
        XCTAssertEqual(FormatRegistry.readBackNames, "json, csv, xml or xlsx")
        XCTAssertEqual(FormatDescriptor.xlsx.bundlePath(category: "any"), BundleLayout.workbook)
        XCTAssertEqual(FormatDescriptor.vcard.bundlePath(category: "any"), BundleLayout.contactCard)
        XCTAssertEqual(FormatDescriptor.vcard.mediaType, "text/vcard")
    }

    func testEachPartGetsItsMeasuredLevelUnlessOneIsForced() {
        let measured = BundleLevels(forced: nil)
        XCTAssertEqual(measured.copies, [.json: 5, .csv: 5, .xml: 6])
        XCTAssertEqual(measured.level(of: .xlsx), 4)
        XCTAssertEqual(measured.other, 6)
        let forced = BundleLevels(forced: 9)
        XCTAssertEqual(forced.copies, [.json: 9, .csv: 9, .xml: 9])
        XCTAssertEqual([forced.level(of: .xlsx), forced.other], [9, 9])
    }

    /// The workbook and the contact card are written through their registry entries, in registry order
    /// (the order of their entries in every bundle); only the workbook is read back from a bundle, and an
    /// edited card is refused with the entry's own words.
    func testTheSharedEntriesAreMadeByTheirRegistryEntries() {
        let writers = FormatRegistry.all.filter { $0.sharedWriter != nil }
        XCTAssertEqual(writers.map(\.name), ["xlsx", "vcf"])
        XCTAssertEqual(writers.map { $0.bundlePath(category: "any") }, [BundleLayout.workbook, BundleLayout.contactCard])
        XCTAssertEqual(FormatRegistry.all.filter { $0.sharedReader != nil }.map(\.name), ["xlsx"])
        XCTAssertNotNil(FormatDescriptor.vcard.editedRefusal)
        XCTAssertEqual(FormatRegistry.all.filter(\.savedBySpreadsheets).map(\.name), ["csv", "xlsx"])
        XCTAssertEqual(FormatRegistry.all.filter { $0.partnerFileReader != nil }.map(\.name), ["xlsx"])
        for format in FormatRegistry.all where format.kind == .copy || format.kind == .file {
            XCTAssertNil(format.sharedWriter, format.name)
            XCTAssertNotNil(format.reader, format.name)
            XCTAssertNotNil(format.writer, format.name)
        }
    }

    func testTheSchemaDocumentsComeInRegistryOrder() throws {
        let schema = SchemaArtifacts.exportedSchema(try defaultConfiguration().schema, scope: .access)
        let paths = try SchemaArtifacts.bundleEntries(for: schema, scope: .access).map(\.path)
        XCTAssertEqual(paths, [BundleLayout.schemaDocument] + schema.categories.map { BundleLayout.jsonSchema($0.name) } + [BundleLayout.xsd])
    }

    func testABundleFormatIsCodedAsItsName() throws {
        XCTAssertEqual(String(decoding: try JSONEncoder().encode([BundleFormat.csv]), as: UTF8.self), "[\"csv\"]")
        XCTAssertEqual(try JSONDecoder().decode([BundleFormat].self, from: Data("[\"xml\"]".utf8)), [.xml])
        XCTAssertThrowsError(try JSONDecoder().decode([BundleFormat].self, from: Data("[\"xlsx\"]".utf8)))
    }

    /// Every format with a streaming writer and reader gives back what it was given, through the
    /// registry alone (cards through their two passes).
    func testEveryStreamingFormatRoundTripsThroughTheRegistry() throws {
        let layout = RecordLayout(name: "contact", fields: [Field(name: "fn", type: .string, nullable: false),
                                                            Field(name: "note", type: .string, nullable: true)])
        let record = Record([.text("Anna \"A\" Berg, <&>"), .text("line\r\nbreak")])
        for format in FormatRegistry.all where format.reader != nil && format.writer != nil && format.kind != .card {
            let sink = MemorySink()
            var writer = try format.makeWriter(layout: layout, sink: sink)
            try writer.write(record)
            try writer.finish()
            var reader = try format.makeReader(source: MemorySource(sink.bytes), context: FormatReadContext(layout: layout))
            XCTAssertEqual(try reader.next(), record, format.name)
            XCTAssertNil(try reader.next(), format.name)
        }
        let cardLayout = RecordLayout(name: "cards", fields: [Field(name: "fn", type: .string, nullable: true)], isTyped: false)
        for format in FormatRegistry.all where format.kind == .card {
            let sink = MemorySink()
            var writer = try format.makeWriter(layout: cardLayout, sink: sink)
            try writer.write(Record([.text("Anna Berg")]))
            try writer.finish()
            XCTAssertThrowsError(try format.makeReader(source: MemorySource(sink.bytes), context: FormatReadContext(layout: nil)),
                                 "\(format.name): a card needs its second pass")
            let bytes = sink.bytes
            var reader = try format.makeReader(source: MemorySource(bytes),
                                               context: FormatReadContext(layout: nil, reopen: { MemorySource(bytes) }))
            let read = try XCTUnwrap(try reader.next(), format.name)
            XCTAssertEqual(reader.layout.index(of: "fn").map { read[$0] }, .text("Anna Berg"), format.name)
        }
    }
}
