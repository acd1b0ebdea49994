/// The text of a string item (`<si>` or `<is>`): the `<t>` directly inside it and those of its rich-text
/// runs (`<r><t>`); phonetic runs (`<rPh>`) are not part of the value.
struct XLSXRichText {
    private(set) var bytes: [UInt8] = []
    private var inT = false
    private var phonetic = 0

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        inT = false
        phonetic = 0
    }

    /// Takes the current node (inside the item).
    mutating func take(_ xml: XLSXXMLStream, maxBytes: Int) throws {
        if xml.isStart("rPh") {
            if !xml.isEmptyElement { phonetic += 1 }
        } else if xml.isEnd("rPh") {
            phonetic -= 1
        } else if xml.isStart("t") {
            inT = !xml.isEmptyElement
        } else if xml.isEnd("t") {
            inT = false
        } else if inT, phonetic == 0, xml.isText {
            xml.appendValue(to: &bytes)
            guard bytes.count <= maxBytes else { throw xml.fail(.valueTooLong, "a string longer than \(maxBytes) bytes") }
        }
    }
}
