import Foundation
import SeqPortModel

/// seqport's configuration file (`Samples/seqport.json`, `Specs/configuration.md`): the controller's
/// facts, the schema, the page language and the retention of generated bundles.
public struct Configuration: Sendable {
    public var controller: Controller
    public var schema: Schema
    /// The path the schema was loaded from.
    public var schemaPath: String
    /// The default language of `index.html` (`en` or `sv`).
    public var language: String
    /// How many days a generated bundle is kept before `prune` may delete it.
    public var retentionDays: Int
    /// The sample store and subject `seqport export` uses when given none, resolved against the file's folder.
    public var sampleStore: String?
    public var sampleSubject: String?
    /// The controller's time zone rule (`controller.timeZone`), parsed once; nil means UTC only.
    public var zone: ZoneRule?

    struct File: Codable {
        var controller: Controller
        var schema: String
        var language: String?
        var retentionDays: Int?
        var sample: Sample?
        struct Sample: Codable { var store: String?; var subject: String? }
    }

    /// Where seqport looks when `--config` is not given (`Specs/configuration.md`): `$SEQPORT_CONFIG`;
    /// else `Samples/seqport.json` under the current directory; else the sample configuration that
    /// came with the binary — `<bin>/../share/seqport/seqport.json` (an installed binary, the
    /// container image) or `Samples/seqport.json` of the package it was built in (`.build/…/seqport`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment,
                                   executable: String? = Bundle.main.executableURL?.resolvingSymlinksInPath().path) -> String {
        if let path = environment["SEQPORT_CONFIG"], !path.isEmpty { return path }
        let local = "Samples/seqport.json"
        return ([local] + builtInPaths(executable: executable)).first { FileManager.default.isReadableFile(atPath: $0) } ?? local
    }

    /// The sample configurations that come with a binary at `executable`.
    static func builtInPaths(executable: String?) -> [String] {
        guard let executable, executable.hasPrefix("/") else { return [] }
        let bin = URL(fileURLWithPath: executable).deletingLastPathComponent()
        return [
            bin.appendingPathComponent("../share/seqport/seqport.json").standardized.path,
            // .build/<triple>/<configuration>/seqport, or .build/<configuration>/seqport
            bin.appendingPathComponent("../../../Samples/seqport.json").standardized.path,
            bin.appendingPathComponent("../../Samples/seqport.json").standardized.path,
        ]
    }

    /// Loads a configuration and the schema it names (relative paths are relative to the file).
    public static func load(path: String) throws -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeqPortError(.configInvalid, "cannot read configuration \(path) (give --config or set SEQPORT_CONFIG)")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw SeqPortError(.configInvalid, "configuration \(path): \(describe(error))")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let base = URL(fileURLWithPath: absolute).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardized.path }
        let schemaPath = resolve(file.schema)
        guard let schemaData = FileManager.default.contents(atPath: schemaPath) else {
            throw SeqPortError(.configInvalid, "configuration \(path): cannot read schema \(schemaPath)")
        }
        let language = file.language ?? "en"
        guard ["en", "sv"].contains(language) else {
            throw SeqPortError(.configInvalid, "configuration \(path): language must be en or sv")
        }
        var zone: ZoneRule?
        if let setting = file.controller.timeZone {
            guard let rule = ZoneRule(setting.rule) else {
                throw SeqPortError(.configInvalid, "configuration \(path): controller.timeZone.rule is not a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3")
            }
            zone = rule
        }
        return Configuration(
            controller: file.controller, schema: try Schema.decode(schemaData), schemaPath: schemaPath,
            language: language, retentionDays: file.retentionDays ?? 30,
            sampleStore: file.sample?.store.map(resolve), sampleSubject: file.sample?.subject, zone: zone)
    }
}

extension Configuration {
    /// Texts shown to people that lack a text in one of the schema's languages, in the controller's
    /// facts and in the schema (`seqport schema` lists them and fails).
    public func missingTranslations() -> [String] {
        schema.languages.dropFirst().flatMap { language in
            controller.missingTranslations(in: language).map { "\($0) (\(language))" }
        } + schema.missingTranslations()
    }
}
