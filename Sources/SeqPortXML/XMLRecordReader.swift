import CLibXML2
import SeqPortModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads records of the seqport XML vocabulary (`Specs/xml.md`) with libxml2's SAX2 push parser,
/// one record at a time.
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
/// ## Design: a push parser behind a pull interface
///
/// libxml2 builds no tree here: its SAX2 callbacks (`XMLRecordReader+SAX.swift`) drive the vocabulary
/// state machine (`+Elements`) directly, and an XSD, when given, validates the same events through
/// `xmlSchemaSAXPlug` — streaming, with no node per element (libxml2's `xmlTextReader` built and freed
/// one per element and per text, which was most of its cost). `next()` pulls: when the records parsed
/// so far are used up, the next 64 KiB of the source go to `xmlParseChunk`, whose callbacks queue the
/// records completed in them, and the errors, in document order.
///
/// An XSD validity error is reported by the plug *during* the event it is about, right after this
/// reader's own callback for that event, so it is put in its record exactly: a record is committed to
/// the queue only once the event that closed it has been validated too (`settle`). Each record gives at
/// most one error, and the reader's own checks come first.
///
/// ```swift
/// var reader = XMLRecordReader(source: MemorySource(bytes), layout: category.layout(scope: .access))
/// while let record = try reader.next() { … }
/// ```
public struct XMLRecordReader: ResumableRecordReader, LineTrackingRecordReader, RecordBatchReader {
    private let handle: Handle

    /// Readies libxml2 on the calling thread (its error handlers are per thread): call it first on a
    /// thread that will call `next()` of a reader made on another thread.
    public static func prepareThread() { LibXML.prepare() }

    /// A reader of the document in `source`.
    /// - Parameters:
    ///   - layout: the expected layout, or `nil` to take any XML of records (untyped).
    ///   - limits: depth, value size, field count and name length limits.
    ///   - schema: an XSD to validate against while streaming (`xml.invalid` when it does not match).
    public init(source: any ByteSource, layout: RecordLayout?, limits: ReaderLimits = .default, schema: XMLSchema? = nil) {
        self.init(source: source, layout: layout, limits: limits, schema: schema, validation: .automatic)
    }

    /// Where an XSD validates: in the reader's own parser, or on a thread of its own in step with it
    /// (`XMLSchemaValidator`). The same errors in the same records either way.
    enum ValidationPlacement {
        /// On its own thread when the machine has more than one core.
        case automatic
        case inline
        case ownThread
    }

    /// `chunkSize`: the bytes libxml2 is given at a time (tests make it small to cut records anywhere).
    init(source: any ByteSource, layout: RecordLayout?, limits: ReaderLimits = .default, schema: XMLSchema?,
         validation: ValidationPlacement, chunkSize: Int = Handle.defaultChunkSize) {
        handle = Handle(source: source, expected: layout, limits: limits, schema: schema, placement: validation, chunkSize: chunkSize)
    }

    /// The layout records come in; for an untyped reader known after the first record.
    public var layout: RecordLayout { handle.state.pointee.layout }

    /// The next record, or `nil` after the root element closed and the document ended cleanly.
    /// After an error that stops the reader every call throws the same error.
    public mutating func next() throws -> Record? {
        guard let i = try handle.next() else { return nil }
        return handle.state.pointee.out.record(i)
    }

    /// Reads the next record into `batch` (`RecordBatchReader`): what `next()` returns, without a `String`
    /// per value where its bytes are already canonical (`CanonicalCheck`).
    public mutating func read(into batch: inout RecordBatch) throws -> Bool {
        guard let i = try handle.next() else { return false }
        batch.append(i, of: handle.state.pointee.out)
        return true
    }

    /// True when the last `next()` threw an error about one record and the next call reads the record
    /// after it; false after an error that stops the reader.
    public var canContinueAfterError: Bool { handle.canContinueAfterError }

    /// The line where the last record read (or the record of the last error) began.
    public var recordLine: Int? { handle.recordLine }
}

extension XMLRecordReader {
    /// The C side — the push parser, the XSD plug, the parse state their callbacks point at — and the
    /// pull loop over what the callbacks queue. Freed once, when the last copy of the reader goes.
    final class Handle {
        static let defaultChunkSize = 64 * 1024

        /// The parse state. At a fixed address: libxml2's callbacks get it as their context pointer.
        let state: UnsafeMutablePointer<ParseState>
        private let source: any ByteSource
        /// The bytes libxml2 is given at a time.
        private let chunkSize: Int
        private var scanner = XMLPrologScanner()
        private let schema: XMLSchema?
        private var parser: PushParser?
        private let placement: ValidationPlacement
        /// The XSD's validator on its own thread, when it runs there.
        private var validator: XMLSchemaValidator?
        /// libxml2 has been told the document ended (or was stopped): nothing more will be queued.
        private var ended = false
        private var failure: Error?
        private(set) var canContinueAfterError = false
        private(set) var recordLine: Int?

        init(source: any ByteSource, expected: RecordLayout?, limits: ReaderLimits, schema: XMLSchema?, placement: ValidationPlacement,
             chunkSize: Int) {
            self.source = source
            self.chunkSize = max(1, chunkSize)
            self.schema = schema
            self.placement = placement
            state = .allocate(capacity: 1)
            state.initialize(to: ParseState(expected: expected, limits: limits))
        }

        deinit {
            validator?.close()
            parser = nil
            state.deinitialize(count: 1)
            state.deallocate()
        }

        /// The index in `state.out` of the next record, or nil at the end; throws the next error.
        func next() throws -> Int? {
            if let failure { throw failure }
            canContinueAfterError = false
            while true {
                let i = state.pointee.outHead
                if state.pointee.errorHead < state.pointee.errors.count, state.pointee.errors[state.pointee.errorHead].after == i {
                    let queued = state.pointee.errors[state.pointee.errorHead]
                    state.pointee.errorHead += 1
                    if let line = queued.line { recordLine = line }
                    if queued.resumable { canContinueAfterError = true } else { failure = queued.error }
                    throw queued.error
                }
                if i < state.pointee.out.count {
                    let line = state.pointee.outLines[i]
                    if line < 0 {
                        // A record the validator found invalid: its error came just before.
                        state.pointee.outHead = i + 1
                        continue
                    }
                    recordLine = line > 0 ? line : nil
                    state.pointee.outHead = i + 1
                    return i
                }
                if ended { return nil }
                try feed()
            }
        }

        /// What the source gave, in order, read ahead of the parser: a chunk (scanned by the prolog
        /// scanner), the end of the document, or the error that stops reading there.
        enum Ahead {
            case chunk([UInt8])
            case end
            case stop(Error)
        }

        /// Chunks read ahead: the validator on its own thread gets each as soon as it is read, so it is
        /// never left waiting for this thread (it is the slower of the two); without it, one at a time.
        static let validatorChunksAhead = 8
        private var ahead: [Ahead] = []
        private var aheadHead = 0
        private var sourceDone = false

        /// Reads from the source until `limit` items are waiting (or the source is done).
        private func fillAhead(limit: Int) {
            while ahead.count - aheadHead < limit, !sourceDone {
                // A full chunk (or the rest of the source): the prolog scanner sees as far ahead as
                // libxml2 will parse, so a DOCTYPE is refused before anything else in the chunk is looked
                // at. A source that fails mid-chunk has the bytes it gave parsed first, then its error.
                // Read straight into the chunk both parsers are handed (the validator keeps it meanwhile).
                var sourceError: Error?
                let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { space, count in
                    count = 0
                    do {
                        while count < space.count {
                            let n = try source.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: space[count...])))
                            if n <= 0 { break }
                            count += n
                        }
                    } catch {
                        sourceError = error
                    }
                }
                do {
                    if !chunk.isEmpty, !scanner.isDone { try chunk.withUnsafeBytes { try scanner.scan($0) } }
                } catch {
                    ahead.append(.stop(error))
                    sourceDone = true
                    return
                }
                if !chunk.isEmpty {
                    validator?.start(chunk, terminate: false)
                    ahead.append(.chunk(chunk))
                }
                if let sourceError {
                    ahead.append(.stop(sourceError))
                    sourceDone = true
                } else if chunk.count < chunkSize {
                    validator?.start([], terminate: true)
                    ahead.append(.end)
                    sourceDone = true
                }
            }
        }

        /// Parses the next chunk read ahead (or ends the document), queueing what it completes.
        private func feed() throws {
            state.pointee.out.removeAll()
            state.pointee.outLines.removeAll(keepingCapacity: true)
            state.pointee.outNumbers.removeAll(keepingCapacity: true)
            state.pointee.outHead = 0
            state.pointee.errors.removeAll(keepingCapacity: true)
            state.pointee.errorHead = 0
            LibXML.prepare()
            if parser == nil { try open() }
            guard let parser else { return }
            fillAhead(limit: validator == nil ? 1 : Self.validatorChunksAhead)
            guard aheadHead < ahead.count else { ended = true; return }
            let item = ahead[aheadHead]
            aheadHead += 1
            if aheadHead > 64 {
                ahead.removeFirst(aheadHead)
                aheadHead = 0
            }
            // libxml2's parser reports through the thread's structured handler (the SAX handler has no
            // `serror`, so the plug, which takes the user data, cannot hide it): ours while it parses.
            xmlSetStructuredErrorFunc(UnsafeMutableRawPointer(state), ParseState.libxmlError)
            defer { LibXML.prepare() }
            switch item {
            case .chunk(let bytes):
                bytes.withUnsafeBytes { parser.parse($0) }
            case .end:
                parser.end()
                ended = true
            case .stop(let error):
                state.pointee.stop(error)
                ended = true
                return
            }
            state.pointee.settle()
            if let validator {
                // The validator has seen the same bytes (it may be chunks ahead): its errors about them.
                let found: [XMLSchemaValidator.Found]
                do {
                    found = try validator.finish()
                } catch {
                    state.pointee.stop(error)
                    ended = true
                    return
                }
                state.pointee.merge(found)
            }
            if state.pointee.stopped {
                ended = true
            } else if ended {
                state.pointee.documentEnded()
            }
        }

        private func open() throws {
            let context = UnsafeMutableRawPointer(state)
            let ownThread = placement == .ownThread || (placement == .automatic && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1)
            if let schema, ownThread { validator = XMLSchemaValidator(schema: schema) }
            let inline = validator == nil ? schema : nil
            let parser = try PushParser(handlers: ParseState.install, context: context, schema: inline,
                                        validityError: ParseState.libxmlError, locator: ParseState.locator)
            self.parser = parser
            state.pointee.attach(parser.parser)
        }
    }
}
