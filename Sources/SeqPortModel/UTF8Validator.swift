/// The one UTF-8 check every byte-level reader uses (CSV's scanner, JSON's tokenizer): a streaming
/// state machine over Unicode's table of well-formed byte sequences (Table 3-7), so a sequence may be
/// cut anywhere by a chunk boundary and is checked across it.
///
/// Refused: a byte that can never occur (`C0`, `C1`, `F5`…`FF`), a continuation byte without a lead,
/// overlong forms (`E0 80`…`9F`, `F0 80`…`8F`), surrogates (`ED A0`…`BF`), anything above U+10FFFF
/// (`F4 90`… and up), and a sequence cut short by a byte that is not a continuation. A sequence still
/// open at the end of the input (`isComplete == false`) is the caller's to refuse.
///
/// The state is three small values the caller may keep in locals across a hot loop; everything is
/// `@inlinable`, so a reader in another module pays no call per byte.
///
/// ```swift
/// var utf8 = UTF8Validator()
/// for b in bytes where b >= 0x80 || !utf8.isComplete {
///     guard utf8.accept(b) else { throw … }   // the offending byte is `b`
/// }
/// guard utf8.isComplete else { throw … }     // truncated at the end
/// ```
@frozen
public struct UTF8Validator: Hashable, Sendable {
    /// Continuation bytes still expected (0…3).
    @usableFromInline var need: Int
    /// The range the next continuation byte must fall in (narrower than `80`…`BF` only right after
    /// `E0`, `ED`, `F0`, `F4`).
    @usableFromInline var low: UInt8
    @usableFromInline var high: UInt8

    /// A validator between sequences.
    @inlinable
    public init() {
        need = 0
        low = 0x80
        high = 0xBF
    }

    /// True between sequences: no continuation byte is expected.
    @inlinable
    public var isComplete: Bool { need == 0 }

    /// Takes the next byte; false when it cannot come here (the validator is then unchanged, and the
    /// input is not UTF-8 at this byte).
    @inlinable @inline(__always)
    public mutating func accept(_ b: UInt8) -> Bool {
        if need != 0 {
            guard b >= low, b <= high else { return false }
            need -= 1
            low = 0x80
            high = 0xBF
            return true
        }
        if b < 0x80 { return true }
        return acceptLead(b)
    }

    /// Takes a byte that starts a sequence (`need == 0`, `b >= 0x80`).
    @inlinable @inline(__always)
    public mutating func acceptLead(_ b: UInt8) -> Bool {
        switch b {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; high = 0x9F
        case 0xF0: need = 3; low = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; high = 0x8F
        default: return false
        }
        return true
    }

    /// The number of bytes a sequence starting with `lead` has (1…4), or nil when `lead` cannot start one.
    @inlinable
    public static func sequenceLength(lead: UInt8) -> Int? {
        if lead < 0x80 { return 1 }
        var v = UTF8Validator()
        guard v.acceptLead(lead) else { return nil }
        return v.need + 1
    }

    /// The offset of the first byte of `bytes` that is not UTF-8, `bytes.count` when a sequence is cut
    /// off by the end, or nil when all of `bytes` is UTF-8.
    @inlinable
    public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var v = UTF8Validator()
        for i in 0..<bytes.count where !v.accept(bytes[i]) { return i }
        return v.isComplete ? nil : bytes.count
    }
}
