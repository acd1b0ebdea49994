import CLibXML2
import SeqPortModel

/// A compiled XML Schema (XSD 1.0) to validate documents against while they stream
/// (`XMLRecordReader(…, schema:)`).
///
/// The XSD is parsed from memory; it may not load anything (`xs:import`, `xs:include` and DTDs are
/// refused by the module's deny-all entity loader, and a `<!DOCTYPE` is refused outright). One
/// schema can serve many readers on many threads.
///
/// ```swift
/// let schema = try XMLSchema(xsd: Array(XSDGenerator.document(for: layouts).utf8))
/// ```
// @unchecked Sendable: a compiled libxml2 schema is read-only after `init`; each reader validates with its own context.
public final class XMLSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr

    /// Parses and compiles `xsd`.
    /// - Throws: `schema.invalid` (with the line) if it is not a usable schema; `xml.dtd` for a DOCTYPE.
    public init(xsd: [UInt8]) throws {
        LibXML.prepare()
        var scanner = XMLPrologScanner()
        do {
            try xsd.withUnsafeBytes { try scanner.scan($0) }
        } catch var error as SeqPortError where error.code == .xmlSyntax {
            error.code = .schemaInvalid
            error.message = "not a usable xml schema: " + error.message
            throw error
        }
        let errors = LibXMLErrorSink()
        let parsed: xmlSchemaPtr? = xsd.withUnsafeBytes { bytes in
            guard let context = xmlSchemaNewMemParserCtxt(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) else {
                return nil
            }
            defer { xmlSchemaFreeParserCtxt(context) }
            xmlSchemaSetParserStructuredErrors(context, LibXMLErrorSink.handler, errors.context)
            return xmlSchemaParse(context)
        }
        withExtendedLifetime(errors) {}
        guard let parsed else {
            let diagnostic = errors.take()
            throw SeqPortError(.schemaInvalid, "not a usable xml schema" + (diagnostic.map { " (libxml2 error \($0.code))" } ?? ""),
                               at: SourceLocation(line: diagnostic?.line))
        }
        pointer = parsed
    }

    deinit { xmlSchemaFree(pointer) }
}
