import ArgumentParser
import Foundation
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
            print("\(pub)\n\(key)")
        }
    }
}

/// Writes a small file with exactly this mode (created exclusively after removing an old one).
func writeFile(_ path: String, _ text: String, mode: mode_t) throws {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard fd >= 0 else { throw SeqPortError(.ioFailed, "cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    fchmod(fd, mode)
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
        throw SeqPortError(.ioFailed, "cannot write \(path): \(String(cString: strerror(errno)))")
    }
}

/// Reads a key file named on the command line.
func readKeyFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw SeqPortError(.usage, "cannot read key file \(path)")
    }
    return String(decoding: data, as: UTF8.self)
}
