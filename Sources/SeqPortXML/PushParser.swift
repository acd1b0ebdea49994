import CLibXML2
import SeqPortModel

/// One libxml2 SAX2 push parser with the options every reader here uses, and optionally an XSD
/// plugged into its events (`xmlSchemaSAXPlug`): what `XMLRecordReader` and `XMLSchemaValidator` share.
///
/// The handler table and the slots the plug swaps live as long as the parser; everything is freed once,
/// in `deinit`, in the order libxml2 needs (parser, plug, validation context).
final class PushParser {
    let parser: xmlParserCtxtPtr
    private let sax: UnsafeMutablePointer<xmlSAXHandler>
    /// `xmlSchemaSAXPlug` swaps these for its own while plugged, and puts them back when unplugged.
    private let saxSlot: UnsafeMutablePointer<UnsafeMutablePointer<xmlSAXHandler>?>
    private let userSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let validation: xmlSchemaValidCtxtPtr?
    private let plug: xmlSchemaSAXPlugPtr?

    /// - Parameters:
    ///   - handlers: fills in the callbacks (the table is zeroed and marked SAX2 first).
    ///   - context: what every callback, the validity error handler and the locator get.
    ///   - schema: validates the same events when given; its errors go to `validityError`, and the
    ///     validator asks `locator` for the line (the plug gives it no parser context of its own).
    init(handlers: (UnsafeMutablePointer<xmlSAXHandler>) -> Void, context: UnsafeMutableRawPointer, schema: XMLSchema?,
         validityError: xmlStructuredErrorFunc? = nil, locator: xmlSchemaValidityLocatorFunc? = nil) throws {
        let sax = UnsafeMutablePointer<xmlSAXHandler>.allocate(capacity: 1)
        let saxSlot = UnsafeMutablePointer<UnsafeMutablePointer<xmlSAXHandler>?>.allocate(capacity: 1)
        let userSlot = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
        var validation: xmlSchemaValidCtxtPtr?, plug: xmlSchemaSAXPlugPtr?
        func fail(_ message: String) -> SeqPortError {
            if let plug { xmlSchemaSAXUnplug(plug) }
            if let validation { xmlSchemaFreeValidCtxt(validation) }
            sax.deallocate()
            saxSlot.deallocate()
            userSlot.deallocate()
            return SeqPortError(.internalError, message)
        }
        sax.initialize(to: xmlSAXHandler())
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        handlers(sax)
        saxSlot.pointee = sax
        userSlot.pointee = context
        if let schema {
            validation = xmlSchemaNewValidCtxt(schema.pointer)
            guard let validation else { throw fail("libxml2 could not make a schema validation context") }
            xmlSchemaSetValidStructuredErrors(validation, validityError, context)
            if let locator { xmlSchemaValidateSetLocator(validation, locator, context) }
            plug = xmlSchemaSAXPlug(validation, saxSlot, userSlot)
            guard plug != nil else { throw fail("libxml2 could not attach the schema") }
        }
        guard let parser = xmlCreatePushParserCtxt(saxSlot.pointee, userSlot.pointee, nil, 0, nil) else {
            throw fail("libxml2 could not create a parser")
        }
        self.parser = parser
        self.sax = sax
        self.saxSlot = saxSlot
        self.userSlot = userSlot
        self.validation = validation
        self.plug = plug
        // IGNORE_ENC: the prolog scanner has insisted on UTF-8, whatever the declaration says.
        xmlCtxtUseOptions(parser, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue))
    }

    deinit {
        xmlFreeParserCtxt(parser)
        if let plug { xmlSchemaSAXUnplug(plug) }
        if let validation { xmlSchemaFreeValidCtxt(validation) }
        sax.deallocate()
        saxSlot.deallocate()
        userSlot.deallocate()
    }

    /// Parses the next bytes of the document.
    func parse(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        xmlParseChunk(parser, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 0)
    }

    /// Tells libxml2 the document has ended (it reports what is left unclosed).
    func end() {
        xmlParseChunk(parser, nil, 0, 1)
    }

    /// The line the parser is on, if known.
    var line: Int? {
        guard let input = parser.pointee.input else { return nil }
        let line = Int(input.pointee.line)
        return line > 0 ? line : nil
    }
}
