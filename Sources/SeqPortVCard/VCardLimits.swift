import SeqPortModel

/// The limits the vCard and jCard readers enforce while they read (`Specs/vcard.md`, `Specs/limits.md`).
public struct VCardLimits: Hashable, Sendable {
    /// The largest decoded photo (or other binary value: `LOGO`, `SOUND`, `KEY`), in bytes. Default 10 MiB.
    public var maxBinaryBytes: Int = 10 << 20
    /// The largest value that is not binary, in UTF-8 bytes. Default: `ReaderLimits.maxValueBytes` (4 MiB).
    public var maxValueBytes: Int = ReaderLimits.default.maxValueBytes
    /// The most properties one card may have. Default 1024 (`ReaderLimits.maxFields`).
    public var maxProperties: Int = ReaderLimits.default.maxFields
    /// The longest property name, group or parameter name, in bytes. Default 256 (`ReaderLimits.maxNameBytes`).
    public var maxNameBytes: Int = ReaderLimits.default.maxNameBytes

    public init() {}

    /// The longest content line in the file, counted in raw bytes with every fold (so endless folding
    /// of empty continuation lines is bounded too): room for the largest binary value in base64 plus 64 KiB.
    public var maxLineBytes: Int { max(maxBinaryBytes / 3 * 4 + 8, maxValueBytes * 3) + (64 << 10) }

    /// The largest jCard document read whole: 4 × `maxLineBytes`.
    public var maxJCardBytes: Int { maxLineBytes * 4 }

    /// Limits taken from the document limits (values, fields, names) with the default binary limit.
    public init(_ limits: ReaderLimits) {
        maxValueBytes = limits.maxValueBytes
        maxProperties = limits.maxFields
        maxNameBytes = limits.maxNameBytes
    }

    public static let `default` = VCardLimits()
}
