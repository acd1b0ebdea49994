import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel

/// Options for `seqport import`.
public struct ImportOptions: Sendable {
    /// Read this copy of every category instead of the edited ones.
    public var format: BundleFormat?
    /// Read this format's shared entry (`--format xlsx`: the workbook, `xlsx/data.xlsx`) of every
    /// category instead of the edited copies; a registered format with a `sharedReader`.
    public var sharedFormat: String?
    /// Apply the plan (in one transaction) when nothing is refused.
    public var apply = false
    /// Apply the valid changes even when others are refused (`--apply-valid`); the refusals are written
    /// to the audit trail beside them.
    public var applyValid = false
    /// The most records an editable category may hold, in the store or in the bundle, for one import
    /// (`import.too-large` beyond): the plan of such a category is made in memory.
    public var maxEditableRecords = ImportOptions.defaultMaxEditableRecords
    public static let defaultMaxEditableRecords = 10_000
    /// Who applies it, for the audit trail.
    public var actor = "seqport"
    /// The audit time; now by default.
    public var now: Date?
    /// When set, the bundle's manifest must carry a valid signature by this key, or nothing is read.
    public var trustedKey: Minisign.PublicKey?
    /// Decrypts an encrypted bundle (`Specs/encryption.md`); without it such a bundle is refused (`zip.encrypted`).
    public var passphrase: String?
    public var zipLimits = ZipLimits.default
    public var readerLimits = ReaderLimits.default

    public init() {}
}
