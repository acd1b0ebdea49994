@testable import SeqPortArchive

/// A byte-level ZIP builder for hostile archives: every field can lie.
struct HandBuiltZip {
    struct Entry {
        var name: [UInt8]
        /// The bytes stored after the local header (already compressed when method is 8).
        var data: [UInt8]
        var method: UInt16 = 0
        var flags: UInt16 = 0x0800
        var crc: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var madeBy: UInt16 = 3 << 8 | 20
        var external: UInt32 = 0o100644 << 16
        var localName: [UInt8]? = nil
        var localExtra: [UInt8] = []
        var centralExtra: [UInt8] = []
        /// Where the central record says the local header is (default: where it is).
        var centralOffset: UInt32? = nil
        var diskStart: UInt16 = 0

        /// A stored entry with honest fields.
        init(_ name: String, stored data: [UInt8]) {
            self.name = Array(name.utf8)
            self.data = data
            crc = ZipTestSupport.crc(data)
            compressedSize = UInt32(data.count)
            uncompressedSize = UInt32(data.count)
        }

        /// A deflated entry with honest fields.
        init(_ name: String, deflated plain: [UInt8]) throws {
            self.name = Array(name.utf8)
            data = try ZipTestSupport.deflate(plain)
            method = 8
            crc = ZipTestSupport.crc(plain)
            compressedSize = UInt32(data.count)
            uncompressedSize = UInt32(plain.count)
        }
    }

    var entries: [Entry]
    var diskNumber: UInt16 = 0
    var comment: [UInt8] = []
    var declaredCommentLength: UInt16? = nil
    /// Entry count in the end record (default: the real count).
    var declaredCount: UInt16? = nil
    /// When set, ZIP64 end record + locator are written with this count (and the classic fields set to 0xFFFF...).
    var zip64Count: UInt64? = nil

    init(_ entries: [Entry]) { self.entries = entries }

    func bytes() -> [UInt8] {
        var out = LittleEndianWriter()
        var offsets: [UInt32] = []
        for e in entries {
            offsets.append(UInt32(out.bytes.count))
            let name = e.localName ?? e.name
            out.u32(0x0403_4b50); out.u16(20); out.u16(e.flags); out.u16(e.method); out.u16(0); out.u16(0x21)
            out.u32(e.crc); out.u32(e.compressedSize); out.u32(e.uncompressedSize)
            out.u16(UInt16(name.count)); out.u16(UInt16(e.localExtra.count))
            out.append(name); out.append(e.localExtra); out.append(e.data)
        }
        let cdStart = UInt32(out.bytes.count)
        for (e, offset) in zip(entries, offsets) {
            out.u32(0x0201_4b50); out.u16(e.madeBy); out.u16(20); out.u16(e.flags); out.u16(e.method); out.u16(0); out.u16(0x21)
            out.u32(e.crc); out.u32(e.compressedSize); out.u32(e.uncompressedSize)
            out.u16(UInt16(e.name.count)); out.u16(UInt16(e.centralExtra.count)); out.u16(0)
            out.u16(e.diskStart); out.u16(0); out.u32(e.external); out.u32(e.centralOffset ?? offset)
            out.append(e.name); out.append(e.centralExtra)
        }
        let cdSize = UInt32(out.bytes.count) - cdStart
        let count = declaredCount ?? UInt16(entries.count)
        if let zip64Count {
            let endOffset = UInt64(out.bytes.count)
            out.u32(0x0606_4b50); out.u64(44); out.u16(0x032D); out.u16(45); out.u32(0); out.u32(0)
            out.u64(zip64Count); out.u64(zip64Count); out.u64(UInt64(cdSize)); out.u64(UInt64(cdStart))
            out.u32(0x0706_4b50); out.u32(0); out.u64(endOffset); out.u32(1)
        }
        out.u32(0x0605_4b50); out.u16(diskNumber); out.u16(diskNumber)
        out.u16(count); out.u16(count); out.u32(cdSize); out.u32(cdStart)
        out.u16(declaredCommentLength ?? UInt16(comment.count)); out.append(comment)
        return out.bytes
    }

    /// A ZIP64 extra field holding these 8-byte values.
    static func zip64Extra(_ values: [UInt64], truncateTo: Int? = nil) -> [UInt8] {
        var w = LittleEndianWriter()
        var body = LittleEndianWriter()
        for v in values { body.u64(v) }
        let data = truncateTo.map { Array(body.bytes.prefix($0)) } ?? body.bytes
        w.u16(1); w.u16(UInt16(data.count)); w.append(data)
        return w.bytes
    }
}
