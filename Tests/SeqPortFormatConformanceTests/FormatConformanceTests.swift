import SeqPortFormatConformance
import SeqPortModel
import SeqPortTestSupport
import XCTest

/// The format conformance suite: every format of `ConformanceFormat.all` carries the one awkward-values
/// list (`AwkwardValues`) byte for byte, typed and untyped, written as records and as views, read whole,
/// one byte at a time and in every chunk size; and its malformed inputs give the error code and place
/// its spec gives, at every chunk size. What a format cannot do is in its capabilities, and each test
/// says what it left out. A new format gets all of it by adding one entry.
final class FormatConformanceTests: XCTestCase {
    /// Chunk sizes tried one by one on the small document: every size from 1 to this.
    static let everyChunkSizeUpTo = 64
    /// Sizes around the readers' buffers (4 KiB, 64 KiB), tried on the whole document.
    static let boundarySizes = [4095, 4096, 4097, 65_535, 65_536, 65_537]

    private func values(_ format: ConformanceFormat) -> [AwkwardValue] {
        AwkwardValues.carried(excluding: Set(format.capabilities.cannotCarry.keys))
    }

    /// Says, once per format and test, what the format's capabilities leave out.
    private func report(_ format: ConformanceFormat, _ test: String, extra: [String] = []) {
        let leftOut = format.capabilities.leftOut + extra
        let carried = values(format).count
        print("conformance \(format.name), \(test): \(carried) of \(AwkwardValues.all.count) awkward values"
              + (leftOut.isEmpty ? "" : "; left out: " + leftOut.joined(separator: "; ")))
    }

    /// Asserts `back` is `records` value for value, naming the first differing record and field.
    private func assertSame(_ back: [Record], _ records: [Record], _ layout: RecordLayout, _ context: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(back.count, records.count, "\(context): record count", file: file, line: line)
        for (r, (a, b)) in zip(back, records).enumerated() where a != b {
            for (k, field) in layout.fields.enumerated() where k < a.values.count && k < b.values.count && a.values[k] != b.values[k] {
                XCTFail("\(context): record \(r + 1) field \(field.name): read \(a.values[k].text.map { Array($0.utf8).prefix(40).description } ?? "NULL"), "
                        + "wrote \(b.values[k].text.map { Array($0.utf8).prefix(40).description } ?? "NULL")", file: file, line: line)
                return
            }
            XCTFail("\(context): record \(r + 1) differs in width", file: file, line: line)
            return
        }
    }

    // MARK: Round trips

    func testTypedRoundTripKeepsEveryValueByteForByteAndEmptyApartFromNull() throws {
        for format in ConformanceFormat.all {
            report(format, "typed round trip")
            let layout = format.capabilities.typedLayout
            let records = AwkwardValues.records(layout, values: values(format))
            XCTAssertTrue(records.contains { $0.values.contains(.null) } && records.contains { $0.values.contains("") })
            for views in format.capabilities.noViews == nil ? [false, true] : [false] {
                let bytes = try format.write(layout, records, views)
                let (readLayout, back) = try format.read(bytes, [Int.max], layout)
                XCTAssertEqual(readLayout, layout, format.name)
                assertSame(back, records, layout, "\(format.name) typed\(views ? " (views)" : "")")
            }
        }
    }

    /// Many records read into one batch (the dry-run import's and verify's path) are the records
    /// `next()` returns, typed and untyped, every value byte for byte.
    func testRecordsReadIntoOneBatchAreTheRecordsNextReturns() throws {
        for format in ConformanceFormat.all {
            guard let readBatched = format.readBatched else { continue }
            let typedLayout = format.capabilities.typedLayout
            let typed = AwkwardValues.records(typedLayout, values: values(format))
            assertSame(try readBatched(try format.write(typedLayout, typed, false), typedLayout), typed, typedLayout, "\(format.name) typed, batched")
            let untypedLayout = format.capabilities.untypedLayout
            let untyped = values(format).enumerated().map { format.untypedRecord($0.offset, $0.element.value) }
            assertSame(try readBatched(try format.write(untypedLayout, untyped, false), nil), untyped, untypedLayout, "\(format.name) untyped, batched")
        }
    }

    func testViewsAndRecordsWriteTheSameBytes() throws {
        for format in ConformanceFormat.all where format.capabilities.noViews == nil {
            let layout = format.capabilities.typedLayout
            let records = AwkwardValues.records(layout, values: values(format))
            XCTAssertEqual(try format.write(layout, records, true), try format.write(layout, records, false), format.name)
        }
    }

    func testUntypedRoundTripKeepsEveryValueAndTheFieldNames() throws {
        for format in ConformanceFormat.all {
            report(format, "untyped round trip")
            let layout = format.capabilities.untypedLayout
            let records = values(format).enumerated().map { format.untypedRecord($0.offset, $0.element.value) }
            let bytes = try format.write(layout, records, false)
            let (readLayout, back) = try format.read(bytes, [Int.max], nil)
            XCTAssertEqual(readLayout.fields.map(\.name), layout.fields.map(\.name), format.name)
            XCTAssertFalse(readLayout.isTyped, format.name)
            assertSame(back, records, layout, "\(format.name) untyped")
        }
    }

    // MARK: Chunked input

    /// The whole document one byte at a time, and in reads of the sizes around the readers' buffers.
    func testTheWholeDocumentReadsTheSameOneByteAtATimeAndAcrossBufferBoundaries() throws {
        for format in ConformanceFormat.all {
            guard format.capabilities.notStreaming == nil else { report(format, "chunked input"); continue }
            let layout = format.capabilities.typedLayout
            let records = AwkwardValues.records(layout, values: values(format))
            let bytes = try format.write(layout, records, false)
            for sizes in [[1]] + Self.boundarySizes.map({ [$0] }) + [[1, 65_535, 2]] {
                assertSame(try format.read(bytes, sizes, layout).1, records, layout, "\(format.name) in reads of \(sizes)")
            }
        }
    }

    /// A document of every value but the long ones, in every chunk size from 1 to 64 and in seeded
    /// random sequences of sizes; typed and untyped.
    func testEveryChunkSizeReadsTheSame() throws {
        var generator = SeededGenerator(seed: 0x5EC_9047)
        for format in ConformanceFormat.all {
            guard format.capabilities.notStreaming == nil else { continue }
            let short = values(format).filter { !$0.traits.contains(.long) && ($0.value.text?.utf8.count ?? 0) < 1000 }
            let typedLayout = format.capabilities.typedLayout
            let typed = AwkwardValues.records(typedLayout, values: short)
            let untypedLayout = format.capabilities.untypedLayout
            let untyped = short.enumerated().map { format.untypedRecord($0.offset, $0.element.value) }
            let typedBytes = try format.write(typedLayout, typed, false)
            let untypedBytes = try format.write(untypedLayout, untyped, false)
            var sequences = (1...Self.everyChunkSizeUpTo).map { [$0] }
            for _ in 0..<8 { sequences.append((0..<16).map { _ in Int.random(in: 1...300, using: &generator) }) }
            for sizes in sequences {
                assertSame(try format.read(typedBytes, sizes, typedLayout).1, typed, typedLayout, "\(format.name) typed in reads of \(sizes)")
                assertSame(try format.read(untypedBytes, sizes, nil).1, untyped, untypedLayout, "\(format.name) untyped in reads of \(sizes)")
            }
        }
    }

    // MARK: Errors

    /// Each malformed input gives its code and place (`Specs/errors.md`: the line, and the record and
    /// field where the format knows them), the same at every chunk size, and never the value.
    func testMalformedInputNamesItsPlaceTheSameAtEveryChunkSize() throws {
        for format in ConformanceFormat.all {
            XCTAssertFalse(format.malformed.isEmpty, "\(format.name) has no malformed inputs")
            let sizes: [[Int]] = format.capabilities.notStreaming == nil ? [[Int.max]] + (1...Self.everyChunkSizeUpTo).map { [$0] } : [[Int.max]]
            for input in format.malformed {
                XCTAssertFalse(input.bytes.isEmpty, "\(format.name) \(input.what): no input")
                for chunking in sizes {
                    let context = "\(format.name) \(input.what) in reads of \(chunking)"
                    do {
                        _ = try format.read(input.bytes, chunking, input.layout)
                        XCTFail("\(context): no error")
                    } catch let error as SeqPortError {
                        XCTAssertEqual(error.code, input.code, "\(context): \(error)")
                        XCTAssertEqual(error.location, input.location, "\(context): \(error)")
                        XCTAssertFalse(error.description.contains("\n"), "\(context): one line")
                        if error.code != input.code || error.location != input.location { break }
                    } catch {
                        XCTFail("\(context): not a SeqPortError: \(error)")
                    }
                }
            }
        }
    }

    /// Every format's reader names at least the line (or the part and cell) of a malformed input.
    func testEveryMalformedInputHasALineOrAnEntry() {
        for format in ConformanceFormat.all {
            for input in format.malformed {
                XCTAssertTrue(input.location.line != nil || input.location.entry != nil, "\(format.name) \(input.what)")
            }
        }
    }

    // MARK: The list itself

    func testTheListHasEveryKindOfAwkwardValue() {
        let all = AwkwardValues.all
        let traits = all.reduce(into: Set<AwkwardTrait>()) { $0.formUnion($1.traits) }
        XCTAssertEqual(traits, Set(AwkwardTrait.allCases))
        XCTAssertTrue(all.contains { $0.value.isNull })
        XCTAssertTrue(all.contains { $0.value == "" })
        let texts = AwkwardValues.texts()
        for needle in ["\u{202E}", "\u{2028}", "😀", "\u{301}", "007", "=", "+", "-", "@", "\r\n", " leading"] {
            XCTAssertTrue(texts.contains { $0.contains(needle) }, needle.debugDescription)
        }
        XCTAssertEqual(Set(texts).count, texts.count, "no value twice")
    }
}
