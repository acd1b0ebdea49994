import SeqPortModel
@testable import SeqPortVCard
import XCTest

final class VCardTableTests: XCTestCase {
    func testFieldNamesOfATakeoutCard() throws {
        let card = try readCards(try fixture("takeout-3.0.vcf"))[0]
        let fields = VCardTable.fields(of: card)
        let names = fields.map(\.name)
        XCTAssertEqual(Array(names.prefix(8)), ["version", "fn", "n.family", "n.given", "n.additional", "n.prefix", "n.suffix", "note"])
        XCTAssertTrue(names.contains("item1/email"))
        XCTAssertTrue(names.contains("item1/email@type"))
        XCTAssertTrue(names.contains("item1/email@type.2"))
        XCTAssertTrue(names.contains("email"), "the second EMAIL has no group: its own base")
        XCTAssertTrue(names.contains("item1/x-ablabel"))
        XCTAssertTrue(names.contains("adr.street"))
        XCTAssertTrue(names.contains("x-google-talk"))
        XCTAssertEqual(Set(names).count, names.count, "no collisions")
        let value = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) })
        XCTAssertEqual(value["adr.street"], "Storgatan 1, lgh 4")
        XCTAssertEqual(value["tel@type"], "CELL")
    }

    func testOccurrencesComponentsAndValueLists() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nTEL:1\r\nTEL;TYPE=work,voice:2\r\nN:F;G;A1,A2;;;extra\r\nEND:VCARD\r\n"
        let fields = VCardTable.fields(of: try readCards(text)[0])
        XCTAssertEqual(fields.map(\.name), ["version", "tel", "tel.2", "tel.2@type", "tel.2@type.2",
                                            "n.family", "n.given", "n.additional", "n.additional.2", "n.prefix", "n.suffix", "n.part6"])
    }

    func testRecordsRoundTripThroughTheTable() throws {
        let bytes = try fixture("takeout-3.0.vcf")
        let layout = try VCardRecordReader.layout(scanning: MemorySource(bytes))
        var reader = VCardRecordReader(source: MemorySource(bytes), layout: layout)
        var records: [Record] = []
        while let r = try reader.next() { records.append(r) }
        XCTAssertEqual(records.count, 2)
        let sink = MemorySink()
        var writer = try VCardRecordWriter(layout: layout, sink: sink, format: .vcard(.v3_0))
        for r in records { try writer.write(r) }
        try writer.finish()
        let original = try readCards(bytes)
        let again = try readCards(sink.bytes)
        for (a, b) in zip(original, again) {
            XCTAssertEqual(Set(VCardTable.fields(of: a).map { "\($0.name)=\($0.value)" }),
                           Set(VCardTable.fields(of: b).map { "\($0.name)=\($0.value)" }))
        }
        // And the records read back from the rewritten file are the same records.
        var reader2 = VCardRecordReader(source: MemorySource(sink.bytes), layout: layout)
        for r in records { XCTAssertEqual(try reader2.next(), r) }
    }

    // The awkward values through the table, whole and in every chunk size: Tests/SeqPortFormatConformanceTests.

    func testNamesThatAreNotVCardFieldsAreRefused() {
        for name in ["First Name", "n.nickname", "tel.1", "tel@", "a b", "x/y/z"] {
            let layout = RecordLayout(name: "", fields: [.untyped(name)], isTyped: false)
            let error = seqPortError { _ = try VCardRecordWriter(layout: layout, sink: MemorySink()) }
            XCTAssertEqual(error?.code, .vcardUnrepresentable, name)
        }
    }
}

extension VCardTableTests {
    func testHugeNumbersInFieldNamesAreNotFieldNames() {
        for name in ["n.part1000000000", "n.family.99999", "tel.1025", "tel@type.5000", "n.part+7"] {
            XCTAssertFalse(VCardTable.isFieldName(name), name)
        }
        XCTAssertTrue(VCardTable.isFieldName("n.part1024"))
    }
}

extension VCardTableTests {
    func testRecordsThroughJCardAndBack() throws {
        let bytes = try fixture("takeout-3.0.vcf")
        let layout = try VCardRecordReader.layout(scanning: MemorySource(bytes))
        var reader = VCardRecordReader(source: MemorySource(bytes), layout: layout)
        let sink = MemorySink()
        var writer = try VCardRecordWriter(layout: layout, sink: sink, format: .jcard)
        var records: [Record] = []
        while let r = try reader.next() { records.append(r); try writer.write(r) }
        try writer.finish()
        let jLayout = try VCardRecordReader.layout(scanning: MemorySource(sink.bytes), format: .jcard)
        var jReader = VCardRecordReader(source: MemorySource(sink.bytes), layout: jLayout, format: .jcard)
        var back: [Record] = []
        while let r = try jReader.next() { back.append(r) }
        XCTAssertEqual(back.count, records.count)
        // jCard is 4.0: the version field differs, and the 3.0 photo becomes a data: URI; the rest is equal.
        for (a, b) in zip(records, back) {
            let left = Dictionary(uniqueKeysWithValues: zip(layout.fields.map(\.name), a.values)).filter { !$0.key.hasPrefix("photo") && $0.key != "version" && !$0.value.isNull }
            let right = Dictionary(uniqueKeysWithValues: zip(jLayout.fields.map(\.name), b.values)).filter { !$0.key.hasPrefix("photo") && $0.key != "version" && !$0.value.isNull }
            XCTAssertEqual(left, right)
        }
    }
}
