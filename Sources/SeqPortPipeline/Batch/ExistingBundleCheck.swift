import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel

/// Decides whether a bundle already in the output folder is complete, so a resumed batch can skip
/// its subject (`Specs/batch.md`, "Resume").
///
/// Only a file at the final name is considered; `.partial-*` files never are. The quick check
/// (the default) passes when all of these hold:
/// 1. the strict `ZipReader` opens the file: end records, the whole central directory and every
///    local header are present, consistent and within limits (a truncated file fails here);
/// 2. `manifest.json` is present, inflates with a correct CRC-32 and parses as a seqport 1.x manifest;
/// 3. the manifest's subject and scope are the ones asked for;
/// 4. every file the manifest lists is an entry of the archive with exactly the listed
///    uncompressed size, and every category's JSON, CSV and XML copies are listed.
///
/// It reads the manifest only, not the data, so it costs about one directory read per bundle.
/// `full` also runs the `Verifier` (every entry inflated and checked against its SHA-256, the three
/// copies compared record by record).
public struct ExistingBundleCheck: Sendable {
    public enum Depth: String, Sendable, Codable {
        case quick
        case full
    }

    public var depth: Depth
    public var zipLimits: ZipLimits

    public init(depth: Depth = .quick, zipLimits: ZipLimits = .default) {
        self.depth = depth
        self.zipLimits = zipLimits
    }

    /// Whether the bundle at `path` is a complete bundle of `subject` in `scope`; false when the file
    /// is missing. Never throws: anything wrong means "export it again".
    /// - Parameter passphrase: opens an encrypted bundle; without it an encrypted bundle is never complete,
    ///   with it a plain one is not either.
    public func isComplete(path: String, subject: String, scope: Scope, passphrase: String? = nil) -> Bool {
        do {
            return try problem(path: path, subject: subject, scope: scope, passphrase: passphrase) == nil
        } catch {
            return false
        }
    }

    /// Nil when the bundle passes, else why not (without personal values).
    /// - Throws: when the file cannot be opened as an archive at all (including when it is missing).
    public func problem(path: String, subject: String, scope: Scope, passphrase: String? = nil) throws -> String? {
        let bundle = try OpenedBundle(path: path, zipLimits: zipLimits, passphrase: passphrase)
        if passphrase != nil, bundle.zip.entry(named: BundleLayout.manifest)?.isEncrypted != true {
            return "the bundle is not encrypted"
        }
        let manifest = try bundle.manifest()
        guard manifest.subject == subject else { return "the manifest names another subject" }
        guard manifest.scope == scope else { return "the manifest has scope \(manifest.scope.rawValue), not \(scope.rawValue)" }
        let listed = Set(manifest.files.map(\.path))
        for file in manifest.files {
            guard let entry = bundle.zip.entry(named: file.path) else { return "\(file.path) is listed but missing" }
            guard entry.uncompressedSize == UInt64(max(0, file.bytes)) else { return "\(file.path) has another size than listed" }
        }
        for category in manifest.categories {
            for format in BundleFormat.allCases where !listed.contains(BundleLayout.data(category.name, format)) {
                return "\(BundleLayout.data(category.name, format)) is not listed"
            }
        }
        if depth == .full {
            let report = try Verifier(zipLimits: zipLimits, passphrase: passphrase).verify(path: path)
            if let first = report.problems.first { return first.message }
        }
        return nil
    }
}
