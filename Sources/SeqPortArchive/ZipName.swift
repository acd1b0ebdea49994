import Foundation
import SeqPortModel

/// The rules every entry name follows, in archives seqport writes and archives it reads.
///
/// A name is UTF-8, relative, uses `/` as separator, has no empty, `.` or `..` segment (a directory
/// name ends in one `/`), no backslash, no drive letter (`C:`), no NUL or other control character.
enum ZipName {
    /// Checks raw name bytes and returns the name as a string; with `backslashSeparators` each `\`
    /// becomes `/` first (`ZipLimits.acceptsBackslashSeparators`).
    static func validate(_ bytes: [UInt8], maxBytes: Int, backslashSeparators: Bool = false) throws -> String {
        let bytes = backslashSeparators ? separatorsMapped(bytes) : bytes
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw SeqPortError.zip(.zipNameEncoding, "entry name is not valid UTF-8")
        }
        guard bytes.count <= maxBytes else {
            throw SeqPortError.zip(.zipNameTooLong, "name is \(bytes.count) bytes, over the limit of \(maxBytes)", entry: printable(name))
        }
        if let rule = brokenRule(bytes) {
            throw SeqPortError.zip(.zipUnsafeName, "unsafe name: \(rule)", entry: printable(name))
        }
        return name
    }

    /// The first rule the name breaks, or nil.
    static func brokenRule(_ bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "the name is empty" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "it contains a NUL or control character" }
        if bytes[0] == UInt8(ascii: "/") { return "it is absolute" }
        if bytes.contains(UInt8(ascii: "\\")) { return "it contains a backslash" }
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"),
           (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0] & 0xDF) {
            return "it starts with a drive letter"
        }
        var segments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        if bytes.last == UInt8(ascii: "/") { segments.removeLast() }
        for segment in segments {
            if segment.isEmpty { return "it has an empty segment" }
            if segment.elementsEqual([UInt8(ascii: ".")]) { return "it has a '.' segment" }
            if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { return "it has a '..' segment" }
        }
        return nil
    }

    /// The name bytes with every `\` turned into `/`.
    static func separatorsMapped(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }
    }

    /// The key two names collide on: NFC-normalised and case-folded, without a directory's trailing slash.
    static func collisionKey(_ name: String) -> String {
        // ASCII (every name seqport writes but an attachment's): NFC changes nothing and folding is
        // A–Z alone, without Foundation's normaliser (a twentieth of a small subject's export).
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(name.utf8)
            for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
            if bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
        var key = name.precomposedStringWithCanonicalMapping.lowercased()
        if key.hasSuffix("/") { key.removeLast() }
        return key
    }

    /// The name with control characters replaced, safe to show in a one-line message.
    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
