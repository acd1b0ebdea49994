import SeqPortModel

/// Encrypts bytes with WinZip AES on their way to another sink, 64 KiB at a time (the caller's bytes
/// are never modified).
final class EncryptingSink: ByteSink {
    private let sink: any ByteSink
    private(set) var cipher: WinZipAES
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)

    init(sink: any ByteSink, cipher: WinZipAES) {
        self.sink = sink
        self.cipher = cipher
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = min(scratch.count, bytes.count - done)
            try scratch.withUnsafeMutableBytes { buf in
                let piece = UnsafeMutableRawBufferPointer(rebasing: buf[0..<n])
                piece.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[done..<done + n]))
                try cipher.encrypt(piece)
                try sink.write(UnsafeRawBufferPointer(piece))
            }
            done += n
        }
    }
}
