import SeqPortModel

/// Values every format must carry unchanged (STYLE.md §5), shared by the JSON tests.
enum AwkwardValues {
    static let allControls = String(decoding: (0x00...0x1F).map { UInt8($0) }, as: UTF8.self)
    static let longString = String(repeating: "0123456789abcdé\u{1F600}", count: 100_000 / 19 + 1)

    static let strings: [Value] = [
        "say \"hi\"",
        "back\\slash \\u0041 not an escape",
        "cr\r\nlf\nand\rcr",
        "<&> 'apos' </script>",
        "emoji 😀 👩‍👩‍👧 🇩🇪",
        "RTL שלום مرحبا \u{200F}mark",
        .text(allControls),
        "line\u{2028}separator\u{2029}paragraph",
        "=1+2 @SUM(A1) -3 +4",
        "/slash/ and é ñ 漢字 \u{FEFF} \u{7F}",
        .text(longString),
        "",
        .null,
        " leading and trailing spaces ",
        "null",
        "true",
        "42",
    ]

    static let untypedLayout = RecordLayout(name: "notes", fields: [.untyped("key"), .untyped("text")], isTyped: false)

    static let typedLayout = RecordLayout(name: "contact", fields: [
        Field(name: "id", type: .integer, nullable: false),
        Field(name: "name", type: .string),
        Field(name: "active", type: .boolean),
        Field(name: "amount", type: .decimal),
        Field(name: "born", type: .date),
        Field(name: "at", type: .timestamp),
        Field(name: "kind", type: .enumeration(["home", "work"])),
        Field(name: "email", type: .string, format: .email),
        Field(name: "photo", type: .file),
    ])

    /// One typed record per awkward string, with the other fields varied.
    static var typedRecords: [Record] {
        strings.enumerated().map { i, s in
            Record([
                .text(String(i == 0 ? Int64.min : i == 1 ? Int64.max : Int64(i - 5))),
                s,
                i % 3 == 0 ? .null : .text(i % 2 == 0 ? "true" : "false"),
                i % 2 == 0 ? "-12345678901234567890.000000000000000001" : "0",
                i % 4 == 0 ? .null : "2024-02-29",
                i % 5 == 0 ? .null : "2024-05-01T10:00:00.123456789Z",
                i % 2 == 0 ? "home" : "work",
                i % 3 == 1 ? .null : "ada@example.org",
                .text("files/photo \(i).jpg"),
            ])
        }
    }

    static var untypedRecords: [Record] {
        strings.enumerated().map { i, s in Record([.text("k\(i)"), s]) }
    }
}
