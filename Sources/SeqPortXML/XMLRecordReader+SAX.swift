import CLibXML2
import SeqPortModel

extension XMLRecordReader {
    /// An error the callbacks queued for the pull side, after the records before it.
    struct QueuedError {
        /// Records of `ParseState.out` that come before it.
        var after: Int
        var error: Error
        /// About one record, and reading goes on after it.
        var resumable: Bool
        var line: Int?
    }

    /// The reading state the SAX2 callbacks drive. A struct behind a pointer the `Handle` owns, so the
    /// callbacks mutate it without reference counting or dynamic exclusivity checks.
    struct ParseState {
        /// `skip`: reading past the rest of a record after an error in it.
        enum Phase { case prolog, root, record, field, skip, after }

        let expected: RecordLayout?
        /// `expected != nil`, and whether it is typed (read per event: no copy of the layout).
        let hasLayout: Bool
        let isTyped: Bool
        var layout: RecordLayout
        let limits: ReaderLimits
        var parser: xmlParserCtxtPtr?
        var phase = Phase.prolog
        /// Elements open around the next event (the root's children are at depth 1 once open).
        var depth = 0

        // What the callbacks completed since the pull side last asked, and how far it has read: the
        // records, the line each began on (0: unknown), and the errors between them.
        var out = RecordBatch()
        /// Per record of `out`: the line it began on (0: unknown; -1: dropped, its validity error queued).
        var outLines: [Int] = []
        /// Per record of `out`: its number.
        var outNumbers: [Int] = []
        var outHead = 0
        var errors: [QueuedError] = []
        var errorHead = 0
        /// A fatal error was queued: the parser is stopped and nothing more is queued.
        var stopped = false

        /// Record number (from 1) of the record being read.
        var recordNumber = 0
        var recordLine: Int?
        /// The record being read had an error of its own (queued): later errors about it are dropped.
        var recordFailed = false
        /// The record being read closed without an error of ours; it is queued by `settle`, once the
        /// validator has seen the closing event too.
        var completing = false
        /// The event being handled closed a record (validity errors in it belong to that record).
        var closedRecord = false
        /// The first XSD validity error inside the record being read.
        var heldInvalid: LibXMLDiagnostic?

        /// Field name → index in `layout.fields` (for an untyped first record: as discovered).
        var fieldIndex: [String: Int] = [:]
        var names: [String] = []
        /// `names` interned in the parser's dictionary: element names compare by pointer.
        var interned: [UnsafePointer<xmlChar>?] = []
        var internedRecord: UnsafePointer<xmlChar>?
        var internedNamespace: UnsafePointer<xmlChar>?
        /// The record being read (one record; copied to `out` when complete).
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

        init(expected: RecordLayout?, limits: ReaderLimits) {
            self.expected = expected
            hasLayout = expected != nil
            isTyped = expected?.isTyped ?? false
            self.limits = limits
            self.layout = expected ?? RecordLayout(name: "", fields: [], isTyped: false)
            self.discovering = expected == nil
            checks = expected?.isTyped == true ? expected!.fields.map { CanonicalCheck($0, limits: limits) } : []
            if let expected {
                names = expected.fields.map(\.name)
                for (i, name) in names.enumerated() where fieldIndex[name] == nil { fieldIndex[name] = i }
            }
        }


        /// The parser is made: intern the names the hot path compares by pointer.
        mutating func attach(_ parser: xmlParserCtxtPtr) {
            self.parser = parser
            internedRecord = intern("record")
            internedNamespace = intern(LibXML.namespace)
            interned = names.map { intern($0) }
        }

        func intern(_ name: String) -> UnsafePointer<xmlChar>? {
            guard let dict = parser?.pointee.dict else { return nil }
            return name.withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) { xmlDictLookup(dict, $0, -1) } }
        }

        /// The line the parser is on (for an element: where its start tag ends, as libxml2's tree has it).
        var line: Int? {
            guard let input = parser?.pointee.input else { return nil }
            let line = Int(input.pointee.line)
            return line > 0 ? line : nil
        }

        func fail(_ code: SeqPortError.Code, _ message: String, line: Int? = nil, field: String? = nil) -> SeqPortError {
            let inRecord = phase == .record || phase == .field
            return SeqPortError(code, message, at: SourceLocation(
                line: line ?? self.line, record: inRecord ? recordNumber : nil, field: field))
        }

        // MARK: - The queue

        /// Queues the record that closed in the last event, or the validity error held for it.
        mutating func settle() {
            closedRecord = false
            guard completing else { return }
            completing = false
            if let held = heldInvalid {
                heldInvalid = nil
                var error = held.seqPortError()
                error.location.record = recordNumber
                queue(error, resumable: true, line: recordLine)
                return
            }
            out.append(0, of: values)
            outLines.append(recordLine ?? 0)
            outNumbers.append(recordNumber)
        }

        /// The errors about one record, after which the next record can be read.
        static let recordLevel: Set<SeqPortError.Code> = [
            .xmlVocabulary, .xmlNotFlat, .xmlMissingField, .xmlUnknownField, .xmlDuplicateField, .xmlBase64, .xmlInvalid,
            .valueType, .valueRange, .valueFormat, .valueEnum, .valueNull,
            // Not the limits (`value.too-long`, `xml.depth`, `xml.name-too-long`, `xml.too-many-fields`): they stop.
        ]

        /// An error thrown by a callback: queued about its record when reading can go on past it (the
        /// rest of the record is then skipped), else it stops the reader.
        mutating func handle(_ error: Error) {
            guard let seqPortError = error as? SeqPortError, Self.recordLevel.contains(seqPortError.code), !discovering else {
                return stop(error)
            }
            switch phase {
            case .record, .field:
                phase = .skip
            case .root where seqPortError.code == .xmlMissingField:
                break  // thrown as the record closed: nothing to skip
            default:
                return stop(error)
            }
            recordFailed = true
            heldInvalid = nil
            queue(error, resumable: true, line: recordLine)
        }

        mutating func queue(_ error: Error, resumable: Bool, line: Int?) {
            errors.append(QueuedError(after: out.count, error: error, resumable: resumable, line: line))
        }

        /// Queues an error that ends the reading and stops the parser.
        mutating func stop(_ error: Error) {
            guard !stopped else { return }
            settle()
            stopped = true
            queue(error, resumable: false, line: nil)
            if let parser { xmlStopParser(parser) }
        }

        /// libxml2 reported an error: a validity error inside a record is held for that record (the
        /// first, unless the record already failed); anything else stops the reader.
        mutating func libxmlError(_ diagnostic: LibXMLDiagnostic) {
            guard !stopped else { return }
            if diagnostic.isValidity, closedRecord || phase == .record || phase == .field || phase == .skip {
                if !recordFailed, heldInvalid == nil { heldInvalid = diagnostic }
                return
            }
            // A record the document breaks in (a start tag cut off at its end, say, which libxml2 still
            // reports as an element first) is not worth an error of its own: the break is the error.
            if phase == .skip, let last = errors.last, last.resumable, last.after == out.count { errors.removeLast() }
            stop(diagnostic.seqPortError())
        }

        /// The validity errors the validator on its own thread found in the chunk just parsed: the first
        /// about a record completed in it replaces that record; one about the record still open is held
        /// for it; one about a record that had an error of its own is dropped; one outside every record
        /// stops the reader (after the records completed in the chunk).
        mutating func merge(_ found: [XMLSchemaValidator.Found]) {
            for f in found where !stopped {
                guard let n = f.record else { return stop(f.diagnostic.seqPortError()) }
                if let k = outNumbers.lastIndex(of: n) {
                    let line = outLines[k]
                    guard line >= 0 else { continue }
                    var error = f.diagnostic.seqPortError()
                    error.location.record = n
                    outLines[k] = -1
                    let at = errors.firstIndex { $0.after > k } ?? errors.count
                    errors.insert(QueuedError(after: k, error: error, resumable: true, line: line > 0 ? line : nil), at: at)
                } else if n == recordNumber, phase == .record || phase == .field, !recordFailed, heldInvalid == nil {
                    heldInvalid = f.diagnostic
                }
            }
        }

        /// libxml2 was told the document ended, and stopped on nothing.
        mutating func documentEnded() {
            guard phase == .after else {
                return stop(SeqPortError(.xmlSyntax, "document ends before its root element closes", at: SourceLocation(line: line)))
            }
        }

        // MARK: - The callbacks

        /// Points `sax`'s callbacks at this state's handlers (SAX2: namespaced element events).
        static func install(into sax: UnsafeMutablePointer<xmlSAXHandler>) {
            sax.pointee.startElementNs = startElementNs
            sax.pointee.endElementNs = endElementNs
            sax.pointee.characters = characters
            sax.pointee.ignorableWhitespace = characters
            sax.pointee.cdataBlock = characters
            sax.pointee.processingInstruction = processingInstruction
            sax.pointee.internalSubset = internalSubset
            sax.pointee.externalSubset = internalSubset
            sax.pointee.reference = reference
        }

        @inline(__always)
        static func state(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<ParseState>? {
            guard let context else { return nil }
            let state = context.assumingMemoryBound(to: ParseState.self)
            if state.pointee.stopped { return nil }
            state.pointee.settle()
            return state
        }

        static let startElementNs: startElementNsSAX2Func = { context, localName, _, uri, _, _, attributeCount, _, attributes in
            guard let state = state(context) else { return }
            do {
                try state.pointee.startElement(localName, uri, Attributes(base: attributes, count: Int(attributeCount)))
            } catch {
                state.pointee.handle(error)
            }
        }

        static let endElementNs: endElementNsSAX2Func = { context, _, _, _ in
            guard let state = state(context) else { return }
            do {
                try state.pointee.endElement()
            } catch {
                state.pointee.handle(error)
            }
        }

        static let characters: charactersSAXFunc = { context, bytes, count in
            guard let state = state(context), let bytes, count > 0 else { return }
            do {
                try state.pointee.characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
            } catch {
                state.pointee.handle(error)
            }
        }

        static let processingInstruction: processingInstructionSAXFunc = { context, _, _ in
            guard let state = state(context) else { return }
            state.pointee.stop(state.pointee.fail(.xmlPI, "processing instructions are refused"))
        }

        static let internalSubset: internalSubsetSAXFunc = { context, _, _, _ in
            guard let state = state(context) else { return }
            state.pointee.stop(state.pointee.fail(.xmlDTD, "document type declarations (doctype) are refused"))
        }

        static let reference: referenceSAXFunc = { context, _ in
            guard let state = state(context) else { return }
            state.pointee.stop(state.pointee.fail(.xmlEntity, "entity references are refused"))
        }

        /// The structured handler for both the parser's errors and the validator's.
        static let libxmlError: xmlStructuredErrorFunc = { context, error in
            guard let context, let error, !LibXMLDiagnostic.isWarning(error) else { return }
            context.assumingMemoryBound(to: ParseState.self).pointee.libxmlError(LibXMLDiagnostic(error))
        }

        /// Where the validator is: the parser's line.
        static let locator: xmlSchemaValidityLocatorFunc = { context, file, line in
            guard let context else { return -1 }
            file?.pointee = nil
            line?.pointee = UInt(context.assumingMemoryBound(to: ParseState.self).pointee.line ?? 0)
            return 0
        }
    }

    /// The attributes SAX2 gives an element: five pointers each (local name, prefix, namespace URI,
    /// value start, value end). Namespace declarations are not among them.
    struct Attributes {
        let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
        let count: Int

        func localName(_ i: Int) -> UnsafePointer<xmlChar>? { base?[i * 5] }
        func prefix(_ i: Int) -> UnsafePointer<xmlChar>? { base?[i * 5 + 1] }
        func namespace(_ i: Int) -> UnsafePointer<xmlChar>? { base?[i * 5 + 2] }

        /// The attribute's value (normalised and with its references replaced by libxml2), not NUL-terminated.
        func value(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            guard let start = base?[i * 5 + 3], let end = base?[i * 5 + 4] else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(start: start, count: end - start)
        }

        /// `prefix:local`, or `local`.
        func qualifiedName(_ i: Int) -> String {
            let local = LibXML.string(localName(i))
            guard let prefix = prefix(i) else { return local }
            return LibXML.string(prefix) + ":" + local
        }
    }
}
