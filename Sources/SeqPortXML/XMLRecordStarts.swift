#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the record elements (the root's child elements) start and end in the bytes libxml2 is given,
/// so that an XSD validity error can be put in its record.
///
/// libxml2 validates as it parses, a little ahead of the node its reader is on, and reports a validity
/// error with a line only (no node). The parser's byte position at that moment
/// (`xmlTextReaderByteConsumed`) lies inside the record the error is about: after the record's `<`
/// and no further than its closing `>`. This scanner sees every byte before libxml2 does and keeps the
/// offsets of the record elements between the reader and the parser, so that position names the record.
///
/// It follows only what it needs of XML (tags, quoted attribute values, comments, CDATA sections,
/// processing instructions); a document it would misread is not well-formed, and libxml2 stops on it.
final class XMLRecordStarts {
    private enum State { case text, lessThan, startTag, endTag, bang, comment, cdata, pi, other }

    private var state = State.text
    private var offset = 0
    private var depth = 0
    private var tagStart = 0
    private var quote: UInt8 = 0
    private var previous: UInt8 = 0
    private var run = 0
    /// Records not yet dropped: their start offsets, and their end offsets (after `>`) once known.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var head = 0
    /// Records before `starts[head]`.
    private var dropped = 0

    /// Scans the next bytes handed to libxml2.
    func scan(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        // The state in locals: the loop runs over every byte of markup (no exclusivity checks on `self`).
        var state = self.state, depth = self.depth, tagStart = self.tagStart
        var quote = self.quote, previous = self.previous, run = self.run
        let count = bytes.count
        var i = 0
        /// Whether the tag being read is read per byte (it has quoted attribute values).
        var bytewise = false
        while i < count {
            if state == .text {
                bytewise = false
                // Text: jump to the next markup.
                guard let p = memchr(base + i, 0x3C, count - i) else { break }
                i = UnsafeRawPointer(p) - UnsafeRawPointer(base)
                tagStart = offset + i
                state = .lessThan
                i += 1
                continue
            }
            if !bytewise, state == .endTag || (state == .startTag && quote == 0) {
                // A tag's end, found at once when no quoted attribute value is in the way.
                guard let p = memchr(base + i, 0x3E, count - i) else {
                    if state == .endTag { break }
                    if memchr(base + i, 0x22, count - i) == nil, memchr(base + i, 0x27, count - i) == nil {
                        previous = base[count - 1]
                        break
                    }
                    bytewise = true  // the rest of this tag per byte, for its quotes
                    continue
                }
                let close = UnsafeRawPointer(p) - UnsafeRawPointer(base)
                if state == .endTag {
                    depth -= 1
                    if depth == 1, !ends.isEmpty { ends[ends.count - 1] = offset + close + 1 }
                    state = .text
                    i = close + 1
                    continue
                }
                if memchr(base + i, 0x22, close - i) == nil, memchr(base + i, 0x27, close - i) == nil {
                    if close > i { previous = base[close - 1] }
                    if previous == UInt8(ascii: "/") {
                        if depth == 1 { ends[ends.count - 1] = offset + close + 1 }
                    } else {
                        depth += 1
                    }
                    state = .text
                    i = close + 1
                    continue
                }
                bytewise = true
            }
            let b = base[i]
            switch state {
            case .text: break
            case .lessThan:
                switch b {
                case UInt8(ascii: "/"): state = .endTag
                case UInt8(ascii: "!"): state = .bang
                case UInt8(ascii: "?"): state = .pi; previous = 0
                default:
                    if depth == 1 { starts.append(tagStart); ends.append(-1) }
                    state = .startTag
                    quote = 0
                    previous = b
                }
            case .startTag:
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    quote = b
                } else if b == UInt8(ascii: ">") {
                    if previous == UInt8(ascii: "/") {
                        if depth == 1 { ends[ends.count - 1] = offset + i + 1 }
                    } else {
                        depth += 1
                    }
                    state = .text
                }
                previous = b
            case .endTag:
                if b == UInt8(ascii: ">") {
                    depth -= 1
                    if depth == 1, !ends.isEmpty { ends[ends.count - 1] = offset + i + 1 }
                    state = .text
                }
            case .bang:
                run = 0
                state = b == UInt8(ascii: "-") ? .comment : b == UInt8(ascii: "[") ? .cdata : .other
            case .comment:
                if b == UInt8(ascii: ">"), run >= 2 { state = .text }
                run = b == UInt8(ascii: "-") ? run + 1 : 0
            case .cdata:
                if b == UInt8(ascii: ">"), run >= 2 { state = .text }
                run = b == UInt8(ascii: "]") ? run + 1 : 0
            case .pi:
                if b == UInt8(ascii: ">"), previous == UInt8(ascii: "?") { state = .text }
                previous = b
            case .other:
                if b == UInt8(ascii: ">") { state = .text }
            }
            i += 1
        }
        offset += count
        self.state = state
        self.depth = depth
        self.tagStart = tagStart
        self.quote = quote
        self.previous = previous
        self.run = run
    }

    /// The record (from 1) that byte position `position` lies in, or nil when it lies in none (the
    /// prolog, the root's own tags, between records).
    func record(at position: Int) -> Int? {
        var k = head
        while k < starts.count, starts[k] < position { k += 1 }
        let last = k - 1
        // Before every record kept: the prolog or the root's start tag.
        guard last >= head else { return nil }
        if ends[last] >= 0, position > ends[last] { return nil }
        return dropped + (last - head) + 1
    }

    /// Forgets the records up to `record` (the reader has reached it; the parser is past its start).
    func drop(through record: Int) {
        while dropped < record - 1, head < starts.count {
            head += 1
            dropped += 1
        }
        if head > 4096 {
            starts.removeFirst(head)
            ends.removeFirst(head)
            head = 0
        }
    }
}
