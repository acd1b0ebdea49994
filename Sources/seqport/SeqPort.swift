import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

@main
struct SeqPort: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seqport",
        abstract: "Give people their personal data back (GDPR Art. 15 and 20), and take corrections in (Art. 16).",
        discussion: """
        Start here:
          seqport export                 export the sample subject (sample store)
          seqport verify BUNDLE.zip      check a bundle; say precisely what is wrong
          seqport import BUNDLE.zip --store STORE
                                         show what a returned bundle would correct

        Exit status:
          0 success            4 invalid input        7 store error
          1 internal error     5 archive refused      8 file I/O error
          2 usage or config    6 import refused       9 batch with failures
          3 bundle not sound  10 unknown subject
        Every error code is listed in Specs/errors.md.

        Shell completions and a man page: seqport --generate-completion-script \
        bash|zsh|fish, and swift package generate-manual (see the README).
        """,
        version: seqportVersion,
        subcommands: [ExportCommand.self, VerifyCommand.self, ImportCommand.self, ConvertCommand.self, PackCommand.self, SampleCommand.self, SchemaCommand.self, KeygenCommand.self, PruneCommand.self, StoreCommand.self])

    /// Parses and runs a command. Bad use caught by ArgumentParser (an unknown option, a failed
    /// `validate()`) is one line and exit 2, like every other usage error; help, version and the
    /// completion scripts go through ArgumentParser as usual.
    static func main() {
        InterruptTrap.shared.install()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitReporting(parseError: error)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
        exit()
    }

    private static func exitReporting(parseError error: Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        var text = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad command-line use"
        if let first = text.first, let second = text.dropFirst().first, first.isUppercase, second.isLowercase {
            text = first.lowercased() + text.dropFirst()
        }
        while text.hasSuffix(".") { text.removeLast() }
        StandardStreams.err("seqport: usage: \(text) (see --help)\n")
        Foundation.exit(SeqPortError.ExitClass.usage.rawValue)
    }
}

/// Options every command that reads the configuration takes.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file (default: $SEQPORT_CONFIG, else Samples/seqport.json here, else the sample configuration seqport came with).", valueName: "path"))
    var config: String?

    func load() throws -> Configuration {
        try Configuration.load(path: config ?? Configuration.defaultPath())
    }
}

/// The environment variable naming the store when `--store` is not given (`Specs/configuration.md`).
let storeEnvironmentVariable = "SEQPORT_STORE"

/// `--store` if given, else `$SEQPORT_STORE` if set and not empty.
func storeLocation(_ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    if let given { return given }
    guard let fromEnvironment = environment[storeEnvironmentVariable], !fromEnvironment.isEmpty else { return nil }
    return fromEnvironment
}

/// The store a command needs: `--store` or `$SEQPORT_STORE`.
/// - Throws: `usage` when neither is given.
func requiredStoreLocation(_ given: String?) throws -> String {
    guard let location = storeLocation(given) else {
        throw SeqPortError(.usage, "give --store or set \(storeEnvironmentVariable)")
    }
    return location
}

/// Runs a command body, turning any error into one line on stderr and its documented exit status
/// (`Specs/errors.md`): a `SeqPortError` as it is, a Foundation error as `io.failed` naming the path.
func reporting(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let list as ErrorList {
        // Every error on its own line, then the count by code; the documented exit status of the first.
        for e in list.errors { StandardStreams.err("seqport: \(e.code): \(TerminalText.escape(e.description))\n") }
        StandardStreams.err("seqport: \(list.summary)\n")
        throw ExitCode(list.errors.first?.exitStatus ?? SeqPortError.ExitClass.input.rawValue)
    } catch {
        let error = SeqPortError(mapping: error)
        StandardStreams.err("seqport: \(error.code): \(TerminalText.escape(error.description))\n")
        throw ExitCode(error.exitStatus)
    }
}

/// Prints a value as pretty, sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try StandardStreams.line(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Parses `--generated-at` (an RFC 3339 timestamp).
func parseTimestamp(_ text: String) throws -> Date {
    guard let seconds = ValueSyntax.epochSeconds(ofTimestamp: text) else {
        throw SeqPortError(.usage, "--generated-at must be a timestamp such as 2026-01-31T12:00:00Z")
    }
    return Date(timeIntervalSince1970: TimeInterval(seconds))
}
