import SeqPortModel

/// Writes the XML Schema (XSD 1.0) of the bundle vocabulary for some layouts (`Specs/xml.md`).
///
/// One global element per layout (the category name) holds any number of `record`s; a record is an
/// `xs:all` of the layout's fields — every field exactly once, in any order, as the reader accepts.
/// Nullable fields are `nillable`. The document is deterministic: the same layouts give the same bytes.
///
/// The schema describes what seqport writes; the reader is a little more lenient in one place
/// (timestamps with an offset are accepted and converted to `Z`).
///
/// ```swift
/// let xsd = XSDGenerator.document(for: schema.categories.map { $0.layout(scope: .access) })
/// ```
public enum XSDGenerator {
    /// The XSD for `layouts`, in their order.
    public static func document(for layouts: [RecordLayout]) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:sp="\(LibXML.namespace)"
                   targetNamespace="\(LibXML.namespace)" elementFormDefault="qualified">
          <xs:annotation>
            <xs:documentation>seqport bundle records: one root element per category, one record element per record, one element per field (Specs/xml.md)</xs:documentation>
          </xs:annotation>

        """
        for layout in layouts { element(for: layout, into: &out) }
        out += sharedTypes
        out += "</xs:schema>\n"
        return out
    }

    private static func element(for layout: RecordLayout, into out: inout String) {
        out += """
          <xs:element name="\(escape(layout.name))">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="record" minOccurs="0" maxOccurs="unbounded">
                  <xs:complexType>
                    <xs:all>

        """
        let indent = String(repeating: " ", count: 14)
        for field in layout.fields {
            var head = "\(indent)<xs:element name=\"\(escape(field.name))\""
            let simple = enumeration(field.type)
            if simple == nil { head += " type=\"\(typeName(field.type))\"" }
            if field.nullable { head += " nillable=\"true\"" }
            if field.description.isEmpty && simple == nil {
                out += head + "/>\n"
                continue
            }
            out += head + ">\n"
            if !field.description.isEmpty {
                out += "\(indent)  <xs:annotation><xs:documentation>\(escape(field.description))</xs:documentation></xs:annotation>\n"
            }
            if let simple { out += simple.map { "\(indent)  \($0)\n" }.joined() }
            out += "\(indent)</xs:element>\n"
        }
        out += """
                    </xs:all>
                  </xs:complexType>
                </xs:element>
              </xs:sequence>
            </xs:complexType>
          </xs:element>

        """
    }

    private static func typeName(_ type: FieldType) -> String {
        switch type {
        case .string, .file: return "sp:text"
        case .integer: return "xs:long"
        case .decimal: return "sp:decimal"
        case .boolean: return "sp:boolean"
        case .date: return "sp:date"
        case .timestamp: return "sp:timestamp"
        case .enumeration: return "xs:string"
        }
    }

    /// The lines of an anonymous enumeration type, or `nil` for other types.
    private static func enumeration(_ type: FieldType) -> [String]? {
        guard case .enumeration(let allowed) = type else { return nil }
        return ["<xs:simpleType>", "  <xs:restriction base=\"xs:string\">"]
            + allowed.map { "    <xs:enumeration value=\"\(escape($0))\"/>" }
            + ["  </xs:restriction>", "</xs:simpleType>"]
    }

    private static let sharedTypes = """
      <xs:complexType name="text">
        <xs:annotation><xs:documentation>Text; enc="base64" when it holds characters XML 1.0 cannot carry (the base64 of its UTF-8)</xs:documentation></xs:annotation>
        <xs:simpleContent>
          <xs:extension base="xs:string">
            <xs:attribute name="enc" use="optional">
              <xs:simpleType>
                <xs:restriction base="xs:string">
                  <xs:enumeration value="base64"/>
                </xs:restriction>
              </xs:simpleType>
            </xs:attribute>
          </xs:extension>
        </xs:simpleContent>
      </xs:complexType>
      <xs:simpleType name="boolean">
        <xs:restriction base="xs:boolean">
          <xs:pattern value="true|false"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="decimal">
        <xs:restriction base="xs:string">
          <xs:pattern value="-?[0-9]+(\\.[0-9]+)?"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="date">
        <xs:restriction base="xs:date">
          <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="timestamp">
        <xs:restriction base="xs:dateTime">
          <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z"/>
        </xs:restriction>
      </xs:simpleType>

    """

    /// Escapes text for an attribute value or element content (the one XML escaper for names and texts).
    static func escape(_ s: String) -> String { XMLText.escaped(s) }
}
