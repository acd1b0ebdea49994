import SeqPortModel

/// How a text travels inside a cell (`Specs/xlsx.md`): XML escaping plus the OOXML `_xHHHH_` escape for
/// the characters XML 1.0 cannot carry, and its inverse.
///
/// Written: `&` `<` `>` as entities; CR as `&#13;` (a raw CR would reach readers as LF); the other C0
/// controls but tab and LF, U+FFFE and U+FFFF as `_xHHHH_`; an `_` that starts a literal `_xHHHH_` as `_x005F_`.
/// Read: every `_xHHHH_` (hex in any case) becomes its UTF-16 code unit, a surrogate pair of two
/// escapes one character; a lone surrogate escape stays literal text.
enum XLSXText {
    @inline(__always) static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt32 {
        b <= 0x39 ? UInt32(b - 0x30) : UInt32((b | 0x20) - 0x61 + 10)
    }

    /// Whether `p[i...]` starts `_xHHHH_` (`p[i]` is `_`).
    @inline(__always) static func startsEscape(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Bool {
        i + 7 <= n && p[i + 1] == UInt8(ascii: "x") && isHex(p[i + 2]) && isHex(p[i + 3]) && isHex(p[i + 4])
            && isHex(p[i + 5]) && p[i + 6] == UInt8(ascii: "_")
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Appends `_xHHHH_` for a code unit.
    @inline(__always) static func appendEscape(_ unit: UInt32, to buffer: inout OutputBuffer) {
        buffer.reserve(7)
        buffer.appendUnchecked(UInt8(ascii: "_"))
        buffer.appendUnchecked(UInt8(ascii: "x"))
        for shift in stride(from: 12, through: 0, by: -4) {
            buffer.appendUnchecked(hexDigits[Int((unit >> UInt32(shift)) & 0xF)])
        }
        buffer.appendUnchecked(UInt8(ascii: "_"))
    }

    /// Whether a byte needs a look in the slow loop: a control, `&` `<` `>` `_`, or 0xEF (U+FFFE/U+FFFF start).
    @inline(__always) static func isSpecial(_ b: UInt8) -> Bool {
        b < 0x20 || b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "_") || b == 0xEF
    }

    /// Appends the cell text for `u` (valid UTF-8).
    static func append(_ u: UnsafeBufferPointer<UInt8>, to buffer: inout OutputBuffer) {
        guard let p = u.baseAddress, !u.isEmpty else { return }
        let n = u.count
        var k = 0
        // Plain runs eight bytes at a time.
        while k &+ 8 <= n {
            let w = WordScan.load(p, k)
            if WordScan.hasLess(w, than: 0x20) | WordScan.has(w, UInt8(ascii: "&")) | WordScan.has(w, UInt8(ascii: "<"))
                | WordScan.has(w, UInt8(ascii: ">")) | WordScan.has(w, UInt8(ascii: "_")) | WordScan.has(w, 0xEF) != 0 { break }
            k &+= 8
        }
        buffer.append(UnsafeBufferPointer(start: p, count: k))
        var runStart = k
        func flushRun(_ end: Int, _ buffer: inout OutputBuffer) {
            if end > runStart { buffer.append(UnsafeBufferPointer(start: p + runStart, count: end - runStart)) }
        }
        while k < n {
            let b = p[k]
            guard isSpecial(b) else { k &+= 1; continue }
            switch b {
            case UInt8(ascii: "&"):
                flushRun(k, &buffer); buffer.append(amp); k += 1; runStart = k
            case UInt8(ascii: "<"):
                flushRun(k, &buffer); buffer.append(lt); k += 1; runStart = k
            case UInt8(ascii: ">"):
                flushRun(k, &buffer); buffer.append(gt); k += 1; runStart = k
            case UInt8(ascii: "_"):
                if startsEscape(p, k, n) {
                    flushRun(k, &buffer); appendEscape(0x5F, to: &buffer); k += 1; runStart = k
                } else { k += 1 }
            case 0xEF:
                if k + 2 < n, p[k + 1] == 0xBF, p[k + 2] == 0xBE || p[k + 2] == 0xBF {
                    flushRun(k, &buffer); appendEscape(p[k + 2] == 0xBE ? 0xFFFE : 0xFFFF, to: &buffer); k += 3; runStart = k
                } else { k += 1 }
            case 0x09, 0x0A:
                k += 1
            case 0x0D:
                // A character reference: XML parsers keep it as CR (a raw CR becomes LF), and so every
                // reader — openpyxl included — gets the CR back, not only those that undo `_x000D_`.
                flushRun(k, &buffer); buffer.append(cr); k += 1; runStart = k
            default:  // other C0 controls
                flushRun(k, &buffer); appendEscape(UInt32(b), to: &buffer); k += 1; runStart = k
            }
        }
        flushRun(n, &buffer)
    }

    static let amp: [UInt8] = Array("&amp;".utf8)
    static let cr: [UInt8] = Array("&#13;".utf8)
    static let lt: [UInt8] = Array("&lt;".utf8)
    static let gt: [UInt8] = Array("&gt;".utf8)

    /// The cell text of a Swift string (for names and titles).
    static func escaped(_ s: String) -> [UInt8] {
        var buffer = OutputBuffer(capacity: s.utf8.count + 64)
        var copy = s
        copy.withUTF8 { append($0, to: &buffer) }
        return Array(buffer.bytes)
    }

    /// Whether the text starts or ends with XML whitespace (then `xml:space="preserve"` keeps it).
    @inline(__always) static func needsPreserve(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = u.first, let last = u.last else { return false }
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        return ws(first) || ws(last)
    }

    /// Undoes the `_xHHHH_` escape on text an XML parser already unescaped.
    static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { u in
            let p = u.baseAddress!, n = u.count
            var i = 0
            func unit(at i: Int) -> UInt32 {
                hexValue(p[i + 2]) << 12 | hexValue(p[i + 3]) << 8 | hexValue(p[i + 4]) << 4 | hexValue(p[i + 5])
            }
            while i < n {
                guard p[i] == UInt8(ascii: "_"), startsEscape(p, i, n) else {
                    out.append(p[i]); i += 1; continue
                }
                var scalar = unit(at: i)
                var length = 7
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    if i + 14 <= n, p[i + 7] == UInt8(ascii: "_"), startsEscape(p, i + 7, n) {
                        let low = unit(at: i + 7)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            length = 14
                        }
                    }
                }
                guard let s = Unicode.Scalar(scalar) else {  // a lone surrogate: kept as written
                    out.append(p[i]); i += 1; continue
                }
                out.append(contentsOf: Array(String(Character(s)).utf8))
                i += length
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
