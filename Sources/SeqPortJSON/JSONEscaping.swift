import SeqPortModel

/// Byte-level JSON string escaping shared by the record writer and the schema generator.
enum JSONEscaping {
    static let nullBytes: [UInt8] = Array("null".utf8)

    /// For each byte: 0 copy as is, 1 escape, 2 maybe the start of U+2028/U+2029 (`E2 80 A8/A9`).
    /// A plain pointer (made once, never freed) so the hot loop indexes it without array checks.
    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for b in 0..<0x20 { t[b] = 1 }
        t[Int(UInt8(ascii: "\""))] = 1
        t[Int(UInt8(ascii: "\\"))] = 1
        t[0xE2] = 2
        return UnsafePointer(t)
    }()

    /// `table` without the U+2028/U+2029 escape: the strings of documents that must be byte for byte what
    /// Foundation's `JSONEncoder` writes (`SortedJSONEncoder`: manifests).
    // nonisolated(unsafe): filled once in the lazy (swift_once, thread-safe) initializer, never written or freed after.
    nonisolated(unsafe) static let foundationTable: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(from: table, count: 256)
        t[0xE2] = 0
        return UnsafePointer(t)
    }()

    /// Appends `text` as a quoted JSON string: escapes `"`, `\`, the C0 controls and U+2028/U+2029;
    /// leaves `/` and other non-ASCII (raw UTF-8) alone. (For names and schema documents; the record
    /// writer uses the byte version below directly.)
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var buffer = OutputBuffer(capacity: text.utf8.count * 6 + 2)
        var text = text
        text.withUTF8 { appendQuoted($0, to: &buffer, table: table) }
        out.append(contentsOf: buffer.bytes)
    }
}

extension JSONEscaping {
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// `appendQuoted` on bytes into an `OutputBuffer` (the same output): reserves the worst case
    /// (6 bytes per input byte) once, then stores bytes directly.
    @inline(__always)
    static func appendQuoted(_ u: UnsafeBufferPointer<UInt8>, to out: inout OutputBuffer, table: UnsafePointer<UInt8>) {
        let n = u.count
        out.reserve(n &* 6 &+ 2)
        out.appendUnchecked(0x22)
        guard let p = u.baseAddress else {
            out.appendUnchecked(0x22)
            return
        }
        var runStart = 0
        var i = 0
        while i < n {
            if i &+ 8 <= n {
                let w = WordScan.load(p, i)
                if WordScan.hasLess(w, than: 0x20) | WordScan.has(w, 0x22) | WordScan.has(w, 0x5C) | WordScan.has(w, 0xE2) == 0 {
                    i &+= 8
                    continue
                }
            }
            let b = p[i]
            let kind = table[Int(b)]
            if kind == 0 { i &+= 1; continue }
            if kind == 2 {
                guard i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0xA8 || p[i + 2] == 0xA9 else { i &+= 1; continue }
            }
            out.appendUnchecked(UnsafeBufferPointer(start: p + runStart, count: i - runStart))
            if kind == 2 {
                for c in (p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8 { out.appendUnchecked(c) }
                i &+= 3
            } else {
                out.appendUnchecked(0x5C)
                switch b {
                case 0x22: out.appendUnchecked(0x22)
                case 0x5C: out.appendUnchecked(0x5C)
                case 0x0A: out.appendUnchecked(UInt8(ascii: "n"))
                case 0x0D: out.appendUnchecked(UInt8(ascii: "r"))
                case 0x09: out.appendUnchecked(UInt8(ascii: "t"))
                case 0x08: out.appendUnchecked(UInt8(ascii: "b"))
                case 0x0C: out.appendUnchecked(UInt8(ascii: "f"))
                default:
                    hexDigits.withUTF8Buffer { hex in
                        out.appendUnchecked(UInt8(ascii: "u"))
                        out.appendUnchecked(UInt8(ascii: "0"))
                        out.appendUnchecked(UInt8(ascii: "0"))
                        out.appendUnchecked(hex[Int(b >> 4)])
                        out.appendUnchecked(hex[Int(b & 0xF)])
                    }
                }
                i &+= 1
            }
            runStart = i
        }
        out.appendUnchecked(UnsafeBufferPointer(start: p + runStart, count: n - runStart))
        out.appendUnchecked(0x22)
    }

    /// `-?(0|[1-9][0-9]*)`, at most 20 digits, on bytes.
    @inline(__always)
    static func isJSONInteger(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = u.count
        if i < n, u[i] == UInt8(ascii: "-") { i += 1 }
        let first = i
        guard i < n, n - i <= 20 else { return false }
        while i < n {
            guard u[i] &- 0x30 < 10 else { return false }
            i += 1
        }
        return !(u[first] == UInt8(ascii: "0") && n - first > 1)
    }

    /// Whether the bytes are `true` or `false`.
    @inline(__always)
    static func isBoolean(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        if u.count == 4 { return u[0] == 0x74 && u[1] == 0x72 && u[2] == 0x75 && u[3] == 0x65 }
        if u.count == 5 { return u[0] == 0x66 && u[1] == 0x61 && u[2] == 0x6C && u[3] == 0x73 && u[4] == 0x65 }
        return false
    }
}
