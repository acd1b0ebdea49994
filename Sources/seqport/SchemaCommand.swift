import ArgumentParser
import Foundation
import SeqPortArchive
import SeqPortModel
import SeqPortPipeline

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Check the configured schema and write the JSON Schemas and XSD generated from it.",
        discussion: "Example (refreshes the committed files):\n  seqport schema --out Specs/generated")

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("Folder to write the generated documents into; without it, only checks the schema.", valueName: "dir"))
    var out: String?

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            guard let out else {
                try StandardStreams.line("\(config.schemaPath): valid (\(config.schema.categories.count) categories)")
                return
            }
            for artifact in try SchemaArtifacts.specFiles(for: config.schema) {
                let path = (out as NSString).appendingPathComponent(artifact.path)
                try Directory.create((path as NSString).deletingLastPathComponent)
                guard FileManager.default.createFile(atPath: path, contents: Data(artifact.bytes)) else {
                    throw SeqPortError(.ioFailed, "cannot write \(path)")
                }
                try StandardStreams.line(path)
            }
        }
    }
}
