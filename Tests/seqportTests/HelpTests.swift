import ArgumentParser
import XCTest
@testable import seqport

/// Every command's `--help` reads cleanly at 80 columns: no line wider, no example command split by the
/// wrapper, no option with two defaults, no ZIP limits where no archive is read.
final class HelpTests: XCTestCase {
    static let commands: [(name: String, type: ParsableCommand.Type)] = [
        ("seqport", SeqPort.self), ("export", ExportCommand.self), ("verify", VerifyCommand.self), ("import", ImportCommand.self),
        ("convert", ConvertCommand.self), ("pack", PackCommand.self), ("sample", SampleCommand.self), ("schema", SchemaCommand.self), ("keygen", KeygenCommand.self),
        ("prune", PruneCommand.self), ("store", StoreCommand.self), ("store init", StoreCommand.Init.self),
    ]

    func help(_ type: ParsableCommand.Type) -> String {
        SeqPort.helpMessage(for: type, columns: 80)
    }

    func testTheRootIsEveryCommandThatExists() {
        let listed = SeqPort.configuration.subcommands.map { $0._commandName }
        for name in listed { XCTAssertTrue(Self.commands.contains { $0.name == name }, "\(name) has no help check") }
    }

    func testNoHelpLineIsWiderThanEightyColumns() {
        for (name, type) in Self.commands {
            for line in help(type).split(separator: "\n") where line.count > 80 {
                XCTFail("\(name) --help: \(line.count) columns: \(line)")
            }
        }
    }

    /// An example is an indented line starting with a command; the wrapper splits one by putting
    /// its tail at column 0 on the next line. A deliberate continuation ends with a backslash.
    func testNoExampleIsSplitByTheWrapper() {
        for (name, type) in Self.commands {
            let lines = help(type).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (previous, line) in zip(lines, lines.dropFirst()) {
                let command = previous.trimmingCharacters(in: .whitespaces)
                let isExample = previous.hasPrefix("  ") && ["seqport ", "minisign "].contains { command.hasPrefix($0) }
                guard isExample, !previous.hasSuffix("\\"), !line.isEmpty else { continue }
                XCTAssertTrue(line.hasPrefix("  "), "\(name) --help splits an example:\n\(previous)\n\(line)")
            }
        }
    }

    func testNoOptionStatesItsDefaultTwice() {
        for (name, type) in Self.commands {
            // One option's help: from its "  --flag" line to the next option line.
            var block = ""
            for line in help(type).split(separator: "\n").map(String.init) + ["  --end"] {
                if line.hasPrefix("  -") || !line.hasPrefix(" ") {
                    XCTAssertLessThanOrEqual(block.components(separatedBy: "default").count - 1, 1, "\(name) --help: \(block)")
                    block = ""
                }
                block += line + " "
            }
        }
    }

    func testConvertListsNoArchiveLimitsAndTheRootNoSwiftRun() {
        let convert = help(ConvertCommand.self)
        for flag in ["--max-entries", "--max-total-bytes", "--max-ratio"] { XCTAssertFalse(convert.contains(flag), flag) }
        XCTAssertTrue(convert.contains("--max-value-bytes"))
        XCTAssertFalse(help(SeqPort.self).contains("swift run"))
    }

    func testHelpMentionsCompletionsAndTheManPage() {
        XCTAssertTrue(help(SeqPort.self).contains("--generate-completion-script"))
        XCTAssertFalse(SeqPort.completionScript(for: .bash).isEmpty)
    }
}
