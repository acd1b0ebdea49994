import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqPortModel

/// libxml2's `xmlFree`, read once through `xmlMemGet`: Swift 6 sees the C global `xmlFree` as shared
/// mutable state (only `xmlMemSetup` changes it, which seqport never calls).
private let libxmlFree: xmlFreeFunc = {
    var function: xmlFreeFunc?
    xmlMemGet(&function, nil, nil, nil)
    return function ?? { free($0) }
}()

/// One workbook part read with libxml2's streaming `xmlTextReader`, safely: no network
/// (`XML_PARSE_NONET`), no DTD loading, no entity substitution, and a `<!DOCTYPE` refused before libxml2
/// sees a byte of it (so no entity is ever declared, and no loader is ever asked). Only UTF-8.
///
/// Errors name the part (`xl/worksheets/sheet1.xml`) as their entry.
final class XLSXXMLStream {
    let part: String
    private let source: any ByteSource
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
    private var position = 0
    private var end = 0
    private var prolog = PrologScanner()
    private(set) var error: Error?
    private var reader: xmlTextReaderPtr?

    // No entity loader is installed here: libxml2's is process-wide, and SeqPortXML's deny-all loader
    // (which counts its refusals for its tests) must not be replaced. Nothing in a workbook part can reach a
    // loader anyway: a DOCTYPE is refused before libxml2 sees the part, DTDs are never loaded, entities
    // never substituted, and XML_PARSE_NONET is set.
    private static let initialized: Void = { xmlInitParser() }()
    private static let ignoreError: xmlStructuredErrorFunc = { _, _ in }

    init(source: any ByteSource, part: String) throws {
        self.source = source
        self.part = part
        _ = Self.initialized
        xmlSetStructuredErrorFunc(nil, Self.ignoreError)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        guard let reader = xmlReaderForIO(Self.readCallback, Self.closeCallback,
                                          Unmanaged.passUnretained(self).toOpaque(), nil, nil, options) else {
            throw error ?? SeqPortError(.internalError, "libxml2 could not create a reader", at: SourceLocation(entry: part))
        }
        self.reader = reader
    }

    deinit {
        if let reader { xmlFreeTextReader(reader) }
        buffer.deallocate()
    }

    // MARK: - Nodes

    static let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    static let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)

    /// Moves to the next node; `false` at the end of the document. Throws on malformed XML, a DTD, an
    /// entity reference or a processing instruction.
    func read() throws -> Bool {
        let rc = xmlTextReaderRead(reader)
        if let error { throw error }
        if rc < 0 { throw fail(.xlsxSyntax, "not well-formed xml") }
        if rc == 0 { return false }
        switch nodeType {
        case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY.rawValue),
             Int32(XML_READER_TYPE_NOTATION.rawValue), Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
            throw fail(.xlsxDTD, "document type declarations and entities are refused")
        default:
            return true
        }
    }

    var nodeType: Int32 { xmlTextReaderNodeType(reader) }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// Whether the current node is a start tag with this local name.
    func isStart(_ name: UnsafePointer<CChar>) -> Bool {
        nodeType == Self.element && localNameIs(name)
    }

    /// Whether the current node is an end tag with this local name.
    func isEnd(_ name: UnsafePointer<CChar>) -> Bool {
        nodeType == Self.endElement && localNameIs(name)
    }

    func localNameIs(_ name: UnsafePointer<CChar>) -> Bool {
        guard let p = xmlTextReaderConstLocalName(reader) else { return false }
        return p.withMemoryRebound(to: CChar.self, capacity: 1) { strcmp($0, name) == 0 }
    }

    var localName: String {
        guard let p = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(cString: p)
    }

    /// An attribute by its qualified name as written (`r`, `t`), or `nil`.
    func attribute(_ name: String) -> String? {
        guard let p = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { libxmlFree(p) }
        return String(cString: p)
    }

    /// An attribute by local name and namespace (`r:id`).
    func attribute(_ local: String, namespace: String) -> String? {
        guard let p = xmlTextReaderGetAttributeNs(reader, local, namespace) else { return nil }
        defer { libxmlFree(p) }
        return String(cString: p)
    }

    /// The text of a text, CDATA or whitespace node, appended to `bytes`.
    func appendValue(to bytes: inout [UInt8]) {
        guard let p = xmlTextReaderConstValue(reader) else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: Int(xmlStrlen(p))))
    }

    /// Whether the current node carries text (text, CDATA, whitespace).
    var isText: Bool {
        let t = nodeType
        return t == Int32(XML_READER_TYPE_TEXT.rawValue) || t == Int32(XML_READER_TYPE_CDATA.rawValue)
            || t == Int32(XML_READER_TYPE_WHITESPACE.rawValue) || t == Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue)
    }

    var line: Int? {
        let n = Int(xmlTextReaderGetParserLineNumber(reader))
        return n > 0 ? n : nil
    }

    func fail(_ code: SeqPortError.Code, _ message: String) -> SeqPortError {
        SeqPortError(code, message, at: SourceLocation(entry: part, line: line))
    }

    // MARK: - Input

    private func readInput(into target: UnsafeMutableRawBufferPointer) -> Int32 {
        guard error == nil else { return -1 }
        if position == end {
            do {
                let n = try source.read(into: buffer)
                guard n > 0 else { return 0 }
                if !prolog.isDone {
                    if let problem = prolog.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) {
                        throw SeqPortError(problem.0, problem.1, at: SourceLocation(entry: part))
                    }
                }
                position = 0
                end = n
            } catch {
                self.error = error
                return -1
            }
        }
        let n = min(target.count, end - position)
        target.baseAddress!.copyMemory(from: buffer.baseAddress! + position, byteCount: n)
        position += n
        return Int32(n)
    }

    private static let readCallback: xmlInputReadCallback = { context, bytes, count in
        guard let context, let bytes, count > 0 else { return 0 }
        let stream = Unmanaged<XLSXXMLStream>.fromOpaque(context).takeUnretainedValue()
        return stream.readInput(into: UnsafeMutableRawBufferPointer(start: bytes, count: Int(count)))
    }

    private static let closeCallback: xmlInputCloseCallback = { _ in 0 }

    /// Watches the bytes before the root element: UTF-8 (optional BOM), whitespace, the XML
    /// declaration, comments and processing instructions only; `<!DOCTYPE` is refused.
    struct PrologScanner {
        private enum State { case start, bom1, bom2, prolog, lessThan, bang, bangDash, comment(Int), pi, piQuestion, done }
        private var state = State.start
        var isDone: Bool { if case .done = state { return true } else { return false } }

        mutating func scan(_ bytes: UnsafeRawBufferPointer) -> (SeqPortError.Code, String)? {
            let notUTF8 = (SeqPortError.Code.xlsxSyntax, "part does not start with utf-8 xml markup")
            for b in bytes {
                switch state {
                case .done: return nil
                case .start: if b == 0xEF { state = .bom1 } else if !prolog(b) { return notUTF8 }
                case .bom1: guard b == 0xBB else { return notUTF8 }; state = .bom2
                case .bom2: guard b == 0xBF else { return notUTF8 }; state = .prolog
                case .prolog: if !prolog(b) { return notUTF8 }
                case .lessThan:
                    if b == UInt8(ascii: "?") { state = .pi } else if b == UInt8(ascii: "!") { state = .bang } else if b == 0 {
                        return notUTF8
                    } else { state = .done }
                case .bang:
                    guard b == UInt8(ascii: "-") else { return (.xlsxDTD, "document type declarations are refused") }
                    state = .bangDash
                case .bangDash:
                    guard b == UInt8(ascii: "-") else { return (.xlsxSyntax, "not well-formed xml") }
                    state = .comment(0)
                case .comment(let dashes):
                    if b == UInt8(ascii: "-") { state = .comment(min(dashes + 1, 2)) } else if b == UInt8(ascii: ">") && dashes == 2 {
                        state = .prolog
                    } else { state = .comment(0) }
                case .pi: if b == UInt8(ascii: "?") { state = .piQuestion }
                case .piQuestion: if b == UInt8(ascii: ">") { state = .prolog } else if b != UInt8(ascii: "?") { state = .pi }
                }
            }
            return nil
        }

        private mutating func prolog(_ b: UInt8) -> Bool {
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: state = .prolog; return true
            case UInt8(ascii: "<"): state = .lessThan; return true
            default: return false
            }
        }
    }
}
