import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete generated bundles past their retention; never touches anything else.",
        discussion: """
        Only files named seqport-*.zip that hold a seqport manifest are considered.
        A bundle is due when its manifest's expiresAt (generation time + the
        configured retentionDays) has passed, or, with --older-than, when it was
        generated longer ago than that.

        Examples:
          seqport prune bundles --dry-run
          seqport prune bundles --older-than 3d
        """)

    @Argument(help: ArgumentHelp("The folder of generated bundles.", valueName: "dir"))
    var directory: String

    @Option(name: .customLong("older-than"), help: ArgumentHelp("Delete bundles generated longer ago than this (30m, 12h, 3d).", valueName: "age"))
    var olderThan: String?

    @Flag(name: .customLong("dry-run"), help: "List what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Print the list as JSON.")
    var json = false

    @OptionGroup var passphraseOptions: PassphraseOptions

    func validate() throws {
        if let olderThan, Pruner.duration(olderThan) == nil { throw ValidationError("--older-than takes a number and a unit: 30m, 12h, 3d") }
    }

    func run() throws {
        try reporting {
            let items = try Pruner(olderThan: olderThan.flatMap(Pruner.duration), dryRun: dryRun, passphrase: try passphraseOptions.passphrase()).prune(directory: directory)
            if json { try printJSON(items); return }
            for item in items where item.action != "kept" { try StandardStreams.line("\(item.action): \(item.path)") }
            let deleted = items.filter { $0.action == "deleted" || $0.action == "would-delete" }.count
            try StandardStreams.line("\(deleted) of \(items.count) bundle\(items.count == 1 ? "" : "s") \(dryRun ? "would be deleted" : "deleted")")
        }
    }
}
