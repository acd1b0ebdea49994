import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete generated bundles past their retention; never touches anything else.",
        usage: "seqport prune <dir> [--older-than <age>] [--dry-run] [<options>]",
        discussion: """
        Only files named seqport-*.zip that hold a seqport manifest are considered.
        A bundle is due when its manifest's expiresAt (generation time + the
        configured retentionDays) has passed, or, with --older-than, when it was
        generated longer ago than that. Temporary files a killed export left
        (.seqport-*.partial-*, .seqport-spool-*) are removed once older than
        --partials-older-than. Durations: 45s, 30min, 12h, 3d, 2w.

        Examples:
          seqport prune bundles --dry-run
          seqport prune bundles --older-than 3d
          seqport prune bundles --partials-older-than 30min
        """)

    @Argument(help: ArgumentHelp("The folder of generated bundles.", valueName: "dir"))
    var directory: String

    @Option(name: .customLong("older-than"), help: ArgumentHelp("Delete bundles generated longer ago than this (30min, 12h, 3d, 2w).", valueName: "age"))
    var olderThan: String?

    @Option(name: .customLong("partials-older-than"), help: ArgumentHelp("Delete temporary files older than this (default: 1h).", valueName: "age"))
    var partialsOlderThan: String?

    @Flag(name: .customLong("dry-run"), help: "List what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Print the list as JSON.")
    var json = false

    @OptionGroup var passphraseOptions: PassphraseOptions

    func validate() throws {
        for (flag, value) in [("--older-than", olderThan), ("--partials-older-than", partialsOlderThan)] {
            if let value, Pruner.duration(value) == nil {
                throw ValidationError("\(flag) takes a whole number and a unit: 45s, 30min, 12h, 3d or 2w (not m)")
            }
        }
    }

    func run() throws {
        try reporting {
            let items = try Pruner(olderThan: olderThan.flatMap(Pruner.duration), dryRun: dryRun, passphrase: try passphraseOptions.passphrase(),
                                   partialsOlderThan: partialsOlderThan.flatMap(Pruner.duration) ?? Pruner.defaultPartialsGrace).prune(directory: directory)
            if json { try printJSON(items); return }
            for item in items where item.action != "kept" { try StandardStreams.line("\(item.action): \(TerminalText.escape(item.path))") }
            let bundles = items.filter { !$0.action.hasSuffix("-partial") }
            let deleted = bundles.filter { $0.action == "deleted" || $0.action == "would-delete" }.count
            try StandardStreams.line("\(deleted) of \(bundles.count) bundle\(bundles.count == 1 ? "" : "s") \(dryRun ? "would be deleted" : "deleted")")
        }
    }
}
