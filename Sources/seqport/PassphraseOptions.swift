import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

/// Where the passphrase of an encrypted bundle comes from (`Specs/encryption.md`): the environment
/// variable `SEQPORT_PASSPHRASE` or `--passphrase-file`, never the command line (it would show in the
/// process list). Shared by export, verify and import.
struct PassphraseOptions: ParsableArguments {
    static let environmentVariable = "SEQPORT_PASSPHRASE"

    @Option(name: .customLong("passphrase-file"),
            help: ArgumentHelp("Read the bundle passphrase from this file (its first line); or set SEQPORT_PASSPHRASE.", valueName: "path"))
    var passphraseFile: String?

    /// The passphrase from `SEQPORT_PASSPHRASE` or `--passphrase-file`; `nil` when neither is given.
    /// - Throws: `usage` when both are given, the file cannot be read, or the passphrase is empty.
    func passphrase(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let fromEnvironment = environment[Self.environmentVariable]
        if fromEnvironment != nil && passphraseFile != nil {
            throw SeqPortError(.usage, "give the passphrase one way: \(Self.environmentVariable) or --passphrase-file, not both")
        }
        var text: String
        if let fromEnvironment {
            text = fromEnvironment
        } else if let passphraseFile {
            guard let data = FileManager.default.contents(atPath: passphraseFile) else {
                throw SeqPortError(.usage, "cannot read passphrase file \(passphraseFile)")
            }
            text = String(decoding: data, as: UTF8.self)
            // The first line; a final newline (LF or CRLF) is not part of the passphrase.
            if let newline = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) { text = String(text[..<newline]) }
        } else {
            return nil
        }
        guard !text.isEmpty else { throw SeqPortError(.usage, "the passphrase is empty") }
        return text
    }
}
