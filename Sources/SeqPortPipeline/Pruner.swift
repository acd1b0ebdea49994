import Foundation
import SeqPortArchive
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
    public var dryRun = false
    public var now = Date()
    /// For encrypted bundles without a passphrase file beside them.
    public var passphrase: String?

    public init(olderThan: TimeInterval? = nil, dryRun: Bool = false, now: Date = Date(), passphrase: String? = nil) {
        self.olderThan = olderThan
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

    /// Parses `3d`, `12h`, `30m`, `45s` into seconds.
    public static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let n = Double(text.dropLast()), n >= 0 else { return nil }
        switch unit {
        case "d": return n * 86_400
        case "h": return n * 3_600
        case "m": return n * 60
        case "s": return n
        default: return nil
        }
    }
}
