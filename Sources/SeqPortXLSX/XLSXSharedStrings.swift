import SeqPortModel

/// The shared-string table, held as one byte array and offsets (the strings already unescaped), read
/// within `XLSXReader.Limits.maxSharedStrings` and `maxSharedStringBytes`.
final class XLSXSharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init() {}

    init(stream xml: XLSXXMLStream, limits: XLSXReader.Limits) throws {
        var text = XLSXRichText()
        var inItem = false
        while try xml.read() {
            if xml.isStart("sst") {
                if let declared = xml.attribute("uniqueCount").flatMap(Int.init), declared > limits.maxSharedStrings {
                    throw tooMany(xml, limits)
                }
            } else if xml.isStart("si") {
                inItem = true
                text.reset()
                if xml.isEmptyElement { try add(text, xml, limits); inItem = false }
            } else if xml.isEnd("si") {
                try add(text, xml, limits)
                inItem = false
            } else if inItem {
                try text.take(xml, maxBytes: limits.maxSharedStringBytes)
            }
        }
    }

    private func tooMany(_ xml: XLSXXMLStream, _ limits: XLSXReader.Limits) -> SeqPortError {
        xml.fail(.xlsxSharedStrings, "more than \(limits.maxSharedStrings) shared strings")
    }

    private func add(_ text: XLSXRichText, _ xml: XLSXXMLStream, _ limits: XLSXReader.Limits) throws {
        guard ends.count < limits.maxSharedStrings else { throw tooMany(xml, limits) }
        let decoded = XLSXText.decode(text.bytes)
        guard bytes.count + decoded.utf8.count <= limits.maxSharedStringBytes else {
            throw xml.fail(.xlsxSharedStrings, "shared strings longer than \(limits.maxSharedStringBytes) bytes together")
        }
        bytes.append(contentsOf: decoded.utf8)
        ends.append(bytes.count)
    }

    var count: Int { ends.count }

    /// String `index`, or `nil` when there is none.
    subscript(_ index: Int) -> String? {
        guard index >= 0, index < ends.count else { return nil }
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }
}
