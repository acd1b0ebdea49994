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
        /// Field names without the NUL, for the bytes built by `write`.
        private var rawNames: [[UInt8]] = []
        /// Record bytes not yet handed to libxml2.
        private var pending: [UInt8] = []
        private var wroteRecord = false

        init(layout: RecordLayout, sink: any ByteSink, options: Options) {
            self.layout = layout
            self.options = options
            self.handle = Handle(output: XMLOutput(sink: sink))
            pending.reserveCapacity((32 << 10) + 4096)
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
            rawNames = layout.fields.map { Array($0.name.utf8) }
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

        /// Records go out as bytes built here, handed to libxml2 in one raw write per ~32 KiB: the same
        /// bytes its element calls produce (indentation, `xsi:nil`, `enc`), without three calls per value.
        /// libxml2 still writes the prolog, the root element and its end.
        mutating func write(_ record: Record) throws {
            try ensureOpen()
            guard record.values.count == names.count else {
                throw SeqPortError(.internalError, "record has \(record.values.count) values, layout has \(names.count) fields")
            }
            let indent = options.indent
            if !wroteRecord {
                wroteRecord = true
                if indent { pending.append(0x0A) }   // libxml2 closes the root's start tag with ">" only
            }
            if indent { pending.append(contentsOf: Self.recordIndent) }
            pending.append(contentsOf: Self.recordOpen)
            if indent { pending.append(0x0A) }
            for i in 0..<names.count {
                if indent { pending.append(contentsOf: Self.fieldIndent) }
                pending.append(UInt8(ascii: "<"))
                pending.append(contentsOf: rawNames[i])
                switch record.values[i] {
                case .null:
                    pending.append(contentsOf: Self.nilTail)
                case .text(var text):
                    text.withUTF8 { u in
                        if XMLText.needsBase64(u) {
                            pending.append(contentsOf: Self.base64Attribute)
                            XMLText.appendBase64(u, to: &pending)
                        } else {
                            pending.append(UInt8(ascii: ">"))
                            XMLText.appendEscaped(u, to: &pending)
                        }
                    }
                    pending.append(UInt8(ascii: "<"))
                    pending.append(UInt8(ascii: "/"))
                    pending.append(contentsOf: rawNames[i])
                    pending.append(UInt8(ascii: ">"))
                }
                if indent { pending.append(0x0A) }
            }
            if indent { pending.append(contentsOf: Self.recordIndent) }
            pending.append(contentsOf: Self.recordClose)
            if indent { pending.append(0x0A) }
            if pending.count >= 32 << 10 { try flushPending() }
        }

        private mutating func flushPending() throws {
            guard !pending.isEmpty else { return }
            let writer = self.writer
            try check(pending.withUnsafeBufferPointer { xmlTextWriterWriteRawLen(writer, $0.baseAddress, Int32($0.count)) })
            pending.removeAll(keepingCapacity: true)
        }

        private static let recordIndent: [UInt8] = Array("  ".utf8)
        private static let fieldIndent: [UInt8] = Array("    ".utf8)
        private static let recordOpen: [UInt8] = Array("<record>".utf8)
        private static let recordClose: [UInt8] = Array("</record>".utf8)
        private static let nilTail: [UInt8] = Array(" xsi:nil=\"true\"/>".utf8)
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
