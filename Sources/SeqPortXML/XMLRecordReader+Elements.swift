import CLibXML2
import SeqPortModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vocabulary: what each element and attribute may be, where.
extension XMLRecordReader.ParseState {
    /// Whether a libxml2 string equals `s` (bytes, no allocation).
    @inline(__always)
    static func equals(_ p: UnsafePointer<xmlChar>?, _ s: StaticString) -> Bool {
        guard let p else { return false }
        let n = s.utf8CodeUnitCount
        let u = s.utf8Start
        for i in 0..<n where p[i] != u[i] { return false }
        return p[n] == 0
    }

    /// Whether `bytes` (not NUL-terminated) equal `s`.
    @inline(__always)
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard bytes.count == n, let p = bytes.baseAddress else { return n == 0 && bytes.count == 0 }
        return memcmp(p, s.utf8Start, n) == 0
    }

    static let bundleNamespace: StaticString = "urn:seqport:bundle:1"
    static let xsiNamespace: StaticString = "http://www.w3.org/2001/XMLSchema-instance"

    mutating func startElement(_ localName: UnsafePointer<xmlChar>?, _ namespace: UnsafePointer<xmlChar>?,
                               _ attributes: XMLRecordReader.Attributes) throws {
        let depth = self.depth
        self.depth += 1
        guard depth + 1 <= limits.maxDepth else {
            throw fail(.xmlDepth, "elements nest deeper than \(limits.maxDepth) levels")
        }
        guard let localName else {
            throw SeqPortError(.internalError, "libxml2 gave an element without a name")
        }
        let nameLength = Int(xmlStrlen(localName))
        guard nameLength <= limits.maxNameBytes else {
            throw fail(.xmlNameTooLong, "element name longer than \(limits.maxNameBytes) bytes")
        }
        let inBundleNamespace = namespace != nil && (namespace == internedNamespace || Self.equals(namespace, Self.bundleNamespace))

        switch phase {
        case .prolog:
            let name = LibXML.string(localName)
            if let expected {
                guard name == expected.name, inBundleNamespace else {
                    throw fail(.xmlVocabulary, "root element is not \(expected.name) in \(LibXML.namespace)")
                }
                try refuseAttributes(attributes, on: "the root element")
            } else {
                layout.name = name
                // A root attribute belongs to no record: it cannot be carried, so it is refused, not dropped.
                try refuseAttributes(attributes, on: "the root element (it belongs to no record, so converting it would lose it)")
            }
            phase = .root

        case .root:
            recordNumber += 1
            recordLine = line
            recordFailed = false
            heldInvalid = nil
            phase = .record
            if hasLayout {
                guard localName == internedRecord || Self.equals(localName, "record"), inBundleNamespace else {
                    throw fail(.xmlVocabulary, "expected a record element")
                }
                try refuseAttributes(attributes, on: "a record")
            }
            values.removeAll()
            values.beginRecord(fields: names.count)
            if seen.count != names.count { seen = [Bool](repeating: false, count: names.count) } else { for i in seen.indices { seen[i] = false } }
            current = -1
            if !hasLayout { try attributeFields(attributes, prefix: nil) }

        case .record:
            if hasLayout, !inBundleNamespace {
                throw fail(.xmlUnknownField, "element not in \(LibXML.namespace)", field: LibXML.string(localName))
            }
            current = try index(ofField: localName)
            currentLine = line
            try readFieldAttributes(attributes)
            text.removeAll()
            phase = .field

        case .field:
            throw fail(.xmlNotFlat, "a field holds an element", field: names[current])

        case .skip:
            return

        case .after:
            throw fail(.xmlSyntax, "content after the end of the root element")
        }
    }

    mutating func endElement() throws {
        depth -= 1
        switch phase {
        case .field:
            try finishField()
            phase = .record
        case .record:
            closedRecord = true
            try completeRecord()
        case .root:
            phase = .after
        case .skip:
            // The end of the record that had an error: the next one can be read.
            if depth == 1 {
                closedRecord = true
                phase = .root
            }
        case .prolog, .after:
            return
        }
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        switch phase {
        case .field:
            let limit = isBase64 ? limits.maxValueBytes / 3 * 4 + 8 + limits.maxValueBytes / 8 : limits.maxValueBytes
            guard text.count + bytes.count <= limit else {
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

    /// The index of field `localName` in the record being read; adds it while discovering.
    private mutating func index(ofField localName: UnsafePointer<xmlChar>) throws -> Int {
        // Fast path: the interned name of the next field, or of any field.
        var hit = -1
        let next = current + 1
        if next < interned.count, interned[next] == localName {
            hit = next
        } else if let i = interned.firstIndex(where: { $0 == localName }) {
            hit = i
        }
        let name = hit >= 0 ? names[hit] : LibXML.string(localName)
        return try index(ofName: name, known: hit)
    }

    /// The index of the field called `name` (an element's local name, or an attribute's `name` or
    /// `element@name` in an untyped read); adds it while discovering.
    private mutating func index(ofName name: String, known: Int = -1) throws -> Int {
        var hit = known
        if hit < 0, let i = fieldIndex[name] { hit = i }
        if hit >= 0 {
            guard !seen[hit] else { throw fail(.xmlDuplicateField, "field given twice (as an element or an attribute)", field: name) }
            return hit
        }
        guard discovering else { throw fail(.xmlUnknownField, "field not in the layout", field: name) }
        guard names.count < limits.maxFields else {
            throw fail(.xmlTooManyFields, "more than \(limits.maxFields) fields in a record", field: name)
        }
        names.append(name)
        interned.append(intern(name))
        values.addField()
        seen.append(false)
        fieldIndex[name] = names.count - 1
        return names.count - 1
    }

    /// Untyped reading: each attribute of a record element becomes a field by its (qualified) name,
    /// each attribute of a field element a field `element@name`, so nothing in the input is dropped
    /// (`Specs/xml.md`). Namespace declarations are not data (SAX2 does not count them as attributes).
    private mutating func attributeFields(_ attributes: XMLRecordReader.Attributes, prefix: String?,
                                          skip: (UnsafePointer<xmlChar>?, UnsafePointer<xmlChar>?) -> Bool = { _, _ in false }) throws {
        guard attributes.count > 0 else { return }
        var found: [(String, [UInt8])] = []
        for a in 0..<attributes.count {
            if skip(attributes.localName(a), attributes.namespace(a)) { continue }
            let qualified = attributes.qualifiedName(a)
            let name = prefix.map { "\($0)@\(qualified)" } ?? qualified
            guard name.utf8.count <= limits.maxNameBytes else {
                throw fail(.xmlNameTooLong, "attribute name longer than \(limits.maxNameBytes) bytes")
            }
            let bytes = Array(attributes.value(a))
            guard bytes.count <= limits.maxValueBytes else {
                throw fail(.valueTooLong, "longer than \(limits.maxValueBytes) bytes", field: name)
            }
            found.append((name, bytes))
        }
        for (name, bytes) in found {
            let i = try index(ofName: name)
            values.set(i, .text(String(decoding: bytes, as: UTF8.self)))
            seen[i] = true
        }
    }

    /// Refuses every attribute (typed layouts, root and record; namespace declarations are not attributes).
    private func refuseAttributes(_ attributes: XMLRecordReader.Attributes, on what: String) throws {
        guard attributes.count > 0 else { return }
        throw fail(.xmlVocabulary, "attribute \"\(attributes.qualifiedName(0).prefix(64))\" is not allowed on \(what)")
    }

    /// Reads `xsi:nil` and `enc` on a field; with a layout, refuses any other attribute.
    private mutating func readFieldAttributes(_ attributes: XMLRecordReader.Attributes) throws {
        isNil = false
        isBase64 = false
        guard attributes.count > 0 else { return }
        var untypedAttributes = false
        let name = names[current]
        for a in 0..<attributes.count {
            let local = attributes.localName(a)
            let ns = attributes.namespace(a)
            let value = attributes.value(a)
            if Self.equals(ns, Self.xsiNamespace), Self.equals(local, "nil") {
                if Self.equals(value, "true") { isNil = true } else if !Self.equals(value, "false") {
                    throw fail(.xmlVocabulary, "xsi:nil must be true or false", field: name)
                }
            } else if ns == nil, Self.equals(local, "enc"), hasLayout || Self.equals(value, "base64") {
                guard Self.equals(value, "base64") else {
                    throw fail(.xmlVocabulary, "enc must be base64", field: name)
                }
                if isTyped, let expected {
                    let type = expected.fields[current].type
                    guard type == .string || type == .file else {
                        throw fail(.xmlVocabulary, "enc is only allowed on string and file fields", field: name)
                    }
                }
                isBase64 = true
            } else if hasLayout {
                throw fail(.xmlVocabulary, "attribute \"\(attributes.qualifiedName(a).prefix(64))\" is not allowed on a field", field: name)
            } else {
                untypedAttributes = true
            }
        }
        if isNil && isBase64 { throw fail(.xmlVocabulary, "a field cannot be both nil and base64", field: name) }
        if untypedAttributes {
            // Every other attribute of a field element becomes a field `element@attribute`.
            let field = current
            let base64 = isBase64
            try attributeFields(attributes, prefix: name) { local, ns in
                (Self.equals(ns, Self.xsiNamespace) && Self.equals(local, "nil")) || (ns == nil && Self.equals(local, "enc") && base64)
            }
            current = field
        }
    }

    /// Turns the collected text of the current field into its value.
    private mutating func finishField() throws {
        // The common case: plain text whose bytes are already the value (`CanonicalCheck` for a typed
        // layout; ASCII, which needs no decoding, for an untyped one).
        if !isNil && !isBase64 {
            let b = textBytes
            if isTyped ? checks[current].accepts(b) : CanonicalCheck.isASCII(b) {
                values.set(current, b)
                seen[current] = true
                return
            }
        }
        let name = names[current]
        let line = currentLine
        var value: Value
        if isNil {
            guard text.isEmpty else { throw fail(.xmlVocabulary, "a nil field has content", line: line, field: name) }
            value = .null
        } else if isBase64 {
            guard let decoded = XMLText.decodeBase64(Array(textBytes)) else {
                throw fail(.xmlBase64, "not valid base64", line: line, field: name)
            }
            guard decoded.count <= limits.maxValueBytes else {
                throw fail(.valueTooLong, "longer than \(limits.maxValueBytes) bytes", line: line, field: name)
            }
            let string = String(decoding: decoded, as: UTF8.self)
            guard string.utf8.count == decoded.count, string.utf8.elementsEqual(decoded) else {
                throw fail(.xmlBase64, "base64 value is not utf-8 text", line: line, field: name)
            }
            value = .text(string)
        } else {
            value = .text(String(decoding: textBytes, as: UTF8.self))
        }
        if isTyped, let expected {
            do {
                value = try expected.fields[current].canonicalize(value, limits: limits)
            } catch var error as SeqPortError {
                error.location.line = line
                error.location.record = recordNumber
                error.location.field = name
                throw error
            }
        }
        values.set(current, value)
        seen[current] = true
    }

    /// Checks the record has every field; `settle` queues it once the validator has seen its end.
    private mutating func completeRecord() throws {
        phase = .root
        if discovering {
            discovering = false
            layout = RecordLayout(name: layout.name, fields: names.map(Field.untyped), isTyped: false)
        }
        if let i = seen.firstIndex(of: false) {
            values.cancelRecord()
            throw SeqPortError(.xmlMissingField, "field missing from the record",
                               at: SourceLocation(line: recordLine, record: recordNumber, field: names[i]))
        }
        values.endRecord()
        completing = true
    }
}
