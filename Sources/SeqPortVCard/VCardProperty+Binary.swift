import SeqPortModel

/// Binary values: `ENCODING=b` (3.0), `ENCODING=BASE64` (2.1) and `data:` URIs (RFC 2397, 4.0).
extension VCardProperty {
    /// The properties whose value may be binary data.
    public static let binaryNames: Set<String> = ["PHOTO", "LOGO", "SOUND", "KEY"]

    /// Whether the value is inline base64 (`ENCODING=b` or `ENCODING=BASE64`).
    public var isInlineBase64: Bool {
        guard let encoding = parameter("ENCODING")?.first?.uppercased() else { return false }
        return encoding == "B" || encoding == "BASE64"
    }

    /// Whether the value is a `data:` URI.
    public var isDataURI: Bool { value.utf8.count >= 5 && value.prefix(5).lowercased() == "data:" }

    /// The binary value, if the property holds one inline: its media type (from `data:`, `MEDIATYPE`,
    /// or a 3.0 `TYPE=JPEG`) and bytes. Nil for a reference to elsewhere (`http:` and so on).
    ///
    /// - Throws: `vcard.encoding` for base64 that does not decode, `vcard.data-uri` for a malformed
    ///   `data:` URI, `vcard.too-long` when the bytes are over `limits.maxBinaryBytes`.
    public func binary(limits: VCardLimits = .default) throws -> (mediaType: String?, bytes: [UInt8])? {
        let place = SourceLocation(field: name)
        if isInlineBase64 {
            guard VCardCoding.decodedLength(ofBase64: value.utf8.count) - 3 <= limits.maxBinaryBytes else {
                throw SeqPortError(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes", at: place)
            }
            guard let bytes = VCardCoding.decodeBase64(value.utf8) else {
                throw SeqPortError(.vcardEncoding, "value is not valid base64", at: place)
            }
            guard bytes.count <= limits.maxBinaryBytes else {
                throw SeqPortError(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes", at: place)
            }
            var mediaType = parameter("MEDIATYPE")?.first
            if mediaType == nil, let type = types.first(where: { !["pref", "work", "home"].contains($0) }) {
                mediaType = type.contains("/") ? type : "image/" + type
            }
            return (mediaType, bytes)
        }
        guard isDataURI else { return nil }
        return try DataURI.decode(VCardText.unescape(value), limits: limits, field: name)
    }
}

/// RFC 2397 `data:[<mediatype>][;base64],<data>`.
public enum DataURI {
    /// `data:<mediaType>;base64,<bytes in base64>`.
    public static func encode(mediaType: String, bytes: [UInt8]) -> String {
        "data:\(mediaType);base64,\(VCardCoding.base64(bytes))"
    }

    /// The media type (nil when the URI has none: `text/plain` by RFC 2397) and the bytes.
    ///
    /// - Throws: `vcard.data-uri` when malformed, `vcard.too-long` over `limits.maxBinaryBytes`.
    public static func decode(_ uri: String, limits: VCardLimits = .default, field: String? = nil) throws -> (mediaType: String?, bytes: [UInt8]) {
        let place = SourceLocation(field: field)
        let u = Array(uri.utf8)
        guard u.count >= 5, String(decoding: u[0..<5], as: UTF8.self).lowercased() == "data:",
              let comma = u.firstIndex(of: UInt8(ascii: ",")) else {
            throw SeqPortError(.vcardDataURI, "not a data: URI (no comma)", at: place)
        }
        var header = String(decoding: u[5..<comma], as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let isBase64 = header.count > 1 && header.last!.lowercased() == "base64"
        if isBase64 { header.removeLast() }
        let mediaType = header.first.flatMap { $0.isEmpty ? nil : header.joined(separator: ";") }
        if let mediaType, !mediaType.contains("/") {
            throw SeqPortError(.vcardDataURI, "media type without a slash", at: place)
        }
        let data = u[(comma + 1)...]
        if isBase64 {
            guard VCardCoding.decodedLength(ofBase64: data.count) - 3 <= limits.maxBinaryBytes else {
                throw SeqPortError(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes", at: place)
            }
            guard let bytes = VCardCoding.decodeBase64(data) else {
                throw SeqPortError(.vcardDataURI, "data is not valid base64", at: place)
            }
            return (mediaType, bytes)
        }
        var bytes: [UInt8] = []
        var i = data.startIndex
        while i < data.endIndex {
            if data[i] == UInt8(ascii: "%") {
                guard i + 2 < data.endIndex, let b = UInt8(String(decoding: data[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else {
                    throw SeqPortError(.vcardDataURI, "bad percent escape", at: place)
                }
                bytes.append(b)
                i += 3
            } else {
                bytes.append(data[i])
                i += 1
            }
        }
        guard bytes.count <= limits.maxBinaryBytes else {
            throw SeqPortError(.vcardTooLong, "binary value over \(limits.maxBinaryBytes) bytes", at: place)
        }
        return (mediaType, bytes)
    }
}
