import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a returned bundle, show exactly what would change, and apply the allowed corrections.",
        discussion: """
        Without --apply nothing changes: the plan lists each field that would change (old → new), \
        records that would be added or removed, and every refused change with its reason. With \
        --apply the plan is applied in one transaction with an audit entry per change, and the \
        recipients to tell are printed; if anything is refused or conflicting, nothing is applied.

        By default seqport reads the copies the subject edited (whose checksum differs from the \
        manifest).

        Exit status: 0 plan clean (or applied); 6 something refused, nothing applied; 4 invalid \
        document; 5 archive refused; 7 store error; 10 unknown subject.

        Examples:
          seqport import bundles/seqport-s-00001-access.zip \\
              --store Samples/sample-store.sqlite
          seqport import edited.zip --store data.sqlite --apply --actor dpo@seqops.io
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("The bundle to import.", valueName: "bundle.zip"))
    var bundle: String

    @Option(help: ArgumentHelp("The store: a SQLite path, sqlite:PATH or postgres://URL (default: $SEQPORT_STORE).", valueName: "path-or-url"))
    var store: String?

    @Option(help: "Read this copy (json, csv or xml) instead of the edited ones.")
    var format: BundleFormat?

    @Flag(help: "Apply the plan when nothing is refused.")
    var apply = false

    @Option(help: "Who applies the correction, for the audit trail.")
    var actor = ProcessInfo.processInfo.environment["USER"] ?? "seqport"

    @Option(name: .customLong("trusted-key"), help: ArgumentHelp("Refuse the bundle unless its manifest is signed by this minisign public key.", valueName: "key.pub"))
    var trustedKey: String?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @OptionGroup var passphraseOptions: PassphraseOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            let opened = try StoreLocator.open(try requiredStoreLocation(store), schema: config.schema)
            var options = ImportOptions()
            options.format = format
            options.apply = apply
            options.actor = actor
            options.trustedKey = try trustedKey.map { try Minisign.PublicKey(file: try readKeyFile($0)) }
            options.passphrase = try passphraseOptions.passphrase()
            options.zipLimits = limits.zipLimits
            options.readerLimits = limits.readerLimits
            let plan = try Importer(store: opened).run(bundle: bundle, options: options)
            if json { try printJSON(plan) } else { try StandardStreams.out(plan.renderText()) }
            if !plan.isApplicable { throw ExitCode(SeqPortError.ExitClass.refused.rawValue) }
        }
    }
}

extension BundleFormat: ExpressibleByArgument {}
