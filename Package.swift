// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: seqport (CLI) → SeqPortPipeline → SeqPortBundle (the bundle contract, the format
// registry) → formats / archive → SeqPortModel; the pipeline also uses the stores.
// Formats never import each other or the stores; nothing imports the CLI.
let package = Package(
    name: "seqport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seqport", targets: ["seqport"]),
        .library(name: "SeqPortModel", targets: ["SeqPortModel"]),
        .library(name: "SeqPortBundle", targets: ["SeqPortBundle"]),
        .library(name: "SeqPortPage", targets: ["SeqPortPage"]),
        .library(name: "SeqPortPipeline", targets: ["SeqPortPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Only the benchmark uses these: the libraries seqport's own ZIP and CSV writers must beat.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        // Model: schema, records, values, errors, the streaming protocols. No I/O, no dependencies.
        .target(name: "SeqPortModel"),

        // System libraries (Debian: libxml2-dev, zlib1g-dev).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "SeqPortZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libdeflate (Debian libdeflate0, linked by soname; the few prototypes are in its shim.h): the
        // ZIP writer's deflate and CRC-32. zlib stays the reader and the block walker (ChunkDeflater.swift).
        .systemLibrary(name: "CLibDeflate"),

        // Formats: one reader and one writer each, behind SeqPortModel's protocols.
        .target(name: "SeqPortCSV", dependencies: ["SeqPortModel"]),
        .target(name: "SeqPortJSON", dependencies: ["SeqPortModel"]),
        .target(name: "SeqPortXML", dependencies: ["SeqPortModel", "CLibXML2"]),
        // The XLSX workbook (Office Open XML): its own ZIP through SeqPortArchive, its parts read with libxml2.
        .target(name: "SeqPortXLSX", dependencies: ["SeqPortModel", "SeqPortArchive", "SeqPortXML", "CLibXML2"]),
        // vCard 3.0/4.0 and jCard (on SeqPortJSON's tokenizer): the contact card (Specs/vcard.md).
        .target(name: "SeqPortVCard", dependencies: ["SeqPortModel", "SeqPortJSON"]),

        // The ZIP container on zlib: parallel chunked deflate, ZIP64, strict reader.
        // Password-protected bundles: WinZip AES-256 (AE-2) on swift-crypto's PBKDF2, AES block and HMAC.
        .target(name: "SeqPortArchive", dependencies: [
            "SeqPortModel", "SeqPortZlib", "CLibDeflate",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),

        // Stores: the protocol and the SQL pieces both engines share (DDL, value conversion, quoting,
        // the export's reusable row memory). No database library.
        .target(name: "SeqPortStore", dependencies: ["SeqPortModel"]),

        // The embedded SQLite store (GRDB), behind the protocol.
        .target(name: "SeqPortSQLite", dependencies: [
            "SeqPortModel", "SeqPortStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            // The C API, for the export's row loop (`SQLiteRows`): no `Row` or `String` per value.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),

        // The PostgreSQL store (postgres-nio), behind the same protocol.
        .target(name: "SeqPortPostgres", dependencies: [
            "SeqPortModel", "SeqPortStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),

        // The bundle contract (Specs/bundle.md) that export, verify, import, prune and a batch's resume
        // check share: manifest, layout names, the format registry with its whole-bundle entries (the
        // workbook, the contact card), schema documents, fingerprints, digests, signatures (Minisign:
        // Ed25519 from swift-crypto), the opened bundle.
        .target(name: "SeqPortBundle", dependencies: [
            "SeqPortModel", "SeqPortCSV", "SeqPortJSON", "SeqPortXML", "SeqPortXLSX", "SeqPortVCard", "SeqPortArchive",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // index.html, the page a person reads: a typed HTML builder (one escaper), the page's sections,
        // and its words in each language (the catalogs). Crypto for the inline script's CSP hash.
        .target(name: "SeqPortPage", dependencies: [
            "SeqPortModel", "SeqPortBundle",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Export, verify, import, batch, convert, prune, sample data (a folder each): the orchestration.
        .target(name: "SeqPortPipeline", dependencies: [
            "SeqPortModel", "SeqPortBundle", "SeqPortPage", "SeqPortCSV", "SeqPortJSON", "SeqPortVCard", "SeqPortArchive", "SeqPortStore", "SeqPortSQLite", "SeqPortPostgres",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // The thin CLI: one file per subcommand. SeqPortArchive for the options it parses (ZIP limits)
        // and the files it writes (keys, passphrases) atomically.
        .executableTarget(name: "seqport", dependencies: [
            "SeqPortPipeline", "SeqPortBundle", "SeqPortModel", "SeqPortArchive",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The benchmark (`swift run -c release seqport-bench`, Specs/benchmarks.md); not a test.
        .executableTarget(name: "seqport-bench", dependencies: [
            "SeqPortPipeline", "SeqPortBundle", "SeqPortArchive", "SeqPortModel", "SeqPortStore", "SeqPortJSON", "SeqPortCSV", "SeqPortZlib", "SeqPortXLSX",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),

        // Test helpers every test target may use: a missing checking tool skips, or fails under
        // SEQPORT_TEST_TOOLS_REQUIRED=1 (set by .ci/run).
        .target(name: "SeqPortTestSupport", path: "Tests/SeqPortTestSupport"),
        // The one awkward-values list and the chunking source every format's tests use (a plain target).
        .target(name: "SeqPortFormatConformance", dependencies: ["SeqPortModel"], path: "Tests/SeqPortFormatConformance"),
        .testTarget(name: "SeqPortModelTests", dependencies: ["SeqPortModel"]),
        .testTarget(name: "SeqPortCSVTests", dependencies: ["SeqPortCSV", "SeqPortModel", "SeqPortFormatConformance"]),
        .testTarget(name: "SeqPortJSONTests", dependencies: ["SeqPortJSON", "SeqPortModel", "SeqPortTestSupport", "SeqPortFormatConformance"]),
        .testTarget(name: "SeqPortXMLTests", dependencies: ["SeqPortXML", "SeqPortModel", "SeqPortTestSupport", "SeqPortFormatConformance"]),
        .testTarget(name: "SeqPortXLSXTests", dependencies: ["SeqPortXLSX", "SeqPortArchive", "SeqPortModel", "SeqPortTestSupport",
                                                             "SeqPortFormatConformance"]),
        .testTarget(name: "SeqPortVCardTests", dependencies: ["SeqPortVCard", "SeqPortModel", "SeqPortJSON", "SeqPortTestSupport",
                                                              "SeqPortFormatConformance"],
                    resources: [.copy("Fixtures")]),
        // The format conformance suite: every format's reader and writer over the awkward values, typed
        // and untyped, in every chunk size, and the place of its errors (ConformanceFormat.all).
        .testTarget(name: "SeqPortFormatConformanceTests", dependencies: [
            "SeqPortFormatConformance", "SeqPortModel", "SeqPortTestSupport",
            "SeqPortCSV", "SeqPortJSON", "SeqPortXML", "SeqPortXLSX", "SeqPortVCard",
        ]),
        .testTarget(name: "SeqPortArchiveTests", dependencies: ["SeqPortArchive", "SeqPortModel", "SeqPortZlib", "SeqPortTestSupport"]),
        // The store conformance suite both stores' tests run (a plain target that imports XCTest).
        .target(name: "SeqPortStoreConformance", dependencies: ["SeqPortStore", "SeqPortModel", "SeqPortPipeline", "SeqPortBundle", "SeqPortArchive"],
                path: "Tests/SeqPortStoreConformance"),
        .testTarget(name: "SeqPortSQLiteTests", dependencies: [
            "SeqPortSQLite", "SeqPortStore", "SeqPortModel", "SeqPortStoreConformance", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "SeqPortPostgresTests", dependencies: [
            "SeqPortPostgres", "SeqPortStore", "SeqPortSQLite", "SeqPortModel", "SeqPortStoreConformance", "SeqPortPipeline", "SeqPortBundle", "SeqPortArchive",
            "SeqPortTestSupport",
            // To insert rows of native column types with parameters.
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "SeqPortPipelineTests", dependencies: [
            "SeqPortPipeline", "SeqPortBundle", "SeqPortPage", "SeqPortModel", "SeqPortArchive", "SeqPortStore", "SeqPortSQLite", "SeqPortCSV", "SeqPortJSON", "SeqPortXML",
            "SeqPortStoreConformance", "SeqPortTestSupport", "SeqPortXLSX",
            // To write what seqport never would (invalid UTF-8 in a text column) into a test store.
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "seqportTests", dependencies: ["seqport", "SeqPortPipeline", "SeqPortBundle", "SeqPortModel", "SeqPortStore", "SeqPortSQLite", "SeqPortTestSupport"]),
        // Crash and kill tests: the built `seqport` killed (SIGKILL) or signalled (SIGINT, SIGTERM) mid-run at
        // seeded moments. Slow; their own phase in .ci/run (`swift test --skip SeqPortCrashTests` runs the rest).
        .testTarget(name: "SeqPortCrashTests", dependencies: [
            "seqport", "SeqPortPipeline", "SeqPortBundle", "SeqPortModel", "SeqPortStore", "SeqPortSQLite", "SeqPortTestSupport",
        ]),
    ],
    // Swift 6 language mode: complete concurrency checking (data-race safety) in every target.
    swiftLanguageModes: [.v6]
)
