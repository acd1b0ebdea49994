import SeqPortModel

/// Base64 (RFC 4648), quoted-printable (RFC 2045) and character sets, as vCards use them.
enum VCardCoding {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Standard base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            var n = UInt32(bytes[i]) << 16
            if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The number of bytes `base64` text of this many significant characters decodes to (an upper bound).
    static func decodedLength(ofBase64 count: Int) -> Int { count / 4 * 3 + 3 }

    /// Decodes base64, ignoring spaces, tabs and line breaks; padding optional. Nil when not base64.
    static func decodeBase64<S: Sequence>(_ text: S) -> [UInt8]? where S.Element == UInt8 {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { continue }
            if c == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0 else { return nil }
            let v = decodeTable[Int(c)]
            guard v != 0xFF else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        guard padding <= 2, bits < 6 else { return nil }
        return out
    }

    /// Decodes quoted-printable: `=XX` is a byte, `=` at the end of a line was a soft break (the reader
    /// has joined those lines already). Nil when an `=` is not followed by two hex digits.
    static func decodeQuotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "=") {
                guard i + 2 < bytes.endIndex, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// The character sets `CHARSET=` may name.
    enum Charset {
        case utf8, latin1, windows1252, ascii

        init?(_ name: String) {
            switch name.uppercased() {
            case "UTF-8", "UTF8": self = .utf8
            case "ISO-8859-1", "ISO8859-1", "LATIN1", "LATIN-1", "ISO_8859-1": self = .latin1
            case "WINDOWS-1252", "CP1252": self = .windows1252
            case "US-ASCII", "ASCII": self = .ascii
            default: return nil
            }
        }
    }

    /// Windows-1252's 0x80…0x9F (0 where the code page has no character).
    private static let cp1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// The text of `bytes` in `charset`, or nil when they are not valid in it.
    static func decode(_ bytes: [UInt8], _ charset: Charset) -> String? {
        switch charset {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .ascii:
            return bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : nil
        case .latin1, .windows1252:
            var s = String.UnicodeScalarView()
            for b in bytes {
                var v = UInt32(b)
                if charset == .windows1252, (0x80...0x9F).contains(b) {
                    v = cp1252[Int(b - 0x80)]
                    if v == 0 { return nil }
                }
                s.append(Unicode.Scalar(v)!)
            }
            return String(s)
        }
    }
}
