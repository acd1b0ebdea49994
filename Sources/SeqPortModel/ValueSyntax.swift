import Foundation

/// The lexical rules of the field types and text formats, on UTF-8 bytes (no Foundation, no regex).
public enum ValueSyntax {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Runs `body` over the UTF-8 bytes of `s` without copying them (a native string is contiguous).
    @inline(__always) static func bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = s
        return copy.withUTF8(body)
    }

    /// The decimal value of `count` ASCII digits at `from`, or nil when one is not a digit.
    @inline(__always) static func digits(_ u: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var n = 0
        for k in from..<from + count {
            let d = u[k] &- 0x30
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
        }
        return n
    }

    /// `-?(0|[1-9][0-9]*)`
    public static func isInteger(_ s: String) -> Bool { bytes(s, isInteger) }

    /// `-?(0|[1-9][0-9]*)` on UTF-8 bytes.
    public static func isInteger(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") { i += 1 }
        guard i < u.count else { return false }
        let first = i
        while i < u.count {
            guard isDigit(u[i]) else { return false }
            i += 1
        }
        return !(u[first] == UInt8(ascii: "0") && u.count - first > 1)
    }

    /// `-?[0-9]+(\.[0-9]+)?`
    public static func isDecimal(_ s: String) -> Bool { bytes(s, isDecimal) }

    /// `-?[0-9]+(\.[0-9]+)?` on UTF-8 bytes.
    public static func isDecimal(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") { i += 1 }
        let whole = i
        while i < u.count, isDigit(u[i]) { i += 1 }
        guard i > whole else { return false }
        if i == u.count { return true }
        guard u[i] == UInt8(ascii: ".") else { return false }
        i += 1
        let fraction = i
        while i < u.count, isDigit(u[i]) { i += 1 }
        return i > fraction && i == u.count
    }

    static func number(_ u: ArraySlice<UInt8>) -> Int? {
        guard !u.isEmpty, u.allSatisfy(isDigit) else { return nil }
        return u.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func parseDate(_ u: ArraySlice<UInt8>) -> (Int, Int, Int)? {
        guard u.count == 10 else { return nil }
        let b = u.startIndex
        guard u[b + 4] == UInt8(ascii: "-"), u[b + 7] == UInt8(ascii: "-"),
              let y = number(u[b..<b + 4]), let m = number(u[b + 5..<b + 7]), let d = number(u[b + 8..<b + 10]),
              (1...12).contains(m), d >= 1, d <= daysInMonth(y, m)
        else { return nil }
        return (y, m, d)
    }

    /// `YYYY-MM-DD`, a real calendar day.
    public static func isDate(_ s: String) -> Bool { bytes(s, isDate) }

    /// `YYYY-MM-DD`, a real calendar day, on UTF-8 bytes.
    public static func isDate(_ u: UnsafeBufferPointer<UInt8>) -> Bool { u.count == 10 && parseDate(u, 0) != nil }

    /// `YYYY-MM-DD` at `b` (10 bytes there), a real calendar day.
    @inline(__always) static func parseDate(_ u: UnsafeBufferPointer<UInt8>, _ b: Int) -> (Int, Int, Int)? {
        guard u[b + 4] == UInt8(ascii: "-"), u[b + 7] == UInt8(ascii: "-"),
              let y = digits(u, b, 4), let m = digits(u, b + 5, 2), let d = digits(u, b + 8, 2),
              m >= 1, m <= 12, d >= 1, d <= daysInMonth(y, m)
        else { return nil }
        return (y, m, d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` and returns it in UTC with `Z`, keeping the
    /// fraction's digits as written; `nil` if it is not such a timestamp.
    public static func canonicalTimestamp(_ s: String) -> String? {
        switch parseTimestamp(s) {
        case .invalid:
            return nil
        case .canonical:
            return s   // already UTC with `Z`: the same string, no allocation
        case .offset(let y, let mo, let d, let h, let mi, let sec, let fraction, let offsetMinutes):
            let fraction = String(decoding: Array(s.utf8)[fraction], as: UTF8.self)
            var minutes = daysFromCivil(y, mo, d) * 1440 + h * 60 + mi - offsetMinutes
            let days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
            minutes -= days * 1440
            let (yy, mm, dd) = civilFromDays(days)
            guard (0...9999).contains(yy) else { return nil }
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let year = String(repeating: "0", count: 4 - String(yy).count) + String(yy)
            return "\(year)-\(two(mm))-\(two(dd))T\(two(minutes / 60)):\(two(minutes % 60)):\(two(sec))" + fraction + "Z"
        }
    }

    /// What `parseTimestamp` found.
    enum ParsedTimestamp {
        case invalid
        /// Ends in `Z`: the text is its own canonical form.
        case canonical
        /// `±HH:MM` (possibly `+00:00`): the parts, the fraction's byte range and the offset in minutes.
        case offset(Int, Int, Int, Int, Int, Int, Range<Int>, Int)
    }

    static func parseTimestamp(_ s: String) -> ParsedTimestamp { bytes(s, parseTimestamp) }

    /// Whether the bytes are a timestamp already in canonical form (UTC, ending in `Z`).
    public static func isCanonicalTimestamp(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        if case .canonical = parseTimestamp(u) { return true }
        return false
    }

    static func parseTimestamp(_ u: UnsafeBufferPointer<UInt8>) -> ParsedTimestamp {
        guard u.count >= 20, let (y, mo, d) = parseDate(u, 0), u[10] == UInt8(ascii: "T"),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let h = digits(u, 11, 2), let mi = digits(u, 14, 2), let sec = digits(u, 17, 2),
              h < 24, mi < 60, sec < 60
        else { return .invalid }
        var i = 19
        var fraction = 19..<19
        if u[i] == UInt8(ascii: ".") {
            var j = i + 1
            while j < u.count, isDigit(u[j]) { j += 1 }
            guard j - i - 1 >= 1, j - i - 1 <= 9 else { return .invalid }
            fraction = i..<j
            i = j
        }
        guard i < u.count else { return .invalid }
        if u[i] == UInt8(ascii: "Z") { return i + 1 == u.count ? .canonical : .invalid }
        guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"),
              let oh = digits(u, i + 1, 2), let om = digits(u, i + 4, 2), oh < 24, om < 60
        else { return .invalid }
        return .offset(y, mo, d, h, mi, sec, fraction, (oh * 60 + om) * (u[i] == UInt8(ascii: "+") ? 1 : -1))
    }

    /// Whether `s` follows a text format.
    public static func matches(_ s: String, _ format: TextFormat) -> Bool {
        let u = Array(s.utf8)
        switch format {
        case .email:
            guard u.count <= 254, let at = u.lastIndex(of: UInt8(ascii: "@")), at > 0, at < u.count - 1 else { return false }
            let local = u[..<at], domain = u[(at + 1)...]
            guard local.count <= 64, !local.contains(UInt8(ascii: "@")) else { return false }
            let bad: (UInt8) -> Bool = { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ",") }
            guard !u.contains(where: bad) else { return false }
            let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && $0.first != UInt8(ascii: "-") && $0.last != UInt8(ascii: "-") }
        case .phone:
            var body = u[...]
            if body.first == UInt8(ascii: "+") { body = body.dropFirst() }
            guard let first = body.first, isDigit(first) else { return false }
            let digits = body.filter(isDigit).count
            return (4...20).contains(digits) && body.allSatisfy { isDigit($0) || $0 == 0x20 || $0 == UInt8(ascii: "-") }
        case .ip:
            return isIPv4(u[...]) || isIPv6(u)
        case .url:
            let lower = s.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
            let rest = lower.drop(while: { $0 != ":" }).dropFirst(3)
            return !rest.isEmpty && !u.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        case .country:
            return u.count == 2 && u.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
        }
    }

    static func isIPv4(_ u: ArraySlice<UInt8>) -> Bool {
        let parts = u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            guard (1...3).contains(p.count), let n = number(p), n <= 255 else { return false }
            return !(p.count > 1 && p.first == UInt8(ascii: "0"))
        }
    }

    static func isIPv6(_ u: [UInt8]) -> Bool {
        guard u.count >= 2, u.count <= 45, u.contains(UInt8(ascii: ":")) else { return false }
        let hex: (UInt8) -> Bool = { isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
        let s = String(decoding: u, as: UTF8.self)
        let double = s.components(separatedBy: "::")
        guard double.count <= 2 else { return false }
        var groups = 0
        for (n, half) in double.enumerated() where !half.isEmpty {
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (k, piece) in pieces.enumerated() {
                let bytes = Array(piece.utf8)
                if n == double.count - 1, k == pieces.count - 1, bytes.contains(UInt8(ascii: ".")) {
                    guard isIPv4(bytes[...]) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(bytes.count), bytes.allSatisfy(hex) else { return false }
                    groups += 1
                }
            }
        }
        return double.count == 2 ? groups <= 7 : groups == 8
    }
}

extension ValueSyntax {
    /// `YYYY-MM-DD` for a day counted from 1970-01-01.
    public static func date(epochDays: Int) -> String {
        let (y, m, d) = civilFromDays(epochDays)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The canonical timestamp (`YYYY-MM-DDTHH:MM:SSZ`) for seconds since 1970-01-01T00:00:00Z.
    public static func timestamp(epochSeconds: Int64) -> String {
        let days = Int(epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400)
        let rest = Int(epochSeconds - Int64(days) * 86400)
        return date(epochDays: days) + "T" + pad(rest / 3600, 2) + ":" + pad(rest / 60 % 60, 2) + ":" + pad(rest % 60, 2) + "Z"
    }

    /// Seconds since the epoch of a canonical timestamp (fraction ignored), or nil.
    public static func epochSeconds(ofTimestamp s: String) -> Int64? {
        guard let canonical = canonicalTimestamp(s) else { return nil }
        let u = Array(canonical.utf8)
        guard let (y, m, d) = parseDate(u[0..<10]), let h = number(u[11..<13]), let mi = number(u[14..<16]), let sec = number(u[17..<19]) else { return nil }
        return Int64(daysFromCivil(y, m, d)) * 86400 + Int64(h * 3600 + mi * 60 + sec)
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
