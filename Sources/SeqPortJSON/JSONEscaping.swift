/// Byte-level JSON string escaping shared by the record writer and the schema generator.
enum JSONEscaping {
    static let nullBytes: [UInt8] = Array("null".utf8)

    /// For each byte: 0 copy as is, 1 escape, 2 maybe the start of U+2028/U+2029 (`E2 80 A8/A9`).
    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in 0..<0x20 { t[b] = 1 }
        t[Int(UInt8(ascii: "\""))] = 1
        t[Int(UInt8(ascii: "\\"))] = 1
        t[0xE2] = 2
        return t
    }()

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted JSON string: escapes `"`, `\`, the C0 controls and U+2028/U+2029;
    /// leaves `/` and other non-ASCII (raw UTF-8) alone.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { u in
            table.withUnsafeBufferPointer { table in
                var runStart = 0
                var i = 0
                let n = u.count
                while i < n {
                    let b = u[i]
                    let kind = table[Int(b)]
                    if kind == 0 { i += 1; continue }
                    if kind == 2 {
                        guard i + 2 < n, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 else { i += 1; continue }
                    }
                    if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i])) }
                    if kind == 2 {
                        out.append(contentsOf: u[i + 2] == 0xA8 ? line2028 : paragraph2029)
                        i += 3
                    } else {
                        appendEscape(b, to: &out)
                        i += 1
                    }
                    runStart = i
                }
                if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<n])) }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let line2028: [UInt8] = Array("\\u2028".utf8)
    private static let paragraph2029: [UInt8] = Array("\\u2029".utf8)

    private static func appendEscape(_ b: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
    }

    /// `-?(0|[1-9][0-9]*)`: what the writer may put down as a bare number.
    static func isJSONInteger(_ text: String) -> Bool {
        var u = text.utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        guard let first = u.first, u.count <= 20 else { return false }
        guard u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return !(first == UInt8(ascii: "0") && u.count > 1)
    }
}
