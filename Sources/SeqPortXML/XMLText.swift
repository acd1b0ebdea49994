import SeqPortModel

/// Byte-level text rules of the vocabulary: which values need base64, escaping, base64 itself; and
/// the one escaper for the names and texts of XML documents seqport writes (the XSD, the workbook's parts).
public enum XMLText {
    /// A name or text as an attribute value or element content: `&` `<` `>` `"` as entities; tab, LF
    /// and CR as character references (an attribute keeps them only so); a character XML 1.0 cannot
    /// carry (the other C0 controls, U+FFFE, U+FFFF) as a space, the last guard that keeps the document
    /// well-formed (names are cleaned before). Record values are written by `appendEscapedIfText`, which
    /// writes such a value as base64 instead.
    public static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default:
                let bad = c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF
                out.unicodeScalars.append(bad ? " " : c)
            }
        }
        return out
    }

    /// Whether XML 1.0 cannot carry these UTF-8 bytes as text: C0 controls other than tab, LF and
    /// CR, U+FFFE and U+FFFF. Such a value is written whole as base64 with `enc="base64"`.
    static func needsBase64(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var scratch = OutputBuffer(capacity: u.count * 5 + 64)
        return !appendEscapedIfText(u, to: &scratch, kinds: kinds)
    }

    /// Appends `u` escaped for element content: `&`, `<`, `>` as entities and CR as `&#13;` (so it
    /// survives line-end normalisation). Everything else, tabs and spaces included, is kept. Only for
    /// text that does not need base64.
    static func appendEscaped(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var buffer = OutputBuffer(capacity: u.count * 5 + 64)
        let isText = appendEscapedIfText(u, to: &buffer, kinds: kinds)
        precondition(isText, "appendEscaped on a value that needs base64")
        out.append(contentsOf: buffer.bytes)
    }

    /// For each byte: 0 copy, 1 escape (`&` `<` `>` CR), 2 a C0 control XML cannot carry, 3 `EF`
    /// (maybe U+FFFE/U+FFFF).
    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    nonisolated(unsafe) static let kinds: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        p.initialize(repeating: 0, count: 256)
        for b in 0..<0x20 where b != 0x09 && b != 0x0A && b != 0x0D { p[b] = 2 }
        for b in [0x26, 0x3C, 0x3E, 0x0D] { p[b] = 1 }
        p[0xEF] = 3
        return UnsafePointer(p)
    }()

    /// Appends `u` escaped for element content (`&`, `<`, `>` as entities, CR as `&#13;`) in one pass;
    /// returns `false`, with `out` as it was, when the value needs base64 instead.
    @inline(__always)
    static func appendEscapedIfText(_ u: UnsafeBufferPointer<UInt8>, to out: inout OutputBuffer, kinds: UnsafePointer<UInt8>) -> Bool {
        let n = u.count
        guard let p = u.baseAddress else { return true }
        let mark = out.count
        out.reserve(n &* 5)
        var start = 0
        var i = 0
        while i < n {
            if i &+ 8 <= n {
                let w = WordScan.load(p, i)
                if WordScan.hasLess(w, than: 0x20) | WordScan.has(w, 0x26) | WordScan.has(w, 0x3C) | WordScan.has(w, 0x3E)
                    | WordScan.has(w, 0xEF) == 0 {
                    i &+= 8
                    continue
                }
            }
            let b = p[i]
            let kind = kinds[Int(b)]
            if kind == 0 { i &+= 1; continue }
            if kind == 3 {
                if i + 2 < n, p[i + 1] == 0xBF, p[i + 2] == 0xBE || p[i + 2] == 0xBF {
                    out.truncate(to: mark)
                    return false
                }
                i &+= 1
                continue
            }
            if kind == 2 {
                out.truncate(to: mark)
                return false
            }
            out.appendUnchecked(UnsafeBufferPointer(start: p + start, count: i - start))
            let entity: StaticString = b == 0x26 ? "&amp;" : b == 0x3C ? "&lt;" : b == 0x3E ? "&gt;" : "&#13;"
            entity.withUTF8Buffer { out.appendUnchecked($0) }
            i &+= 1
            start = i
        }
        out.appendUnchecked(UnsafeBufferPointer(start: p + start, count: n - start))
        return true
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the standard base64 (RFC 4648, padded, no line breaks) of `u`.
    static func appendBase64(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + (u.count + 2) / 3 * 4)
        var i = 0
        let n = u.count
        alphabet.withUnsafeBufferPointer { a in
            while i + 3 <= n {
                let v = UInt32(u[i]) << 16 | UInt32(u[i + 1]) << 8 | UInt32(u[i + 2])
                out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)])
                out.append(a[Int(v >> 6 & 63)]); out.append(a[Int(v & 63)])
                i += 3
            }
            if n - i == 1 {
                let v = UInt32(u[i]) << 16
                out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)])
                out.append(0x3D); out.append(0x3D)
            } else if n - i == 2 {
                let v = UInt32(u[i]) << 16 | UInt32(u[i + 1]) << 8
                out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)])
                out.append(a[Int(v >> 6 & 63)]); out.append(0x3D)
            }
        }
    }

    private static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Decodes padded standard base64, ignoring XML whitespace; `nil` if it is not valid.
    static func decodeBase64(_ input: [UInt8]) -> [UInt8]? {
        var digits: [UInt8] = []
        digits.reserveCapacity(input.count)
        for b in input where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) { digits.append(b) }
        guard digits.count % 4 == 0 else { return nil }
        var padding = 0
        while padding < 2, digits.count > padding, digits[digits.count - 1 - padding] == 0x3D { padding += 1 }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 4 * 3)
        var i = 0
        while i < digits.count {
            var v: UInt32 = 0
            for k in 0..<4 {
                let b = digits[i + k]
                let last = i + 4 == digits.count
                if b == 0x3D, last, k >= 4 - padding { v <<= 6; continue }
                let d = decodeTable[Int(b)]
                guard d != 0xFF else { return nil }
                v = v << 6 | UInt32(d)
            }
            out.append(UInt8(v >> 16 & 0xFF))
            if !(i + 4 == digits.count && padding == 2) { out.append(UInt8(v >> 8 & 0xFF)) }
            if !(i + 4 == digits.count && padding >= 1) { out.append(UInt8(v & 0xFF)) }
            i += 4
        }
        return out
    }
}
