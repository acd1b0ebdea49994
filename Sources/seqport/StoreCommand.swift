import ArgumentParser
import Foundation
import SeqPortModel
import SeqPortPipeline

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Prepare a store: the tables seqport owns, and the sample schema's tables when asked.",
        subcommands: [Init.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create seqport's tables (meta with the schema version, audit trail); harmless when they exist.",
            usage: "seqport store init [--store <path-or-url>] [--sample-schema] [<options>]",
            discussion: """
            A store of another seqport schema version is refused (store.schema-version). \
            PostgreSQL passwords come from PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass), \
            never from the URL.

            Examples:
              seqport store init \\
                  --store 'postgres://seqport@db.internal:5432/crm?sslmode=verify-full'
              seqport store init --store postgres://seqport@localhost/demo --sample-schema
              seqport store init --store data.sqlite --sample-schema
            """)

        @OptionGroup var configOptions: ConfigOptions

        @Option(help: ArgumentHelp("The store: a SQLite path, sqlite:PATH or postgres://URL (default: $SEQPORT_STORE).", valueName: "path-or-url"))
        var store: String?

        @Flag(name: .customLong("sample-schema"), help: "Also create a table for every category of the configuration's schema.")
        var sampleSchema = false

        func run() throws {
            try reporting {
                let config = try configOptions.load()
                let opened = try StoreLocator.open(try requiredStoreLocation(store), schema: config.schema, create: true)
                try opened.initialize(createSchemaTables: sampleSchema)
                let version = try opened.storeVersion().map(String.init) ?? "?"
                try StandardStreams.line("store ready: seqport schema version \(version)\(sampleSchema ? ", tables for schema \(config.schema.name)" : "")")
            }
        }
    }
}
