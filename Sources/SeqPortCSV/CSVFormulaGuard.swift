/// The spreadsheet-injection guard: a bijection on string values (`Specs/csv.md`, "Formula guard").
///
/// Writing: a value matching `'*[=+\-@\t\r]…` (zero or more apostrophes, then a trigger byte) gets one
/// extra leading apostrophe. Reading: a value matching `'+[=+\-@\t\r]…` loses exactly one. Every
/// written value reads back as itself, and every other value is left alone both ways.
enum CSVFormulaGuard {
    static let apostrophe = UInt8(ascii: "'")

    /// `=` `+` `-` `@` TAB CR: the bytes a spreadsheet may start a formula with.
    @inline(__always)
    static func isTrigger(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
            || b == 0x09 || b == 0x0D
    }

    /// Whether the writer must add an apostrophe: the value matches `'*[=+\-@\t\r]…`.
    static func writerAddsApostrophe(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        while k < u.count, u[k] == apostrophe { k += 1 }
        return k < u.count && isTrigger(u[k])
    }

    /// Whether the reader must drop the first byte: the value matches `'+[=+\-@\t\r]…`.
    static func readerDropsApostrophe(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        u.count >= 2 && u[0] == apostrophe && writerAddsApostrophe(UnsafeBufferPointer(rebasing: u[1...]))
    }
}
