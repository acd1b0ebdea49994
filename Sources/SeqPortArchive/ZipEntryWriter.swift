import SeqPortModel

/// The sink for one entry's uncompressed bytes; get one from `ZipWriter.beginEntry`.
///
/// Write the content, then call `finish()` once. Several entries may be open at once; each appears in
/// the archive in `beginEntry` order.
public final class ZipEntryWriter: ByteSink {
    private let writer: ZipWriter
    let state: EntryState

    init(writer: ZipWriter, state: EntryState) {
        self.writer = writer
        self.state = state
    }

    /// The entry's name.
    public var name: String { state.name }

    /// Adds uncompressed bytes. Blocks while too many chunks are being compressed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try writer.write(bytes, to: state)
    }

    /// Ends the entry: compresses what is left and waits for its chunks.
    /// - Returns: the entry's name, CRC-32, sizes and method.
    @discardableResult
    public func finish() throws -> ZipEntryInfo {
        try writer.finishEntry(state)
    }
}
