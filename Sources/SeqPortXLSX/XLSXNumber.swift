import SeqPortModel

/// Numbers between canonical text and cells (`Specs/xlsx.md`, "Numbers").
enum XLSXNumber {
    /// Excel keeps 15 significant digits; a number with more is written as text.
    static let maxDigits = 15

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Whether a canonical `integer` or `decimal` text is written as a numeric cell: it has one spelling
    /// as a number (no leading zero in the whole part, no trailing zero in the fraction, not negative
    /// zero) and at most 15 significant digits, so every program reads back exactly this text.
    static func isExactNumber(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = u.count
        guard n > 0 else { return false }
        var i = 0
        let negative = u[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        let wholeStart = i
        while i < n, isDigit(u[i]) { i += 1 }
        let wholeEnd = i
        guard wholeEnd > wholeStart else { return false }
        if u[wholeStart] == UInt8(ascii: "0") && wholeEnd - wholeStart > 1 { return false }
        var fractionStart = n, fractionEnd = n
        if i < n {
            guard u[i] == UInt8(ascii: ".") else { return false }
            i += 1
            fractionStart = i
            while i < n, isDigit(u[i]) { i += 1 }
            fractionEnd = i
            guard i == n, fractionEnd > fractionStart, u[fractionEnd - 1] != UInt8(ascii: "0") else { return false }
        }
        // Significant digits: from the first non-zero digit to the last digit (trailing zeros of a
        // whole number count: 10^15 and more are text, like every 16-digit integer).
        var digits: [UInt8] = Array(u[wholeStart..<wholeEnd])
        if fractionStart < fractionEnd { digits += u[fractionStart..<fractionEnd] }
        guard let first = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else {
            return !negative  // zero, not "-0"
        }
        return digits.count - first <= maxDigits
    }

    /// The exact plain decimal (no exponent) of a finite double's shortest round-trip spelling:
    /// `1.0E+15` → `1000000000000000`, `42.0` → `42`, `1.5e-3` → `0.0015`.
    static func plainDecimal(_ d: Double) -> String? {
        guard d.isFinite else { return nil }
        if d == 0 { return "0" }
        let s = Array(d.description.utf8)   // shortest round trip: "42.0", "1e-06", "1.2345e+20"
        var negative = false
        var i = 0
        if s.first == UInt8(ascii: "-") { negative = true; i = 1 }
        var mantissa: [UInt8] = []
        var pointPosition: Int? = nil
        while i < s.count, s[i] != UInt8(ascii: "e"), s[i] != UInt8(ascii: "E") {
            if s[i] == UInt8(ascii: ".") { pointPosition = mantissa.count } else { mantissa.append(s[i]) }
            i += 1
        }
        var exponent = 0
        if i < s.count {
            i += 1
            var sign = 1
            if i < s.count, s[i] == UInt8(ascii: "+") { i += 1 } else if i < s.count, s[i] == UInt8(ascii: "-") { sign = -1; i += 1 }
            var e = 0
            while i < s.count, isDigit(s[i]) { e = e * 10 + Int(s[i] - 0x30); i += 1 }
            exponent = sign * e
        }
        // value = 0.mantissa × 10^point, point = digits before the decimal point + exponent.
        let point = (pointPosition ?? mantissa.count) + exponent
        var whole: [UInt8], fraction: [UInt8]
        if point <= 0 {
            whole = [UInt8(ascii: "0")]
            fraction = [UInt8](repeating: UInt8(ascii: "0"), count: -point) + mantissa
        } else if point >= mantissa.count {
            whole = mantissa + [UInt8](repeating: UInt8(ascii: "0"), count: point - mantissa.count)
            fraction = []
        } else {
            whole = Array(mantissa[..<point])
            fraction = Array(mantissa[point...])
        }
        while let last = fraction.last, last == UInt8(ascii: "0") { fraction.removeLast() }
        while whole.count > 1, whole.first == UInt8(ascii: "0") { whole.removeFirst() }
        var out = negative ? "-" : ""
        out += String(decoding: whole, as: UTF8.self)
        if !fraction.isEmpty { out += "." + String(decoding: fraction, as: UTF8.self) }
        return out
    }

    /// The text a numeric cell's `<v>` gives a field of `type` (before the field's own check), or
    /// `nil` when the number cannot be such a value (the caller reports `value.type`).
    static func text(ofNumber v: String, for type: FieldType) -> String? {
        let bytes = Array(v.utf8)
        let plainInteger = !bytes.isEmpty && bytes.enumerated().allSatisfy { k, b in isDigit(b) || (k == 0 && b == UInt8(ascii: "-") && bytes.count > 1) }
        if case .integer = type, plainInteger {
            // Exact, whatever its size: openpyxl writes Python integers as they are.
            guard let n = Int64(v) else { return v }   // out of range: the field says so
            return String(n)
        }
        guard let d = Double(v), d.isFinite else { return nil }
        if case .integer = type {
            guard d == d.rounded(), abs(d) < 9.223372036854775807e18 else { return nil }
            return String(Int64(d))
        }
        return plainDecimal(d)
    }
}
