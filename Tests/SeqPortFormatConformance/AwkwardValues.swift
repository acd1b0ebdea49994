import SeqPortModel

/// What makes a value awkward, so that a format that cannot carry some of them says which (and why) in
/// its capability description, and the suite leaves exactly those out for it.
public enum AwkwardTrait: String, Hashable, Sendable, CaseIterable {
    /// U+0000.
    case nul
    /// A C0 control other than NUL, tab, line feed and carriage return (U+0001…U+001F).
    case c0Control
    case tab
    case lineFeed
    /// A carriage return, alone or in CR LF.
    case carriageReturn
    /// U+007F.
    case delete
    /// A C1 control (U+0080…U+009F).
    case c1Control
    /// U+FFFE, U+FFFF: not characters, but Unicode scalars a string may hold.
    case nonCharacter
    /// Longer than any reader's chunk (≈ 100 KB).
    case long
}

/// One value every format must carry byte for byte, with why it is here.
public struct AwkwardValue: Sendable {
    public let value: Value
    /// What the value tests, for failure messages.
    public let why: String
    public let traits: Set<AwkwardTrait>

    init(_ value: Value, _ why: String) {
        self.value = value
        self.why = why
        self.traits = value.text.map(AwkwardValue.traits(of:)) ?? []
    }

    /// The traits a text has, found from its scalars (so the list below cannot mislabel a value).
    public static func traits(of text: String) -> Set<AwkwardTrait> {
        var traits = Set<AwkwardTrait>()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x00: traits.insert(.nul)
            case 0x09: traits.insert(.tab)
            case 0x0A: traits.insert(.lineFeed)
            case 0x0D: traits.insert(.carriageReturn)
            case 0x01...0x1F: traits.insert(.c0Control)
            case 0x7F: traits.insert(.delete)
            case 0x80...0x9F: traits.insert(.c1Control)
            case 0xFFFE, 0xFFFF: traits.insert(.nonCharacter)
            default: break
            }
        }
        if text.utf8.count > 70_000 { traits.insert(.long) }
        return traits
    }
}

/// The one list of values no format may lose (STYLE.md §5), shared by every format's tests and run over
/// every format by `Tests/SeqPortFormatConformanceTests`. A value that breaks one format's naive code
/// belongs here, not in that format's tests: every other format then has to carry it too.
public enum AwkwardValues {
    /// Every C0 control, U+0000…U+001F, in one string.
    public static let allControls = String(decoding: (0x00...0x1F).map { UInt8($0) }, as: UTF8.self)
    /// ≈ 100 KB: longer than every reader's 64 KiB chunk, with multi-byte characters across its boundaries.
    public static let longString = String(repeating: "0123456789abcdé\u{1F600}", count: 100_000 / 19 + 1)

    public static let all: [AwkwardValue] = [
        // Empty, NULL, blanks.
        AwkwardValue("", "the empty string, not NULL"),
        AwkwardValue(.null, "NULL, not the empty string"),
        AwkwardValue(" ", "one space"),
        AwkwardValue("   ", "only spaces"),
        AwkwardValue(" leading and trailing spaces ", "outer spaces kept"),
        AwkwardValue("\ttab\tinside\t", "tabs, outer ones too"),
        // Line ends inside values.
        AwkwardValue("cr\ronly", "a bare CR"),
        AwkwardValue("lf\nonly", "a bare LF"),
        AwkwardValue("crlf\r\nline", "CR LF"),
        AwkwardValue("\r\n\r\n", "only line ends"),
        AwkwardValue("\n", "one LF"),
        AwkwardValue("\r", "one CR"),
        AwkwardValue("line\nbreaks\n\nand a trailing one\n", "a trailing LF"),
        AwkwardValue("line\u{2028}separator\u{2029}paragraph", "U+2028 and U+2029 (JavaScript line ends)"),
        AwkwardValue("next\u{85}line", "NEL (U+0085), a C1 line end"),
        // Controls.
        AwkwardValue(.text(allControls), "every C0 control"),
        AwkwardValue("\u{0}", "NUL alone"),
        AwkwardValue("nul\u{0}mid", "NUL inside"),
        AwkwardValue("a\u{1}b\u{7}c\u{1B}d\u{1F}", "C0 controls inside"),
        AwkwardValue("\u{7F}", "DEL"),
        AwkwardValue("c1 \u{80}\u{9F}", "C1 controls"),
        AwkwardValue("U+FFFE \u{FFFE} U+FFFF \u{FFFF}", "non-characters"),
        AwkwardValue("\u{FEFF}byte order mark first", "a BOM at the start of a value"),
        // Text beyond ASCII.
        AwkwardValue("emoji 😀 👩‍👩‍👧 🇸🇪 👍🏽", "astral characters, ZWJ sequences, flags, skin tones"),
        AwkwardValue("𝄞 musical symbol", "an astral character first"),
        AwkwardValue("e\u{301} vs é, a\u{308}\u{323}", "combining marks (compared byte for byte, not canonically)"),
        AwkwardValue("é ñ ß 漢字 ünïcödé", "Latin and CJK"),
        AwkwardValue("RTL שלום مرحبا \u{200F}mark", "right-to-left text and a RLM"),
        AwkwardValue("\u{202E}override\u{202C} \u{2066}isolate\u{2069}", "bidi overrides and isolates"),
        AwkwardValue("zero\u{200B}width\u{200D}joiner", "zero-width characters"),
        // Quoting, escaping and markup of every format.
        AwkwardValue("say \"hi\"", "double quotes"),
        AwkwardValue("\"", "one double quote"),
        AwkwardValue("\"\"", "two double quotes"),
        AwkwardValue("quote \" and apostrophe '", "both quotes"),
        AwkwardValue("a,b", "CSV's separator"),
        AwkwardValue(",", "CSV's separator alone"),
        AwkwardValue("semi;colon", "the spreadsheet separator"),
        AwkwardValue("back\\slash \\u0041 not an escape", "backslashes and a JSON escape as text"),
        AwkwardValue("comma, semicolon; backslash \\ and \\n not a newline", "vCard's escapes as text"),
        AwkwardValue("\\,\\;\\\\", "vCard's escape sequences only"),
        AwkwardValue("colon: quotes \"x\" 'y' <&>", "vCard's parameter characters"),
        AwkwardValue("<&> 'apos' </script>", "markup"),
        AwkwardValue("<tag attr=\"x\">&amp;</tag>", "an element as text"),
        AwkwardValue("&amp; literally", "an entity as text"),
        AwkwardValue("a]]>b", "the end of a CDATA section"),
        AwkwardValue("]]>", "the end of a CDATA section alone"),
        AwkwardValue("_x0041_", "XLSX's escape as text"),
        AwkwardValue("_x005F_x0041_", "XLSX's escaped escape as text"),
        AwkwardValue("_X00e9_ __x1234_", "near-misses of XLSX's escape"),
        AwkwardValue("/slash/ and {\"json\": [1]}", "JSON as text"),
        // Formula triggers (CSV and XLSX guard them) and the guard's own apostrophe.
        AwkwardValue("=SUM(A1:A9)", "a formula"),
        AwkwardValue("=1+2 @SUM(A1) -3 +4", "every trigger"),
        AwkwardValue("+46 70 123", "a phone number starting with +"),
        AwkwardValue("-5", "a negative number as text"),
        AwkwardValue("@cmd", "@ first"),
        AwkwardValue("=", "= alone"),
        AwkwardValue("-", "- alone"),
        AwkwardValue("\t=x", "tab then a formula"),
        AwkwardValue("\r=x", "CR then a formula"),
        AwkwardValue("'=x", "the guard's apostrophe already there"),
        AwkwardValue("''@y", "two apostrophes then a trigger"),
        AwkwardValue("'", "one apostrophe"),
        AwkwardValue("'abc", "an apostrophe first"),
        AwkwardValue("' =x", "an apostrophe, a space, a formula"),
        // Numbers, literals and dates as text.
        AwkwardValue("007", "leading zeros"),
        AwkwardValue("0701234567", "a phone number with a leading zero"),
        AwkwardValue("1234567890123456789012345", "more digits than a double holds"),
        AwkwardValue("1.50", "a trailing zero"),
        AwkwardValue("1e3", "an exponent"),
        AwkwardValue("null", "JSON's null as text"),
        AwkwardValue("true", "a boolean as text"),
        AwkwardValue("42", "a number as text"),
        AwkwardValue("2024-05-01", "a date as text (a spreadsheet would convert it)"),
        // Long.
        AwkwardValue(.text(longString), "longer than a reader's chunk"),
        AwkwardValue(.text(String(repeating: "å😀,;\\\"\r\n<&>", count: 1_000)), "long and full of specials"),
    ]

    /// The values whose traits a format can carry (all of them when `cannotCarry` is empty).
    public static func carried(excluding cannotCarry: Set<AwkwardTrait>) -> [AwkwardValue] {
        all.filter { $0.traits.isDisjoint(with: cannotCarry) }
    }

    /// The texts among `carried(excluding:)` (NULL left out).
    public static func texts(excluding cannotCarry: Set<AwkwardTrait> = []) -> [String] {
        carried(excluding: cannotCarry).compactMap(\.value.text)
    }

    // MARK: Typed values

    /// Canonical values of every non-string type, extremes first: each typed reader gives them back
    /// unchanged (a reader canonicalises, so only canonical values round-trip byte for byte).
    public static func typed(_ type: FieldType) -> [Value] {
        switch type {
        case .integer:
            return ["-9223372036854775808", "9223372036854775807", "0", "-1", "42", "123456789012345", "1234567890123456"]
        case .decimal:
            return ["-12345678901234567890.000000000000000001", "0", "0.5", "-0.001", "123456789.123456789", "1", "12.5",
                    "99999999999999999999999999999.99999999999999999999"]
        case .boolean:
            return ["true", "false"]
        case .date:
            return ["2024-02-29", "1970-01-01", "2099-12-31"]
        case .timestamp:
            return ["2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00Z", "1970-01-01T00:00:00Z", "2024-12-31T23:59:59.5Z"]
        case .enumeration(let values):
            return values.map { .text($0) }
        case .file:
            return ["files/photo 1.jpg", "files/ünïcödé/😀.png"]
        case .string:
            return texts().map { .text($0) }
        }
    }

    /// A typed layout with a field of every type (the string fields are where the awkward values go).
    public static let everyType = RecordLayout(name: "contact", fields: [
        Field(name: "id", type: .integer, nullable: false, description: "The record's key"),
        Field(name: "name", type: .string, nullable: false),
        Field(name: "note", type: .string, description: "Free text"),
        Field(name: "active", type: .boolean),
        Field(name: "amount", type: .decimal),
        Field(name: "born", type: .date),
        Field(name: "seen", type: .timestamp),
        Field(name: "kind", type: .enumeration(["home", "work & <play>"])),
        Field(name: "email", type: .string),
        Field(name: "photo", type: .file),
    ])

    /// `everyType`, under the name the format tests use.
    public static var typedLayout: RecordLayout { everyType }

    /// One record of `layout` per value: the value in every string field (a plain `x` where it is NULL
    /// and the field may not be), and the non-string fields cycling through `typed(_:)`, with NULL in
    /// turn where the field may be NULL.
    public static func records(_ layout: RecordLayout, values: [AwkwardValue]) -> [Record] {
        values.enumerated().map { i, awkward in
            Record(layout.fields.enumerated().map { k, field -> Value in
                if case .string = field.type {
                    return awkward.value.isNull && !field.nullable ? "x" : awkward.value
                }
                let choices = typed(field.type) + (field.nullable ? [.null] : [])
                return choices[(i + k) % choices.count]
            })
        }
    }

    /// `records(everyType, values: all)`: the typed records most format tests use.
    public static var typedRecords: [Record] { records(everyType, values: all) }

    /// An untyped layout of a key and a value.
    public static let untypedLayout = RecordLayout(name: "notes", fields: [.untyped("key"), .untyped("text")], isTyped: false)

    /// One untyped record per value: `k0`, `k1`, … and the value.
    public static var untypedRecords: [Record] {
        all.enumerated().map { i, v in Record([.text("k\(i)"), v.value]) }
    }
}
