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
/// An error about one record (a value, a missing, unknown or repeated field, an attribute the
/// vocabulary does not have, an XSD validity error inside the record) leaves the document readable:
/// `canContinueAfterError` is then true and the next `next()` reads on from the record after it
/// (`--max-errors`). Any other error (not well-formed, DTD, entity, processing instruction, a limit, an
/// error in the first record of an untyped read, which names the fields) stops the reader.
///
/// ```swift
/// var reader = XMLRecordReader(source: MemorySource(bytes), layout: category.layout(scope: .access))
/// while let record = try reader.next() { … }
/// ```
public struct XMLRecordReader: ResumableRecordReader, LineTrackingRecordReader, RecordBatchReader {
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
    /// After an error that stops the reader every call throws the same error.
    public mutating func next() throws -> Record? {
        guard try core.next() else { return nil }
        return core.values.record(0)
    }

    /// Reads the next record into `batch` (`RecordBatchReader`): what `next()` returns, without a `String`
    /// per value where its bytes are already canonical (`CanonicalCheck`).
    public mutating func read(into batch: inout RecordBatch) throws -> Bool {
        guard try core.next() else { return false }
        batch.append(0, of: core.values)
        return true
    }

    /// True when the last `next()` threw an error about one record and the next call reads the record
    /// after it; false after an error that stops the reader.
    public var canContinueAfterError: Bool { core.canContinueAfterError }

    /// The line where the last record read began.
    public var recordLine: Int? { core.recordNumber > 0 ? core.recordLine : nil }
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
        /// `skip`: reading past the rest of a record after an error in it.
        enum Phase { case prolog, root, record, field, skip, after, done }

        let expected: RecordLayout?
        var layout: RecordLayout
        let limits: ReaderLimits
        let handle: Handle
        var reader: xmlTextReaderPtr?
        var phase = Phase.prolog
        var failure: Error?
        var canContinueAfterError = false

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
        /// The record being read (one record; a complete one after `next()` returned true).
        var values = RecordBatch()
        var seen: [Bool] = []
        /// Per field of a typed layout: the fast check of a value's bytes (`CanonicalCheck`).
        let checks: [CanonicalCheck]
        /// Whether the record being read is the untyped first record, whose fields make the layout.
        var discovering: Bool

        // The field being read.
        var current = 0
        var currentLine: Int?
        var isNil = false
        var isBase64 = false
        /// The text of the field being read (an `OutputBuffer`: `Array`'s removeAll and append cost a
        /// generic call per field); `textBytes` lends it.
        var text = OutputBuffer(capacity: 1024)
        var textBytes: UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: text.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: text.count)
        }

        init(source: any ByteSource, expected: RecordLayout?, limits: ReaderLimits, schema: XMLSchema?) {
            self.expected = expected
            self.limits = limits
            self.handle = Handle(input: XMLInput(source: source), schema: schema)
            self.layout = expected ?? RecordLayout(name: "", fields: [], isTyped: false)
            self.discovering = expected == nil
            checks = expected?.isTyped == true ? expected!.fields.map { CanonicalCheck($0, limits: limits) } : []
            if let expected {
                names = expected.fields.map(\.name)
                for (i, name) in names.enumerated() where fieldIndex[name] == nil { fieldIndex[name] = i }
            }
        }

        var isTyped: Bool { expected?.isTyped ?? false }

        /// Reads the next record into `values`; false at the end.
        mutating func next() throws -> Bool {
            if let failure { throw failure }
            if phase == .done { return false }
            canContinueAfterError = false
            do {
                LibXML.prepare()
                if reader == nil { try open() }
                return try advance()
            } catch let error as SeqPortError where resumes(after: error) {
                canContinueAfterError = true
                throw error
            } catch {
                failure = error
                throw error
            }
        }

        /// The errors about one record, after which the next record can be read.
        static let recordLevel: Set<SeqPortError.Code> = [
            .xmlVocabulary, .xmlNotFlat, .xmlMissingField, .xmlUnknownField, .xmlDuplicateField, .xmlBase64, .xmlInvalid,
            .valueType, .valueRange, .valueFormat, .valueEnum, .valueNull,
            // Not the limits (`value.too-long`, `xml.depth`, `xml.name-too-long`, `xml.too-many-fields`): they stop.
        ]

        /// Whether `error` is about the record being read and the document can be read on; if so, sets
        /// the phase to read past the rest of that record.
        private mutating func resumes(after error: SeqPortError) -> Bool {
            guard Self.recordLevel.contains(error.code), !discovering, let reader,
                  handle.input.error == nil, handle.errors.first == nil else { return false }
            switch phase {
            case .record, .field:
                xmlTextReaderMoveToElement(reader)
                let onEmptyRecord = xmlTextReaderDepth(reader) == 1 && xmlTextReaderIsEmptyElement(reader) == 1
                    && xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue)
                phase = onEmptyRecord ? .root : .skip
                return true
            case .root:
                // Thrown when the record closed (a field missing, an XSD error held for it): nothing to skip.
                return error.code == .xmlMissingField || error.code == .xmlInvalid
            case .prolog, .skip, .after, .done:
                return false
            }
        }

        private mutating func open() throws {
            let input = handle.input, errors = handle.errors
            // XML_PARSE_COMPACT: short text nodes live inside their node (one malloc and free less per
            // value; the reader frees them as it goes): ~10% less CPU for the 1M-event copy.
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_COMPACT.rawValue)
            guard let reader = xmlReaderForIO(XMLInput.readCallback, XMLInput.closeCallback, input.context, nil, nil, options) else {
                throw input.error ?? SeqPortError(.internalError, "libxml2 could not create a reader")
            }
            self.reader = reader
            handle.reader = reader
            if handle.schema != nil {
                // Validity errors are put in their record and reported when the reader reaches it.
                let records = XMLRecordStarts()
                input.records = records
                errors.records = records
                errors.reader = reader
            }
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

        private mutating func advance() throws -> Bool {
            let input = handle.input, errors = handle.errors
            while true {
                let rc = xmlTextReaderRead(reader)
                if rc < 0 || input.error != nil || errors.first != nil { throw stopError() }
                if rc == 0 {
                    if phase == .after {
                        // Those of records that had an error of their own are dropped; any other is not in a record.
                        errors.dropInvalid(before: recordNumber + 1)
                        if let held = errors.invalid.first { throw held.diagnostic.seqPortError() }
                    }
                    guard phase == .after else {
                        throw SeqPortError(.xmlSyntax, "document ends before its root element closes", at: SourceLocation(line: parserLine))
                    }
                    phase = .done
                    return false
                }
                if try handleNode() { return true }
            }
        }

        private mutating func handleNode() throws -> Bool {
            let type = xmlTextReaderNodeType(reader)
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                return try startElement()
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return try endElement()
            case Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                // libxml2 gives these types only to text of spaces, tabs, CRs and LFs (`xmlIsBlankNode`):
                // between elements (the indentation) there is nothing to look at.
                if phase == .field { try characters() }
                return false
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                try characters()
                return false
            case Int32(XML_READER_TYPE_PROCESSING_INSTRUCTION.rawValue):
                throw fail(.xmlPI, "processing instructions are refused")
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY.rawValue),
                 Int32(XML_READER_TYPE_NOTATION.rawValue):
                throw fail(.xmlDTD, "document type declarations (doctype) are refused")
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw fail(.xmlEntity, "entity references are refused")
            default:
                return false  // comments, end of entity, XML declaration
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
                text.append(bytes)
            case .skip:
                return
            default:
                guard bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                    throw fail(.xmlVocabulary, "text outside a field")
                }
            }
        }
    }
}
