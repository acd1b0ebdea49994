import ArgumentParser
import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key pair for signing bundles (minisign-compatible public key).",
        discussion: """
        Writes NAME.pub (minisign's public-key format: give it to whoever checks
        bundles) and NAME.key (the secret key, file mode 0600: keep it private).

        Examples:
          seqport keygen --out seqops
          seqport export --sign seqops.key ...
          minisign -Vm manifest.json -p seqops.pub
        """)

    @Option(help: ArgumentHelp("Path and name of the key files, without extension.", valueName: "name"))
    var out: String

    @Flag(help: "Replace existing key files.")
    var force = false

    func run() throws {
        try reporting {
            let secret = Minisign.SecretKey.generate()
            let pub = out + ".pub", key = out + ".key"
            for path in [pub, key] where FileManager.default.fileExists(atPath: path) && !force {
                throw SeqPortError(.usage, "\(path) exists (use --force to replace it)")
            }
            try writeFile(key, secret.file, mode: 0o600)
            try writeFile(pub, secret.publicKey.file, mode: 0o644)
            try StandardStreams.line("\(pub)\n\(key)")
        }
    }
}

/// Reads a key file named on the command line.
func readKeyFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        let reason = access(path, F_OK) == 0 ? (Directory.isDirectory(path) ? "it is a folder" : "permission denied") : "no such file"
        throw SeqPortError(.signatureKey, "cannot read key file \(path): \(reason)")
    }
    return String(decoding: data, as: UTF8.self)
}
