import SeqPortModel
import XCTest

/// The one UTF-8 check of the CSV scanner and the JSON tokenizer: Unicode's Table 3-7, byte by byte,
/// across any chunk boundary.
final class UTF8ValidatorTests: XCTestCase {
    /// The offset of the first refused byte when `bytes` are fed in pieces cut at `cuts`, `bytes.count`
    /// when the input ends inside a sequence, nil when it is all UTF-8. The validator is carried from
    /// piece to piece, as the readers carry it from chunk to chunk.
    private func check(_ bytes: [UInt8], cuts: [Int] = []) -> Int? {
        var v = UTF8Validator()
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            for i in start..<end where !v.accept(bytes[i]) { return i }
            start = end
        }
        return v.isComplete ? nil : bytes.count
    }

    func testWellFormedSequencesOfEveryLengthAndTheirEdgesPass() {
        let good: [[UInt8]] = [
            [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], Array("é😀👩‍👩‍👧 مرحبا".utf8),
        ]
        for bytes in good {
            XCTAssertNil(check(bytes), "\(bytes)")
            XCTAssertEqual(UTF8Validator.sequenceLength(lead: bytes[0]), String(decoding: bytes, as: UTF8.self).unicodeScalars.first!.utf8.count)
        }
    }

    func testOverlongFormsAreRefusedAtTheirFirstImpossibleByte() {
        XCTAssertEqual(check([0xC0, 0x80]), 0, "C0 never occurs")
        XCTAssertEqual(check([0xC1, 0xBF]), 0, "C1 never occurs")
        XCTAssertEqual(check([0xE0, 0x80, 0x80]), 1, "E0 needs A0…BF next")
        XCTAssertEqual(check([0xE0, 0x9F, 0xBF]), 1)
        XCTAssertEqual(check([0xF0, 0x80, 0x80, 0x80]), 1, "F0 needs 90…BF next")
        XCTAssertEqual(check([0xF0, 0x8F, 0xBF, 0xBF]), 1)
    }

    func testSurrogatesAreRefused() {
        XCTAssertEqual(check([0xED, 0xA0, 0x80]), 1, "U+D800")
        XCTAssertEqual(check([0xED, 0xBF, 0xBF]), 1, "U+DFFF")
        XCTAssertEqual(check([0x61, 0xED, 0xB0, 0x80]), 2, "a lone low surrogate after ASCII")
    }

    func testNothingAboveU10FFFF() {
        XCTAssertEqual(check([0xF4, 0x90, 0x80, 0x80]), 1, "U+110000")
        for lead: UInt8 in 0xF5...0xFF {
            XCTAssertEqual(check([lead, 0x80, 0x80, 0x80]), 0, "\(lead)")
            XCTAssertNil(UTF8Validator.sequenceLength(lead: lead))
        }
    }

    func testStrayContinuationBytesAndCutSequencesAreRefused() {
        XCTAssertEqual(check([0x80]), 0)
        XCTAssertEqual(check([0x61, 0xBF]), 1)
        XCTAssertEqual(check([0xE2, 0x82, 0x41]), 2, "a sequence cut by ASCII: refused at the ASCII byte")
        XCTAssertEqual(check([0xF0, 0x9F, 0x98, 0xC3, 0xA9]), 3, "cut by the lead of another")
        XCTAssertEqual(check([0x61, 0xE2, 0x82]), 3, "cut by the end: the caller refuses it")
        XCTAssertEqual(check([0xF0]), 1)
    }

    func testARefusedByteLeavesTheValidatorAsItWas() {
        var v = UTF8Validator()
        XCTAssertTrue(v.accept(0xE2))
        let before = v
        XCTAssertFalse(v.accept(0x41))
        XCTAssertEqual(v, before)
        XCTAssertFalse(v.isComplete)
    }

    /// A sequence cut by a chunk boundary at any byte reads the same as a whole one, and a truncated
    /// sequence at a chunk end is only refused when the next chunk does not finish it.
    func testEveryCutOfEveryInputGivesTheSameAnswerAsNoCut() {
        let inputs: [[UInt8]] = [
            Array("aé€😀z".utf8), [0x61, 0xF0, 0x9F, 0x98], [0xE0, 0x9F, 0x80], [0xED, 0xA0, 0x80, 0x61],
            [0xF4, 0x90, 0x80, 0x80], [0xC3, 0xA9, 0xC3], [0xE2, 0x82, 0xAC, 0xE2, 0x82, 0x41],
        ]
        for bytes in inputs {
            let whole = check(bytes)
            for a in 0...bytes.count {
                XCTAssertEqual(check(bytes, cuts: [a]), whole, "\(bytes) cut at \(a)")
                for b in a...bytes.count { XCTAssertEqual(check(bytes, cuts: [a, b]), whole, "\(bytes) cut at \(a), \(b)") }
            }
        }
    }

    /// The same verdict as the standard library's decoder on every 1- and 2-byte input, every 3-byte
    /// input with a lead of E0…EF, and on random (seeded) 4-byte inputs with a lead of F0…F7.
    func testAgreesWithTheStandardLibrary() {
        func agrees(_ bytes: [UInt8]) {
            let ours = check(bytes) == nil
            let theirs = String(validating: bytes, as: UTF8.self) != nil
            if ours != theirs { XCTFail("\(bytes.map { String($0, radix: 16) }): ours \(ours), stdlib \(theirs)") }
        }
        for a in 0...255 {
            agrees([UInt8(a)])
            for b in 0...255 { agrees([UInt8(a), UInt8(b)]) }
        }
        for a in 0xE0...0xEF { for b in 0x70...0xC5 { for c in [0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0] { agrees([UInt8(a), UInt8(b), UInt8(c)]) } } }
        var seed: UInt64 = 0x5EC_0DE
        for _ in 0..<200_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let r = seed >> 16
            agrees([UInt8(0xF0 + r & 7), UInt8(0x70 + (r >> 8) % 0x60), UInt8(0x70 + (r >> 16) % 0x60), UInt8(0x70 + (r >> 24) % 0x60)])
        }
    }

    func testFirstInvalidOffset() {
        func offset(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { UTF8Validator.firstInvalidOffset($0) } }
        XCTAssertNil(offset(Array("ok é 😀".utf8)))
        XCTAssertEqual(offset([0x61, 0xFF]), 1)
        XCTAssertEqual(offset([0x61, 0xE2, 0x82]), 3)
        XCTAssertNil(offset([]))
    }
}
