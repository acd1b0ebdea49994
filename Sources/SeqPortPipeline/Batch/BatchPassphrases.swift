import Foundation
import SeqPortArchive
import SeqPortModel

/// Where each subject's passphrase comes from in an encrypted batch (`Specs/batch.md`, "Encrypted
/// batches"): one passphrase per subject, never one for all.
///
/// ```swift
/// var options = BatchOptions()
/// options.passphrases = .generated                                   // <bundle>.passphrase beside each bundle
/// options.passphrases = .given(try BatchPassphrases.read(path: "passphrases.tsv"))
/// ```
public enum BatchPassphrases: Sendable {
    /// A new random passphrase (`ExportOptions.generatePassphrase()`) for each bundle written, put into
    /// `<bundle>.passphrase` (0600 less the umask) before the bundle gets its name: a bundle at its
    /// name always has its passphrase file beside it.
    case generated
    /// Each subject's passphrase from a list; a subject that is not in it fails (`batch.no-passphrase`).
    case given([String: String])

    /// `<bundle>.passphrase`, the file a generated passphrase is delivered in.
    public static func file(bundle: String) -> String { bundle + ".passphrase" }

    /// The passphrase a bundle already at `bundle` was written with, to check it before skipping its
    /// subject: the given one, or the first line of its passphrase file; nil when there is none.
    func existing(subject: String, bundle: String) -> String? {
        switch self {
        case .given(let table):
            return table[subject]
        case .generated:
            guard let data = FileManager.default.contents(atPath: Self.file(bundle: bundle)) else { return nil }
            let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
            return line.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The passphrase to write `subject`'s bundle with: the given one, or a new one.
    /// - Throws: `batch.no-passphrase` when the list has none for the subject.
    func passphrase(subject: String) throws -> String {
        switch self {
        case .given(let table):
            guard let passphrase = table[subject] else {
                throw SeqPortError(.batchNoPassphrase, "the passphrase list has no line for this subject; its bundle was not written")
            }
            return passphrase
        case .generated:
            return ExportOptions.generatePassphrase()
        }
    }

    /// Writes a generated passphrase into `<bundle>.passphrase` under a partial name and renames it,
    /// so the file is never seen empty or half-written.
    static func deliver(_ passphrase: String, bundle: String) throws {
        let file = try AtomicFile(finalPath: Self.file(bundle: bundle))
        try Array((passphrase + "\n").utf8).withUnsafeBytes { try file.sink.write($0) }
        try file.commit(syncDirectory: false)
    }

    /// Reads a passphrase list: one `subject<TAB>passphrase` per line. Blank lines and lines starting
    /// with `#` are skipped; a UTF-8 byte order mark at the start and a CR before the newline are
    /// removed; spaces around the subject id are removed, the passphrase is taken as it is (after the
    /// first tab, to the end of the line).
    /// - Throws: `usage` when the file cannot be read, a line has no tab, an empty subject or passphrase,
    ///   or a subject is given twice (naming the line, never the passphrase).
    public static func read(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeqPortError(.usage, "cannot read the passphrase list \(path)")
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = String(decoding: data.starts(with: bom) ? data.dropFirst(bom.count) : data[...], as: UTF8.self)
        var table: [String: String] = [:]
        // `\r\n` is one Character, a newline like `\n`: both end a line.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let place = "passphrase list \(path) line \(index + 1)"
            guard let tab = line.firstIndex(of: "\t") else {
                throw SeqPortError(.usage, "\(place): expected subject<TAB>passphrase")
            }
            let subject = line[..<tab].trimmingCharacters(in: .whitespaces)
            let passphrase = String(line[line.index(after: tab)...])
            guard !subject.isEmpty, !passphrase.isEmpty else {
                throw SeqPortError(.usage, "\(place): the subject id and the passphrase must not be empty")
            }
            guard table.updateValue(passphrase, forKey: subject) == nil else {
                throw SeqPortError(.usage, "\(place): the subject has a passphrase on an earlier line already")
            }
        }
        return table
    }
}

extension SeqPortError.Code {
    /// An encrypted batch with a passphrase list that has no passphrase for a subject.
    public static let batchNoPassphrase = Self("batch.no-passphrase", .input)
}
