import ArgumentParser
import Foundation
import SeqPortArchive
import SeqPortBundle
import SeqPortModel
import SeqPortPipeline

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Check the configured schema and write the JSON Schemas and XSD generated from it.",
        discussion: """
        Fails (schema.invalid, exit status 2) listing every text shown to people that has no text in one of the schema's \
        languages, and every derived or inferred field (not a key) that does not say whether automated decisions are based on it.

        Example (refreshes the committed files):
          seqport schema --out Specs/generated
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("Folder to write the generated documents into; without it, only checks the schema.", valueName: "dir"))
    var out: String?

    func run() throws {
        try reporting {
            let config = try configOptions.load()
            let missing = config.missingTranslations()
            let undeclared = config.schema.fieldsWithoutAutomatedUse()
            if !missing.isEmpty || !undeclared.isEmpty {
                for path in missing { try StandardStreams.line("\(config.schemaPath): missing text: \(path)") }
                for path in undeclared { try StandardStreams.line("\(config.schemaPath): derived or inferred field without \"automated\": \(path)") }
                throw SeqPortError(.schemaInvalid, "\(missing.count) texts missing, \(undeclared.count) derived or inferred fields without \"automated\" (listed above)")
            }
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
