import CLibXML2
import SeqPortModel

/// One error libxml2 reported, copied out of its `xmlError` without the message text: libxml2's
/// messages can quote document content (a personal value), so seqport words its own.
struct LibXMLDiagnostic {
    var domain: Int32
    var code: Int32
    var line: Int?
    var column: Int?
    /// The local name of the element a validity error is about, if libxml2 names one.
    var element: String?

    init(_ error: UnsafePointer<xmlError>) {
        let e = error.pointee
        domain = Int32(e.domain)
        code = Int32(e.code)
        line = e.line > 0 ? Int(e.line) : nil
        column = e.int2 > 0 ? Int(e.int2) : nil
        if let node = e.node?.assumingMemoryBound(to: xmlNode.self), node.pointee.type == XML_ELEMENT_NODE,
           let name = node.pointee.name {
            element = String(cString: name)
            if let nodeLine = Optional(Int(xmlGetLineNo(node))), nodeLine > 0, line == nil { line = nodeLine }
        }
    }

    /// Whether it is an XSD validity error (the document is well-formed, a record breaks the schema).
    var isValidity: Bool { domain == Int32(XML_FROM_SCHEMASV.rawValue) }

    /// Whether libxml2 considers it a warning (not worth stopping for).
    static func isWarning(_ error: UnsafePointer<xmlError>) -> Bool {
        error.pointee.level == XML_ERR_WARNING
    }

    private func `is`(_ c: xmlParserErrors) -> Bool { code == Int32(c.rawValue) }

    /// The seqport error for this diagnostic.
    func seqPortError() -> SeqPortError {
        let at = SourceLocation(line: line, column: column)
        if domain == Int32(XML_FROM_SCHEMASV.rawValue) || domain == Int32(XML_FROM_VALID.rawValue) {
            var place = at
            place.column = nil
            place.field = element
            return SeqPortError(.xmlInvalid, "does not match the schema (libxml2 error \(code))", at: place)
        }
        if domain == Int32(XML_FROM_SCHEMASP.rawValue) {
            return SeqPortError(.schemaInvalid, "not a usable xml schema (libxml2 error \(code))", at: at)
        }
        return SeqPortError(.xmlSyntax, syntaxMessage, at: at)
    }

    private var syntaxMessage: String {
        switch code {
        case Int32(XML_ERR_DOCUMENT_EMPTY.rawValue): return "document is empty"
        case Int32(XML_ERR_DOCUMENT_END.rawValue), Int32(XML_ERR_EXTRA_CONTENT.rawValue):
            return "content after the end of the root element"
        case Int32(XML_ERR_INVALID_CHAR.rawValue), Int32(XML_ERR_INVALID_CHARREF.rawValue):
            return "a character xml 1.0 does not allow"
        case Int32(XML_ERR_INVALID_ENCODING.rawValue): return "input is not valid utf-8"
        case Int32(XML_ERR_UNKNOWN_ENCODING.rawValue), Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
            return "unsupported character encoding"
        case Int32(XML_ERR_UNDECLARED_ENTITY.rawValue), Int32(XML_WAR_UNDECLARED_ENTITY.rawValue):
            return "reference to an undeclared entity"
        case Int32(XML_ERR_ENTITY_LOOP.rawValue): return "entity reference loop"
        case Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue): return "end tag does not match its start tag"
        case Int32(XML_ERR_TAG_NOT_FINISHED.rawValue), Int32(XML_ERR_NOT_WELL_BALANCED.rawValue):
            return "document ends before its elements are closed"
        case Int32(XML_ERR_ATTRIBUTE_REDEFINED.rawValue): return "attribute given twice"
        case Int32(XML_ERR_COMMENT_NOT_FINISHED.rawValue): return "comment not closed"
        case Int32(XML_NS_ERR_UNDEFINED_NAMESPACE.rawValue): return "undeclared namespace prefix"
        case Int32(XML_ERR_RESERVED_XML_NAME.rawValue): return "xml declaration not at the start of the document"
        case Int32(XML_ERR_NO_MEMORY.rawValue): return "out of memory"
        default: return "not well-formed xml (libxml2 error \(code))"
        }
    }
}

/// Collects the first error libxml2 reports through a structured error handler (warnings aside).
///
/// The handler's context pointer is an unretained reference to this object; the owner keeps it
/// alive as long as libxml2 may call the handler.
final class LibXMLErrorSink {
    private(set) var first: LibXMLDiagnostic?

    func take() -> LibXMLDiagnostic? {
        defer { first = nil }
        return first
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let sink = Unmanaged<LibXMLErrorSink>.fromOpaque(context).takeUnretainedValue()
        guard sink.first == nil, !LibXMLDiagnostic.isWarning(error) else { return }
        sink.first = LibXMLDiagnostic(error)
    }
}
