import ArgumentParser
import Foundation
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a bundle: archive safety, checksums, schemas, and that JSON, CSV and XML hold the same records.",
        usage: "seqport verify <bundle.zip> [--key <key.pub>] [--json] [<options>]",
        discussion: "Exit status 0 when sound, 3 when not (each problem on its own line), 5 when the archive is refused.")

    @Argument(help: ArgumentHelp("The bundle to check.", valueName: "bundle.zip"))
    var bundle: String

    @Option(help: ArgumentHelp("Require a valid signature by this minisign public key.", valueName: "key.pub"))
    var key: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var passphraseOptions: PassphraseOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        try reporting {
            let trusted = try key.map { try Minisign.PublicKey(file: try readKeyFile($0)) }
            let verifier = Verifier(zipLimits: limits.zipLimits, readerLimits: limits.readerLimits, trustedKey: trusted,
                                    passphrase: try passphraseOptions.passphrase())
            let report = try verifier.verify(path: bundle)
            if json {
                try printJSON(report)
            } else if report.sound {
                let total = report.records.values.reduce(0, +)
                try StandardStreams.line("\(TerminalText.escape(bundle)): sound (\(report.entries) entries, \(report.records.count) categories, \(total) records)")
            } else {
                for p in report.problems { try StandardStreams.line("\(TerminalText.escape(bundle)): \(p.code): \(TerminalText.escape(p.message))") }
            }
            if !report.sound { throw ExitCode(SeqPortError.ExitClass.verify.rawValue) }
        }
    }
}
