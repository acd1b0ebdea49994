import CLibXML2
import SeqPortModel

/// Writes records as the seqport XML vocabulary (`Specs/xml.md`) with libxml2's `xmlTextWriter`.
///
/// ```xml
/// <contact xmlns="urn:seqport:bundle:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
///   <record>
///     <id>c-1</id>
///     <phone xsi:nil="true"/>
///     <note></note>
///     <bio enc="base64">AQID</bio>
///   </record>
/// </contact>
/// ```
///
/// NULL is an empty element with `xsi:nil="true"`, the empty string an empty element without it;
/// a value XML 1.0 cannot carry is written whole as base64 with `enc="base64"`. The document is
/// started by the first `write(_:)` or by `finish()`, which throw `xml.bad-name` when the category or
/// a field name is not an XML name.
public struct XMLRecordWriter: RecordWriter {
    /// How the document is laid out.
    public struct Options: Hashable, Sendable {
        /// Indent nested elements by two spaces, one element a line. Default `true`.
        public var indent: Bool

        public init(indent: Bool = true) { self.indent = indent }
    }

    public let layout: RecordLayout
    private var core: Core

    /// A writer of `layout`'s records into `sink`.
    public init(layout: RecordLayout, sink: any ByteSink, options: Options = .init()) {
        self.layout = layout
        self.core = Core(layout: layout, sink: sink, options: options)
    }

    /// Writes one record (`record.values.count == layout.fields.count`).
    /// - Throws: `xml.bad-name` for a name XML cannot carry; the sink's error if it fails.
    public mutating func write(_ record: Record) throws { try core.write(record) }

    /// Writes one record given as borrowed bytes; the same output as `write(_: Record)`.
    public mutating func write(_ view: RecordView) throws { try core.write(view) }

    /// Closes the root element and flushes everything into the sink. Call exactly once.
    public mutating func finish() throws { try core.finish() }
}

extension XMLRecordWriter {
    /// The C side: the libxml2 writer and the output its callback fills; freed once.
    final class Handle {
        let output: XMLOutput
        var writer: xmlTextWriterPtr?

        init(output: XMLOutput) { self.output = output }

        deinit {
            output.isDetached = true
            if let writer { xmlFreeTextWriter(writer) }
        }
    }

    /// The writing state. A struct, so the hot loop mutates it without dynamic exclusivity checks.
    struct Core {
        private enum State { case idle, open, finished, failed }

        private let layout: RecordLayout
        private let options: Options
        private let handle: Handle
        private var output: XMLOutput { handle.output }
        private var writer: xmlTextWriterPtr?
        private var state = State.idle
        /// NUL-terminated element names, in layout order.
        private var names: [[xmlChar]] = []
        /// Per field: `    <name` (indented when `options.indent`) and `</name>` (with the line end).
        private var openTags = ByteTable([])
        private var closeTags = ByteTable([])
        /// Record bytes not yet written.
        private var pending: OutputBuffer
        private var wroteRecord = false
        /// Set once libxml2's own bytes (prolog, root start tag) have reached the sink: from then on
        /// record bytes go straight to the sink, not through libxml2's output buffer.
        private var direct = false
        private var sink: any ByteSink
        /// Constant bytes, held here so the hot loop does not touch lazy globals.
        private let kinds = XMLText.kinds
        /// `<record>`, `</record>` and the NULL tail, with line ends when indenting.
        private let recordTags: ByteTable

        init(layout: RecordLayout, sink: any ByteSink, options: Options) {
            self.layout = layout
            self.options = options
            self.handle = Handle(output: XMLOutput(sink: sink))
            self.sink = sink
            pending = OutputBuffer(capacity: (32 << 10) + 4096)
            recordTags = options.indent
                ? ByteTable([Self.recordOpenLine, Self.recordCloseLine, Self.nilTailLine])
                : ByteTable([Self.recordOpen, Self.recordClose, Self.nilTail])
        }

        private static func cName(_ s: String) -> [xmlChar] { Array(s.utf8) + [0] }

        /// Throws the sink's error, or a generic one, when a libxml2 call failed.
        @inline(__always)
        private mutating func check(_ rc: Int32) throws {
            guard rc < 0 else { return }
            state = .failed
            if let error = output.error { throw error }
            throw SeqPortError(.ioFailed, "the xml writer failed")
        }

        private mutating func start() throws {
            guard LibXML.isNCName(layout.name) else {
                state = .failed
                throw SeqPortError(.xmlBadName, "category name is not an xml name")
            }
            for field in layout.fields where !LibXML.isNCName(field.name) {
                state = .failed
                throw SeqPortError(.xmlBadName, "field name is not an xml name", at: SourceLocation(field: field.name))
            }
            names = layout.fields.map { Self.cName($0.name) }
            let indent: [UInt8] = options.indent ? Array("    ".utf8) : []
            openTags = ByteTable(layout.fields.map { indent + [UInt8(ascii: "<")] + Array($0.name.utf8) })
            closeTags = ByteTable(layout.fields.map { Array("</\($0.name)>".utf8) + (options.indent ? [0x0A] : []) })
            LibXML.prepare()
            guard let buffer = xmlOutputBufferCreateIO(XMLOutput.writeCallback, XMLOutput.closeCallback, output.context, nil),
                  let writer = xmlNewTextWriter(buffer)
            else {
                state = .failed
                throw SeqPortError(.internalError, "libxml2 could not create a writer")
            }
            self.writer = writer
            handle.writer = writer
            state = .open
            if options.indent {
                try check(xmlTextWriterSetIndent(writer, 1))
                try check(Self.cName("  ").withUnsafeBufferPointer { xmlTextWriterSetIndentString(writer, $0.baseAddress) })
            }
            try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
            try check(Self.cName(layout.name).withUnsafeBufferPointer { xmlTextWriterStartElement(writer, $0.baseAddress) })
            try attribute("xmlns", LibXML.namespace)
            try attribute("xmlns:xsi", LibXML.xsiNamespace)
        }

        private mutating func attribute(_ name: String, _ value: String) throws {
            let n = Self.cName(name), v = Self.cName(value)
            try check(xmlTextWriterWriteAttribute(writer, n, v))
        }

        private mutating func ensureOpen() throws {
            switch state {
            case .idle: try start()
            case .open: return
            case .finished: throw SeqPortError(.internalError, "xml writer used after finish")
            case .failed:
                if let error = output.error { throw error }
                throw SeqPortError(.internalError, "xml writer used after an error")
            }
        }

        /// Records go out as bytes built here, not as three libxml2 calls per value: the same bytes its
        /// element calls produce (indentation, `xsi:nil`, `enc`). libxml2 writes the prolog, the root
        /// element and its end; the first batch of records goes through it (closing the root's start
        /// tag), later ones straight to the sink.
        mutating func write(_ record: Record) throws {
            try beginRecord(record.values.count)
            for i in 0..<openTags.count {
                switch record.values[i] {
                case .null:
                    appendField(i, nil)
                case .text(let text):
                    if text.utf8.withContiguousStorageIfAvailable({ appendField(i, $0) }) == nil {
                        Array(text.utf8).withUnsafeBufferPointer { appendField(i, $0) }
                    }
                }
            }
            try endRecord()
        }

        mutating func write(_ view: RecordView) throws {
            try beginRecord(view.count)
            for i in 0..<openTags.count {
                let v = view[i]
                appendField(i, v.isNull ? nil : v.bytes)
            }
            try endRecord()
        }

        @inline(__always)
        private mutating func beginRecord(_ count: Int) throws {
            try ensureOpen()
            guard count == openTags.count else {
                throw SeqPortError(.internalError, "record has \(count) values, layout has \(openTags.count) fields")
            }
            if !wroteRecord {
                wroteRecord = true
                if options.indent { pending.append(0x0A) }   // libxml2 closes the root's start tag with ">" only
            }
            pending.append(recordTags[0])
        }

        @inline(__always)
        private mutating func endRecord() throws {
            pending.append(recordTags[1])
            if pending.count >= 32 << 10 { try flushPending() }
        }

        /// One field element; `nil` is NULL.
        @inline(__always)
        private mutating func appendField(_ i: Int, _ value: UnsafeBufferPointer<UInt8>?) {
            pending.append(openTags[i])
            guard let u = value else {
                pending.append(recordTags[2])
                return
            }
            pending.append(UInt8(ascii: ">"))
            if !XMLText.appendEscapedIfText(u, to: &pending, kinds: kinds) {
                pending.truncate(to: pending.count - 1)
                pending.append(Self.base64Attribute)
                var encoded: [UInt8] = []
                XMLText.appendBase64(u, to: &encoded)
                pending.append(encoded)
            }
            pending.append(closeTags[i])
        }

        private mutating func flushPending() throws {
            guard !pending.isEmpty else { return }
            if direct {
                do { try pending.flush(to: sink) } catch {
                    state = .failed
                    throw error
                }
                return
            }
            let writer = self.writer
            let bytes = pending.bytes
            try check(xmlTextWriterWriteRawLen(writer, bytes.baseAddress?.assumingMemoryBound(to: xmlChar.self), Int32(bytes.count)))
            pending.removeAll()
            try check(xmlTextWriterFlush(writer))
            do { try output.flush() } catch {
                state = .failed
                throw error
            }
            direct = true
        }

        private static let recordOpen: [UInt8] = Array("<record>".utf8)
        private static let recordOpenLine: [UInt8] = Array("  <record>\n".utf8)
        private static let recordClose: [UInt8] = Array("</record>".utf8)
        private static let recordCloseLine: [UInt8] = Array("  </record>\n".utf8)
        private static let nilTail: [UInt8] = Array(" xsi:nil=\"true\"/>".utf8)
        private static let nilTailLine: [UInt8] = Array(" xsi:nil=\"true\"/>\n".utf8)
        private static let base64Attribute: [UInt8] = Array(" enc=\"base64\">".utf8)

        mutating func finish() throws {
            try ensureOpen()
            try flushPending()
            try check(xmlTextWriterEndDocument(writer))
            try check(xmlTextWriterFlush(writer))
            state = .finished
            try output.flush()
        }
    }
}
