import ArgumentParser
import Foundation
import SeqPortBundle
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
        recipients to tell are printed; if anything is refused or conflicting, nothing is applied. \
        --apply-valid applies the valid changes anyway and records each refusal, with the value \
        asked for, in the audit trail.

        By default seqport reads the copies the subject edited (whose checksum differs from the \
        manifest).

        A bare partner file (.csv, .json, .jsonl, .ndjson, .xml or .xlsx) is imported with \
        --subject (its category from --category or its name: contact.csv is contact), read with \
        --delimiter, --encoding and --map; only the fields it gives are compared, and every record \
        error is reported, up to --max-errors (Specs/partners.md). A contact card (.vcf) corrects \
        the contact and its e-mail addresses (Specs/vcard.md).

        Exit status: 0 plan clean (or applied); 6 something refused (nothing applied, or with \
        --apply-valid only the valid changes); 4 invalid document; 5 archive refused; 7 store \
        error; 10 unknown subject.

        Examples:
          seqport import bundles/seqport-s-00001-access.zip \\
              --store Samples/sample-store.sqlite
          seqport import edited.zip --store data.sqlite --apply --actor dpo@seqops.io
          seqport import contact.csv --subject s-00042 --delimiter ';' \\
              --store data.sqlite
          seqport import partner.xlsx --subject s-00042 --category contact \\
              --store data.sqlite
        """)

    @OptionGroup var configOptions: ConfigOptions

    @Argument(help: ArgumentHelp("The bundle to import, or one partner file with --subject.", valueName: "bundle.zip"))
    var bundle: String

    @Option(help: "For a bare partner file: the subject its records belong to.")
    var subject: String?

    @Option(help: "For a bare partner file: its category (default: from the file name).")
    var category: String?

    @OptionGroup var partner: PartnerInputOptions

    @Option(help: ArgumentHelp("The store: a SQLite path, sqlite:PATH or postgres://URL (default: $SEQPORT_STORE).", valueName: "path-or-url"))
    var store: String?

    @Option(help: ArgumentHelp("Read this copy (json, csv, xml or xlsx) instead of the edited ones.", valueName: "format"))
    var format: String?

    @Flag(help: "Apply the plan when nothing is refused.")
    var apply = false

    @Flag(name: .customLong("apply-valid"), help: "Apply the valid changes even if others are refused; the refusals go to the audit trail.")
    var applyValid = false

    @Option(name: .customLong("max-editable-records"), help: ArgumentHelp("Most records of one editable category one import plans (default 10000).", valueName: "n"))
    var maxEditableRecords: Int?

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
            if let format {
                guard let read = FormatRegistry.readBack.first(where: { $0.name == format }) else {
                    throw SeqPortError(.usage, "--format must be \(FormatRegistry.readBackNames)")
                }
                if let copy = BundleFormat(rawValue: read.name) { options.format = copy } else { options.sharedFormat = read.name }
            }
            options.apply = apply
            options.applyValid = applyValid
            if let maxEditableRecords {
                guard maxEditableRecords >= 1 else { throw SeqPortError(.usage, "--max-editable-records must be at least 1") }
                options.maxEditableRecords = maxEditableRecords
            }
            options.actor = actor
            options.trustedKey = try trustedKey.map { try Minisign.PublicKey(file: try readKeyFile($0)) }
            options.passphrase = try passphraseOptions.passphrase()
            options.zipLimits = limits.zipLimits
            options.readerLimits = limits.readerLimits
            let plan: ImportPlan
            // A partner file: any format convert reads, or a workbook (.xlsx).
            let registered = FormatRegistry.forPath(bundle)
            let format = registered.flatMap { ConvertFormat(rawValue: $0.name) }
            if let registered, format != nil || registered.partnerFileReader != nil {
                guard let subject else {
                    throw SeqPortError(.usage, "\(bundle) is a \(registered.name) file, not a bundle: give --subject (and --category unless the file is named after it)")
                }
                if format == .vcf || format == .vcf3 {
                    // A card's mapping only drops what the contact cannot carry: properties, or NAME@PARAMETER.
                    let map = try partner.columnMap()
                    guard map.map({ $0.columns.isEmpty && $0.constants.isEmpty }) ?? true else {
                        throw SeqPortError(.usage, "a mapping for a contact card may only drop properties (\"drop\": [\"NOTE\", \"TEL@TYPE\"])")
                    }
                    plan = try Importer(store: opened).run(card: bundle, subject: subject, ignoring: map?.drop ?? [], options: options,
                                                          limits: limits.readerLimits)
                } else if format == .jcard {
                    throw SeqPortError(.usage, "import reads a contact card as vCard (.vcf); convert a jCard first: seqport convert FILE --to vcf")
                } else {
                    plan = try Importer(store: opened).run(file: bundle, subject: subject, category: category, map: try partner.columnMap(),
                                                          convert: try partner.convertOptions(limits: limits.readerLimits), options: options)
                }
            } else {
                guard subject == nil, category == nil else { throw SeqPortError(.usage, "--subject and --category are for a bare partner file, not a bundle") }
                plan = try Importer(store: opened).run(bundle: bundle, options: options)
            }
            if json { try printJSON(plan) } else { try StandardStreams.out(plan.renderText()) }
            if !plan.isApplicable { throw ExitCode(SeqPortError.ExitClass.refused.rawValue) }
        }
    }
}

extension BundleFormat: ExpressibleByArgument {}
