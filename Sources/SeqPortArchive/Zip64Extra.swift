import SeqPortModel

/// The ZIP64 extended-information extra field (id 0x0001).
enum Zip64Extra {
    /// Replaces each 0xFFFFFFFF (0xFFFF for the disk) value with the extra field's, in the spec's order.
    static func apply(_ extra: [UInt8], entry: String, usize: inout UInt64, csize: inout UInt64,
                      offset: inout UInt64, disk: inout UInt64) throws {
        let needs = (usize == ZipFormat.max32, csize == ZipFormat.max32, offset == ZipFormat.max32, disk == ZipFormat.max16)
        guard let data = try field(ZipFormat.zip64ExtraID, in: extra, entry: entry) else {
            if needs.0 || needs.1 || needs.2 || needs.3 {
                throw SeqPortError.zip(.zipBadZip64, "field is 0xFFFFFFFF but there is no zip64 extra field", entry: entry)
            }
            return
        }
        var r = LittleEndianReader(data)
        func next(_ width: Int) throws -> UInt64 {
            guard r.remaining >= width else {
                throw SeqPortError.zip(.zipBadZip64, "zip64 extra field is too short for the values it must hold", entry: entry)
            }
            return width == 8 ? r.u64() : UInt64(r.u32())
        }
        if needs.0 { usize = try next(8) }
        if needs.1 { csize = try next(8) }
        if needs.2 { offset = try next(8) }
        if needs.3 { disk = try next(4) }
    }

    /// The data of the extra field with `id`, checking the extra block's framing.
    static func field(_ id: UInt16, in extra: [UInt8], entry: String) throws -> [UInt8]? {
        var r = LittleEndianReader(extra)
        var found: [UInt8]?
        while r.remaining > 0 {
            guard r.remaining >= 4 else {
                throw SeqPortError.zip(.zipBadCentralDirectory, "extra field block is malformed", entry: entry)
            }
            let fieldID = r.u16(), size = Int(r.u16())
            guard r.remaining >= size else {
                throw SeqPortError.zip(.zipBadCentralDirectory, "extra field runs past its block", entry: entry)
            }
            let data = r.take(size)
            if fieldID == id {
                guard found == nil else {
                    if id == ZipFormat.zip64ExtraID { throw SeqPortError.zip(.zipBadZip64, "two zip64 extra fields", entry: entry) }
                    throw SeqPortError.zip(.zipBadCentralDirectory, "two extra fields with id 0x\(String(id, radix: 16))", entry: entry)
                }
                found = data
            }
        }
        return found
    }
}
