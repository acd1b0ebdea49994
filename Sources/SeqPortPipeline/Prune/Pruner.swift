import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel

/// Deletes generated bundles past their retention (`seqport prune`, `Specs/bundle.md#expiry`).
///
/// A file is considered only if it is named `seqport-*.zip`, opens with the strict ZIP reader and
/// holds a seqport manifest; anything else in the folder is never touched. An encrypted bundle is
/// opened with the passphrase file beside it (`<bundle>.passphrase`, as `export --encrypt` writes it)
/// or the given passphrase. A bundle is due when its manifest's `expiresAt` has passed, or, with
/// `olderThan`, when it was generated longer ago than that; its passphrase file goes with it.
public struct Pruner {
    public struct Item: Codable, Sendable {
        public var path: String
        public var subject: String
        public var generatedAt: String
        public var expiresAt: String
        /// `deleted`, `would-delete` (dry run), `kept`, or `skipped: <reason>` for files that are not bundles.
        public var action: String
    }

    public var olderThan: TimeInterval?
    /// Temporary files left by a killed export (`.seqport-*.partial-*`, `.seqport-spool-*`) older than
    /// this are removed too (`deleted-partial`); a younger one may belong to an export still running.
    public var partialsOlderThan: TimeInterval = Pruner.defaultPartialsGrace
    /// One hour: no single export writes one file for longer.
    public static let defaultPartialsGrace: TimeInterval = 3_600
    public var dryRun = false
    public var now = Date()
    /// For encrypted bundles without a passphrase file beside them.
    public var passphrase: String?

    public init(olderThan: TimeInterval? = nil, dryRun: Bool = false, now: Date = Date(), passphrase: String? = nil,
                partialsOlderThan: TimeInterval = Pruner.defaultPartialsGrace) {
        self.olderThan = olderThan
        self.partialsOlderThan = partialsOlderThan
        self.dryRun = dryRun
        self.now = now
        self.passphrase = passphrase
    }

    public func prune(directory: String) throws -> [Item] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw SeqPortError(.ioFailed, "cannot list \(directory)")
        }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        var items: [Item] = []
        for name in names where Self.isTemporaryFile(name) {
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                  Double(nowSeconds - Int64(info.st_mtim.tv_sec)) > partialsOlderThan else { continue }
            if !dryRun {
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw SeqPortError(.ioFailed, "cannot delete \(path): \(String(cString: strerror(errno)))")
                }
            }
            items.append(Item(path: path, subject: "", generatedAt: "", expiresAt: "", action: dryRun ? "would-delete-partial" : "deleted-partial"))
        }
        for name in names where name.hasPrefix("seqport-") && name.hasSuffix(".zip") {
            let path = (directory as NSString).appendingPathComponent(name)
            let passphraseFile = path + ".passphrase"
            let sibling = FileManager.default.contents(atPath: passphraseFile).map {
                String(decoding: $0, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            }
            let manifest: Manifest
            do {
                manifest = try OpenedBundle(path: path, zipLimits: .default, passphrase: sibling ?? passphrase).manifest()
            } catch {
                items.append(Item(path: path, subject: "", generatedAt: "", expiresAt: "", action: "skipped: not a seqport bundle it can read"))
                continue
            }
            guard let generated = ValueSyntax.epochSeconds(ofTimestamp: manifest.generatedAt),
                  let expires = ValueSyntax.epochSeconds(ofTimestamp: manifest.expiresAt) else { continue }
            let due = olderThan.map { nowSeconds - generated > Int64($0) } ?? (expires <= nowSeconds)
            var item = Item(path: path, subject: manifest.subject, generatedAt: manifest.generatedAt, expiresAt: manifest.expiresAt, action: "kept")
            if due {
                if dryRun {
                    item.action = "would-delete"
                } else {
                    guard unlink(path) == 0 else { throw SeqPortError(.ioFailed, "cannot delete \(path): \(String(cString: strerror(errno)))") }
                    if sibling != nil { unlink(passphraseFile) }
                    item.action = "deleted"
                }
            }
            items.append(item)
        }
        return items
    }

    /// Whether a name is one of seqport's temporary files: an `AtomicFile` partial file of a bundle
    /// (`.seqport-<…>.zip.partial-<pid>-<random>`) or a spool file (`.seqport-spool-<random>`).
    static func isTemporaryFile(_ name: String) -> Bool {
        name.hasPrefix(".seqport-spool-") || (name.hasPrefix(".seqport-") && name.contains(".zip.partial-"))
    }

    /// The units `duration(_:)` takes, in seconds. Not `m`: minutes or months? It is refused.
    public static let durationUnits: [(suffix: String, seconds: Double)] = [
        ("min", 60), ("s", 1), ("h", 3_600), ("d", 86_400), ("w", 604_800),
    ]

    /// Parses a whole number and a unit — `45s`, `30min`, `12h`, `3d`, `2w` — into seconds; nil for
    /// anything else (`1m` included, which reads as minutes to some and months to others).
    public static func duration(_ text: String) -> TimeInterval? {
        for (suffix, seconds) in durationUnits where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber), let n = Double(number),
                  n * seconds <= Double(Exporter.lastTimestamp) else { return nil }
            return n * seconds
        }
        return nil
    }
}
