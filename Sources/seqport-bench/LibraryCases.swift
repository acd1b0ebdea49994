import CSV
import Foundation
import SeqPortArchive
import SeqPortModel
import ZIPFoundation

/// Every entry of a bundle, uncompressed, in archive order (the ZIP writer case writes them again).
func bundleEntries(_ path: String) throws -> [(name: String, bytes: [UInt8])] {
    let zip = try ZipReader(path: path)
    var entries: [(name: String, bytes: [UInt8])] = []
    var piece = [UInt8](repeating: 0, count: 1 << 20)
    for entry in zip.entries {
        let source = try zip.open(entry)
        var bytes: [UInt8] = []
        while true {
            let n = try piece.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: piece[0..<n])
        }
        entries.append((entry.name, bytes))
    }
    return entries
}

/// seqport's `ZipWriter` (deflate level 6, with `workers` threads) writing `entries` to a file.
func writeWithSeqPort(_ entries: [(name: String, bytes: [UInt8])], to path: String, workers: Int) throws -> Int {
    try? FileManager.default.removeItem(atPath: path)
    let file = try AtomicFile(finalPath: path)
    var options = ZipWriter.Options()
    options.workers = workers
    options.spoolDirectory = (path as NSString).deletingLastPathComponent
    let zip = ZipWriter(sink: file.sink, options: options)
    for e in entries { try zip.addEntry(e.name, bytes: e.bytes) }
    try zip.finish()
    try file.commit()
    return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

/// ZIPFoundation writing the same entries, deflated (zlib's default level, 6), one thread.
func writeWithZIPFoundation(_ entries: [(name: String, bytes: [UInt8])], to path: String) throws -> Int {
    try? FileManager.default.removeItem(atPath: path)
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for e in entries {
        let data = Data(e.bytes)
        try archive.addEntry(with: e.name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

/// seqport's CSV writer against yaslab/CSV.swift's `CSVWriter` (CRLF, into memory) on the same records.
func csvLibraryCase(layout: RecordLayout, records: [Record]) throws -> (Double, Int) {
    try bestOf(3) {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: layout.fields.map(\.name))
        for r in records { try writer.write(row: r.values.map { $0.text ?? "" }) }
        stream.close()
        return (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data)?.count ?? 0
    }
}
