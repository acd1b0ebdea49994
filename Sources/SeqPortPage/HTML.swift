/// Markup for the page, built by appending to one byte buffer.
///
/// The type is the escaping rule: markup can only be appended as a `StaticString` — text written in
/// this source, never a value — and every `String` goes through the one escaper (`text`, `attribute`,
/// `shown`). A value cannot reach the page unescaped without a reviewer seeing `raw` with something
/// other than a literal, which the compiler refuses.
///
/// Escaping: `& < > " '` become references; characters that would be invisible or garbled are shown
/// by name, never dropped or turned into U+FFFD: C0 controls and DEL by their ASCII names (`CR`, `TAB`,
/// `NUL`, `ESC`, `DEL`), C1 controls and noncharacters as `U+0085` — plain letters, so that every font
/// shows them. Newlines stay; tabs stay except in `shown`. In `text` and attributes the name is written
/// `[CR]`; `shown` (a data cell) writes `<span class="ctl">CR</span>`, drawn as a small box.
struct HTML {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Markup written in the source.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text content, escaped.
    mutating func text(_ s: String) { escape(s, markup: false, visibleTabs: false) }

    /// An attribute value (inside double quotes), escaped the same way; never markup.
    mutating func attribute(_ s: String) { escape(s, markup: false, visibleTabs: false) }

    /// A stored value in a table cell: invisible characters, tabs included, as small named boxes.
    mutating func shown(_ s: String) { escape(s, markup: true, visibleTabs: true) }

    /// A decimal number.
    mutating func number(_ n: Int) { bytes.append(contentsOf: String(n).utf8) }

    /// A fragment built the same way.
    mutating func append(_ fragment: HTML) { bytes.append(contentsOf: fragment.bytes) }

    /// The markup as a string (tests, and the few places that search the escaped text).
    var string: String { String(decoding: bytes, as: UTF8.self) }

    fileprivate mutating func escape(_ s: String, markup: Bool, visibleTabs: Bool) {
        var s = s
        s.withUTF8 { u in
            var start = 0   // the first byte not yet copied
            var i = 0
            func flush(_ end: Int) {
                if end > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<end])) }
            }
            func symbol(_ name: String) {
                if markup {
                    bytes.append(contentsOf: #"<span class="ctl">"#.utf8)
                    bytes.append(contentsOf: name.utf8)
                    bytes.append(contentsOf: "</span>".utf8)
                } else {
                    bytes.append(UInt8(ascii: "["))
                    bytes.append(contentsOf: name.utf8)
                    bytes.append(UInt8(ascii: "]"))
                }
            }
            while i < u.count {
                let b = u[i]
                if b < 0x80 {
                    let replacement: StaticString?
                    switch b {
                    case UInt8(ascii: "&"): replacement = "&amp;"
                    case UInt8(ascii: "<"): replacement = "&lt;"
                    case UInt8(ascii: ">"): replacement = "&gt;"
                    case UInt8(ascii: "\""): replacement = "&quot;"
                    case UInt8(ascii: "'"): replacement = "&#39;"
                    default: replacement = nil
                    }
                    if let replacement {
                        flush(i)
                        replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
                        i += 1
                        start = i
                    } else if (b < 0x20 && b != 0x0A && !(b == 0x09 && !visibleTabs)) || b == 0x7F {
                        flush(i)
                        symbol(b == 0x7F ? "DEL" : controlNames[Int(b)])
                        i += 1
                        start = i
                    } else {
                        i += 1
                    }
                    continue
                }
                // A multi-byte scalar (the string is valid UTF-8): C1 controls and noncharacters are named.
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in 1..<length { v = v << 6 | UInt32(u[i + k] & 0x3F) }
                if (0x80...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE {
                    flush(i)
                    symbol("U+" + String(v, radix: 16, uppercase: true).leftPadded(to: 4))
                    start = i + length
                }
                i += length
            }
            flush(u.count)
        }
    }
}

/// The ASCII names of the C0 control characters, U+0000 to U+001F.
private let controlNames = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
                            "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"]

/// `text` as a string: the escaper on its own (tests, and text compared after escaping).
func esc(_ s: String, markup: Bool = false, visibleTabs: Bool = false) -> String {
    var h = HTML(capacity: s.utf8.count)
    h.escape(s, markup: markup, visibleTabs: visibleTabs)
    return h.string
}

/// Escapes text for an HTML attribute value (the same rules; quotes included).
func attr(_ s: String) -> String { esc(s) }

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

extension [UInt8] {
    /// The bytes as UTF-8 text (the page's bytes in tests).
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}
