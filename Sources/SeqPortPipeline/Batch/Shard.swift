import Foundation
import SeqPortModel

/// One shard of a batch: the subjects whose stable hash of the id falls in shard `index` of `count`
/// (`Specs/batch.md`).
///
/// The hash is 64-bit FNV-1a over the id's UTF-8 bytes (offset basis `0xcbf29ce484222325`, prime
/// `0x100000001b3`), and a subject belongs to shard `fnv1a64(id) % count`. It depends on nothing but
/// the id — not on Swift's per-process seeded `Hasher`, the subject list, the machine or the order —
/// so every machine agrees on it, and shards are disjoint and together cover every subject.
/// `index` is 0-based, like Kubernetes' `JOB_COMPLETION_INDEX`.
///
/// ```swift
/// let shard = try Shard(parsing: "2/8")   // the third of eight shards
/// shard.contains("s-00042")
/// ```
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// 0-based, below `count`.
    public let index: Int
    /// At least 1.
    public let count: Int

    /// The environment variable a Kubernetes Indexed Job sets to the pod's 0-based index.
    public static let kubernetesIndexVariable = "JOB_COMPLETION_INDEX"

    /// A shard; throws `usage` unless `0 <= index < count`.
    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw SeqPortError(.usage, "the shard count must be at least 1") }
        guard (0..<count).contains(index) else {
            throw SeqPortError(.usage, "shard index \(index) is not in 0..<\(count) (shards are numbered from 0)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, for example `0/4` (the first of four shards).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw SeqPortError(.usage, "--shard must look like K/N with 0 <= K < N, for example 0/4")
        }
        try self.init(index: k, count: n)
    }

    /// The shard to run, from `--shard K/N`, else from `--shards N` with the index in
    /// `JOB_COMPLETION_INDEX`; nil (every subject) when neither is given.
    /// - Throws: `usage` when both are given, or `--shards` is given without the variable.
    public static func resolve(shard: String?, shards: Int?, environment: [String: String]) throws -> Shard? {
        if let shard {
            guard shards == nil else { throw SeqPortError(.usage, "give --shard K/N or --shards N, not both") }
            return try Shard(parsing: shard)
        }
        guard let shards else { return nil }
        guard let text = environment[kubernetesIndexVariable] else {
            throw SeqPortError(.usage, "--shards N needs the shard index in \(kubernetesIndexVariable) (or give --shard K/N)")
        }
        guard let index = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw SeqPortError(.usage, "\(kubernetesIndexVariable) is not a whole number")
        }
        return try Shard(index: index, count: shards)
    }

    /// Whether the subject belongs to this shard.
    public func contains(_ subject: String) -> Bool {
        Int(Shard.fnv1a64(subject) % UInt64(count)) == index
    }

    /// 64-bit FNV-1a of the string's UTF-8 bytes.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}
