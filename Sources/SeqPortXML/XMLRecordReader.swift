import CLibXML2
import SeqPortModel

/// Reads records of the seqport XML vocabulary (`Specs/xml.md`) with libxml2's streaming
/// `xmlTextReader`, one record at a time.
///
/// With a layout, the document must be exactly the vocabulary: the root is the layout's name in
/// `urn:seqport:bundle:1`, its children are `record`s, each record has every field once (any
/// order). A typed layout's values go through `Field.canonicalize`. Without a layout (schema-less
/// conversion) any root is accepted, each child element is a record and each grandchild a field by
/// its local name; the fields are those of the first record.
///
/// The reader never loads anything: no network (`XML_PARSE_NONET`), no DTD (a `<!DOCTYPE` is refused
/// before libxml2 sees it), no entity expansion, no XInclude. Errors carry the line, the record
/// (from 1) and the field, never a value.
///
/// ```swift
/// var reader = XMLRecordReader(source: MemorySource(bytes), layout: category.layout(scope: .access))
/// while let record = try reader.next() { … }
/// ```
public struct XMLRecordReader: RecordReader {
    private var core: Core

    /// A reader of the document in `source`.
    /// - Parameters:
    ///   - layout: the expected layout, or `nil` to take any XML of records (untyped).
    ///   - limits: depth, value size, field count and name length limits.
    ///   - schema: an XSD to validate against while streaming (`xml.invalid` when it does not match).
    /// Readies libxml2 on the calling thread (its error handlers are per thread): call it first on a
    /// thread that will call `next()` of a reader made on another thread.
    public static func prepareThread() { LibXML.prepare() }

    public init(source: any ByteSource, layout: RecordLayout?, limits: ReaderLimits = .default, schema: XMLSchema? = nil) {
        core = Core(source: source, expected: layout, limits: limits, schema: schema)
    }

    /// The layout records come in; for an untyped reader known after the first record.
    public var layout: RecordLayout { core.layout }

    /// The next record, or `nil` after the root element closed and the document ended cleanly.
    /// After an error every call throws the same error.
    public mutating func next() throws -> Record? { try core.next() }
}

extension XMLRecordReader {
    /// The C side: the libxml2 reader and what its callbacks point at, freed once.
    final class Handle {
        let input: XMLInput
        let errors = LibXMLErrorSink()
        let schema: XMLSchema?
        var reader: xmlTextReaderPtr?

        init(input: XMLInput, schema: XMLSchema?) {
            self.input = input
            self.schema = schema
        }

        deinit {
            if let reader { xmlFreeTextReader(reader) }
        }
    }

    /// The reading state. A struct, so the hot loop mutates it without dynamic exclusivity checks.
    struct Core {
        enum Phase { case prolog, root, record, field, after, done }

        let expected: RecordLayout?
        var layout: RecordLayout
        let limits: ReaderLimits
        let handle: Handle
        var reader: xmlTextReaderPtr?
        var phase = Phase.prolog
        var failure: Error?

        /// Record number (from 1) of the record being read.
        var recordNumber = 0
        var recordLine: Int?
        /// Field name → index in `layout.fields` (for an untyped first record: as discovered).
        var fieldIndex: [String: Int] = [:]
        var names: [String] = []
        /// `names` interned in the reader's dictionary: element names compare by pointer.
        var interned: [UnsafePointer<xmlChar>?] = []
        var internedRecord: UnsafePointer<xmlChar>?
        var internedNamespace: UnsafePointer<xmlChar>?
        var values: [Value] = []
        var seen: [Bool] = []
        /// Whether the record being read is the untyped first record, whose fields make the layout.
        var discovering: Bool

        // The field being read.
        var current = 0
        var currentLine: Int?
        var isNil = false
        var isBase64 = false
        var text: [UInt8] = []

        init(source: any ByteSource, expected: RecordLayout?, limits: ReaderLimits, schema: XMLSchema?) {
            self.expected = expected
            self.limits = limits
            self.handle = Handle(input: XMLInput(source: source), schema: schema)
            self.layout = expected ?? RecordLayout(name: "", fields: [], isTyped: false)
            self.discovering = expected == nil
            if let expected {
                names = expected.fields.map(\.name)
                for (i, name) in names.enumerated() where fieldIndex[name] == nil { fieldIndex[name] = i }
            }
        }

        var isTyped: Bool { expected?.isTyped ?? false }

        mutating func next() throws -> Record? {
            if let failure { throw failure }
            if phase == .done { return nil }
            do {
                LibXML.prepare()
                if reader == nil { try open() }
                return try advance()
            } catch {
                failure = error
                throw error
            }
        }

        private mutating func open() throws {
            let input = handle.input, errors = handle.errors
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue)
            guard let reader = xmlReaderForIO(XMLInput.readCallback, XMLInput.closeCallback, input.context, nil, nil, options) else {
                throw input.error ?? SeqPortError(.internalError, "libxml2 could not create a reader")
            }
            self.reader = reader
            handle.reader = reader
            xmlTextReaderSetStructuredErrorHandler(reader, LibXMLErrorSink.handler, errors.context)
            internedRecord = xmlTextReaderConstString(reader, "record")
            internedNamespace = xmlTextReaderConstString(reader, LibXML.namespace)
            interned = names.map { xmlTextReaderConstString(reader, $0) }
            if let schema = handle.schema, xmlTextReaderSetSchema(reader, schema.pointer) != 0 {
                throw SeqPortError(.internalError, "libxml2 could not attach the schema")
            }
        }

        /// The error that stopped libxml2: the source's (or the scanner's) first, then libxml2's own.
        private func stopError() -> Error {
            if let error = handle.input.error { return error }
            if let diagnostic = handle.errors.take() {
                // libxml2 parses (and validates) a little ahead of the node the reader is on, so its
                // errors carry libxml2's line and column, not our record number.
                return diagnostic.seqPortError()
            }
            return SeqPortError(.xmlSyntax, "not well-formed xml", at: SourceLocation(line: parserLine))
        }

        var parserLine: Int? {
            guard let reader else { return nil }
            let line = Int(xmlTextReaderGetParserLineNumber(reader))
            return line > 0 ? line : nil
        }

        /// The line of the node the reader is on.
        var nodeLine: Int? {
            guard let node = xmlTextReaderCurrentNode(reader) else { return parserLine }
            let line = Int(xmlGetLineNo(node))
            return line > 0 ? line : parserLine
        }

        func fail(_ code: SeqPortError.Code, _ message: String, line: Int? = nil, field: String? = nil) -> SeqPortError {
            let inRecord = phase == .record || phase == .field
            return SeqPortError(code, message, at: SourceLocation(
                line: line ?? nodeLine, record: inRecord ? recordNumber : nil, field: field))
        }

        private mutating func advance() throws -> Record? {
            let input = handle.input, errors = handle.errors
            while true {
                let rc = xmlTextReaderRead(reader)
                if rc < 0 || input.error != nil || errors.first != nil { throw stopError() }
                if rc == 0 {
                    guard phase == .after else {
                        throw SeqPortError(.xmlSyntax, "document ends before its root element closes", at: SourceLocation(line: parserLine))
                    }
                    phase = .done
                    return nil
                }
                if let record = try handleNode() { return record }
            }
        }

        private mutating func handleNode() throws -> Record? {
            let type = xmlTextReaderNodeType(reader)
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                return try startElement()
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return try endElement()
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                try characters()
                return nil
            case Int32(XML_READER_TYPE_PROCESSING_INSTRUCTION.rawValue):
                throw fail(.xmlPI, "processing instructions are refused")
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY.rawValue),
                 Int32(XML_READER_TYPE_NOTATION.rawValue):
                throw fail(.xmlDTD, "document type declarations (doctype) are refused")
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw fail(.xmlEntity, "entity references are refused")
            default:
                return nil  // comments, end of entity, XML declaration
            }
        }

        private mutating func characters() throws {
            guard let p = xmlTextReaderConstValue(reader) else { return }
            let count = Int(xmlStrlen(p))
            let bytes = UnsafeBufferPointer(start: p, count: count)
            switch phase {
            case .field:
                let limit = isBase64 ? limits.maxValueBytes / 3 * 4 + 8 + limits.maxValueBytes / 8 : limits.maxValueBytes
                guard text.count + count <= limit else {
                    throw fail(.valueTooLong, "longer than \(limits.maxValueBytes) bytes", line: currentLine, field: names[current])
                }
                text.append(contentsOf: bytes)
            default:
                guard bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                    throw fail(.xmlVocabulary, "text outside a field")
                }
            }
        }
    }
}
